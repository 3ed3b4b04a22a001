variable "enable_key_rotation" {
  type    = bool
  default = true
}

resource "aws_kms_key" "this" {
  # expect: KMS002
  enable_key_rotation = var.enable_key_rotation
}

resource "aws_kms_alias" "this" {
  name          = "alias/kms"
  target_key_id = aws_kms_key.this.key_id
}
