# Under `recommended` with KMS003 configured (iacguard-params.toml in this directory): the
# tag policy applies, so a RotationDate older than max_age_days and a missing tag beside a
# future valid_to are reported. (Tests run with today = 2026-06-01.)

resource "aws_kms_external_key" "old_tag" {
  tags = {
    # expect: KMS003
    RotationDate = "2020-01-01"
  }
}

resource "aws_kms_external_key" "expires_later" {
  valid_to = "2027-01-01T00:00:00Z"
  # expect: KMS003
  tags = {
    Team = "payments"
  }
}
