variable "period" {
  default = 730
}

resource "aws_kms_key" "too_long" {
  enable_key_rotation = true
  # expect: KMS004
  rotation_period_in_days = var.period
}

resource "aws_kms_key" "too_short_for_kms" {
  enable_key_rotation = true
  # expect: KMS004
  rotation_period_in_days = 60
}
