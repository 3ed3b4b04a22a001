variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_dynamodb_table" "this" {
  name     = "store"
  hash_key = "id"
  # expect: BKP005
  tags = merge(var.tags, { Name = "store" })
}
