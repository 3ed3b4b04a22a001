variable "tags" {
  type = map(string)
}

module "backup" {
  source = "./modules/backup"
  tags   = var.tags
}
