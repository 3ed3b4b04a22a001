# Replicas with imported material: KMS does not copy the material from the primary, so each
# replica is imported, and rotated, on its own, and tracked on its own.

# expect: KMS003
resource "aws_kms_replica_external_key" "untracked" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
}

resource "aws_kms_replica_external_key" "overdue" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  valid_to        = "2027-01-01T00:00:00Z"
  tags = {
    # expect: KMS003
    RotationDate = "2024-11-30"
  }
}

resource "aws_kms_replica_external_key" "expired" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  # expect: KMS003
  valid_to = "2026-02-01T00:00:00Z"
  tags = {
    RotationDate = "2026-01-15"
  }
}
