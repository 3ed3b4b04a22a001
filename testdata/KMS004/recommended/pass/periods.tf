# Under `recommended`: periods KMS accepts; above the policy maximum (365) is only the
# policy's business (strict, or KMS004 configured).

resource "aws_kms_key" "two_years" {
  enable_key_rotation     = true
  rotation_period_in_days = 730
}

resource "aws_kms_key" "upper_bound" {
  enable_key_rotation     = true
  rotation_period_in_days = 2560
}

resource "aws_kms_key" "lower_bound" {
  enable_key_rotation     = true
  rotation_period_in_days = 90
}
