# Under `recommended` without configuration: KMS006 is a policy with no premise in the
# tree, so short deletion windows are not reported.

resource "aws_kms_key" "short" {
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_external_key" "short" {
  tags = {
    RotationDate = "2026-05-01"
  }
  deletion_window_in_days = 7
}
