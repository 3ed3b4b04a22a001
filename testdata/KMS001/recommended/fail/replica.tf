# Under `recommended`: a replica with imported material can only be rotated by new material
# or a new key, so its consumers must follow an alias.

resource "aws_kms_replica_external_key" "payments" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef"
}

resource "aws_kms_alias" "payments" {
  name          = "alias/payments"
  target_key_id = aws_kms_replica_external_key.payments.key_id
}

resource "aws_sqs_queue" "payments" {
  # expect: KMS001
  kms_master_key_id = aws_kms_replica_external_key.payments.arn
}
