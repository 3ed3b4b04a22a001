variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_backup_vault" "this" {
  name = "prod-vault"
  tags = merge(var.tags, { Name = "prod-vault" })
}
