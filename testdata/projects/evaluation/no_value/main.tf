variable "rotate" {
  type = bool
}

resource "aws_kms_key" "k" {
  enable_key_rotation = var.rotate
}

resource "aws_kms_alias" "k" {
  name          = "alias/k"
  target_key_id = aws_kms_key.k.key_id
}
