# Under `recommended`: a replica whose material has an expiry in the future is tracked by it.
# (Tests run with today = 2026-06-01.)

resource "aws_kms_replica_external_key" "expires_later" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  valid_to        = "2027-01-01T00:00:00Z"
}
