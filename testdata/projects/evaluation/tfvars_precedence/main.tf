variable "rotate" {
  type    = bool
  default = true
}

variable "window" {
  type    = number
  default = 30
}

resource "aws_kms_key" "k" {
  # expect: KMS002
  enable_key_rotation = var.rotate
  # expect: KMS006
  deletion_window_in_days = var.window
}
