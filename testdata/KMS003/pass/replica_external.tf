resource "aws_kms_replica_external_key" "tracked" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  valid_to        = "2027-01-01T00:00:00Z"
  tags = {
    RotationDate = "2026-03-01"
  }
}

# A replica of a key with KMS-generated material rotates with its primary.
resource "aws_kms_replica_key" "generated" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef"
}
