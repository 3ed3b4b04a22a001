# Under `recommended` with KMS006 configured to min_days = 7 (iacguard-params.toml in this
# directory): a 7-day window meets the configured minimum.

resource "aws_kms_key" "short" {
  enable_key_rotation     = true
  deletion_window_in_days = 7
}
