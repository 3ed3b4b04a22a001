# Under `recommended`: the facts about imported material: it expired, nothing tracks it
# (neither a RotationDate tag nor an expiry), or its RotationDate tag is not a date.
# (Tests run with today = 2026-06-01.)

resource "aws_kms_external_key" "expired" {
  # expect: KMS003
  valid_to = "2026-01-01T00:00:00Z"
}

resource "aws_kms_external_key" "expired_but_tagged" {
  # expect: KMS003
  valid_to = "2025-12-31T23:59:59Z"
  tags = {
    RotationDate = "2025-06-01"
  }
}

# expect: KMS003
resource "aws_kms_external_key" "untracked" {
  description = "no tags, no valid_to"
}

resource "aws_kms_external_key" "other_tags_only" {
  # expect: KMS003
  tags = {
    Team = "payments"
  }
}

resource "aws_kms_external_key" "malformed" {
  valid_to = "2027-01-01T00:00:00Z"
  tags = {
    # expect: KMS003
    RotationDate = "last spring"
  }
}
