# Under `recommended` with KMS006 configured (iacguard-params.toml sets min_days = 30):
# deletion windows shorter than 30 days are reported.

resource "aws_kms_key" "short" {
  enable_key_rotation = true
  # expect: KMS006
  deletion_window_in_days = 7
}

resource "aws_kms_external_key" "short" {
  tags = {
    RotationDate = "2026-05-01"
  }
  # expect: KMS006
  deletion_window_in_days = 7
}

# Left out, the window defaults to 30 days.
resource "aws_kms_key" "default_window" {
  enable_key_rotation = true
}
