variable "window" {
  default = 7
}

resource "aws_kms_key" "short" {
  enable_key_rotation = true
  # expect: KMS006
  deletion_window_in_days = var.window
}

resource "aws_kms_external_key" "short" {
  # expect: KMS006
  deletion_window_in_days = 10
}
