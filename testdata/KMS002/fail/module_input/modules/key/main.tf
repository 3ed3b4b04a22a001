variable "rotate" {
  type    = bool
  default = true
}

resource "aws_kms_key" "this" {
  # expect: KMS002
  enable_key_rotation = var.rotate
}
