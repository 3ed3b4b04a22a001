variable "create" {
  type    = bool
  default = false
}

variable "unknown_create" {
  type = bool
}

resource "aws_kms_key" "not_created" {
  count = var.create ? 1 : 0
}

# expect: KMS002
resource "aws_kms_key" "maybe" {
  count = var.unknown_create ? 1 : 0
}

resource "aws_kms_alias" "maybe" {
  count         = var.unknown_create ? 1 : 0
  name          = "alias/maybe"
  target_key_id = aws_kms_key.maybe[0].key_id
}
