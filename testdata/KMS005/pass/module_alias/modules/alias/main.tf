variable "key_id" {
  type = string
}

resource "aws_kms_alias" "this" {
  name          = "alias/data"
  target_key_id = var.key_id
}
