variable "rotate" {
  default = true
}

variable "window" {
  default = 30
}

resource "aws_kms_key" "k" {
  enable_key_rotation     = var.rotate
  deletion_window_in_days = var.window
}

resource "aws_kms_external_key" "imported" {
  tags = {
    LastRotated = "2025-10-01"
  }
}
