variable "period" {
  default = 730
}

resource "aws_kms_key" "by_variable" {
  enable_key_rotation     = true
  rotation_period_in_days = var.period
}

resource "aws_kms_key" "too_short" {
  enable_key_rotation     = true
  rotation_period_in_days = 30
}
