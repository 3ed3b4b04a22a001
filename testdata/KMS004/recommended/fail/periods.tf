# Under `recommended`: a rotation period outside the 90 to 2560 days KMS accepts is a fact
# (the deployment fails), whatever the policy maximum.

variable "period" {
  default = 60
}

resource "aws_kms_key" "too_short" {
  enable_key_rotation = true
  # expect: KMS004
  rotation_period_in_days = 30
}

resource "aws_kms_key" "too_long" {
  enable_key_rotation = true
  # expect: KMS004
  rotation_period_in_days = 3000
}

resource "aws_kms_key" "from_variable" {
  enable_key_rotation = true
  # expect: KMS004
  rotation_period_in_days = var.period
}
