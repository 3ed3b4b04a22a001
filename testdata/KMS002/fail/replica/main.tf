# A primary key without rotation is reported; its replica, whose rotation is the primary's,
# is not reported again.

resource "aws_kms_key" "primary" {
  multi_region = true
  # expect: KMS002
  enable_key_rotation = false
}

resource "aws_kms_replica_key" "replica" {
  primary_key_arn = aws_kms_key.primary.arn
}
