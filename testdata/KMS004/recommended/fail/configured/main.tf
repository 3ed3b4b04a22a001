# Under `recommended` with KMS004 configured (iacguard-params.toml in this directory): the
# policy maximum applies to a rotating key, beside the 90..2560 range KMS accepts.

resource "aws_kms_key" "two_years" {
  enable_key_rotation = true
  # expect: KMS004
  rotation_period_in_days = 730
}

resource "aws_kms_key" "yearly" {
  enable_key_rotation     = true
  rotation_period_in_days = 365
}
