variable "window" {}

resource "aws_kms_key" "default_window" {
  enable_key_rotation = true
}

resource "aws_kms_key" "full" {
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_key" "unknown" {
  enable_key_rotation     = true
  deletion_window_in_days = var.window
}
