# Keys of the data platform.
variable "rotate_logs" {
  type = bool
}

variable "rotate_data" {
  type    = bool
  default = true # to be reviewed
}

resource "aws_kms_key" "logs" {
  description         = "logs"
  enable_key_rotation = var.rotate_logs
}

resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = var.rotate_data
}

resource "aws_kms_key" "left_out" {
  description = "rotation defaults to off"
  tags = {
    Team = "platform"
  }
  enable_key_rotation = true
}

resource "aws_kms_key" "literal" {
  description              = "explicit"
  deletion_window_in_days  = 30
  enable_key_rotation      = true
}

resource "aws_kms_key" "one_line" {
  enable_key_rotation = true
}
