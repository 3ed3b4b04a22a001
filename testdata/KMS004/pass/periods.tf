variable "period" {}

resource "aws_kms_key" "yearly" {
  enable_key_rotation     = true
  rotation_period_in_days = 365
}

resource "aws_kms_key" "default_period" {
  enable_key_rotation = true
}

resource "aws_kms_key" "unknown" {
  enable_key_rotation     = true
  rotation_period_in_days = var.period
}
