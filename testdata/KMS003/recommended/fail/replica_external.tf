# Under `recommended`: a replica with imported material that nothing tracks (neither a
# RotationDate tag nor an expiry), and one whose material expired.
# (Tests run with today = 2026-06-01.)

# expect: KMS003
resource "aws_kms_replica_external_key" "untracked" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  description     = "no tags, no valid_to"
}

resource "aws_kms_replica_external_key" "expired" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  # expect: KMS003
  valid_to = "2026-01-01T00:00:00Z"
}
