# Multi-Region replicas are keys of their own Region: a consumer naming one by id or ARN
# pins it as it would any key.

resource "aws_kms_replica_key" "replica_orders" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
}

resource "aws_kms_alias" "replica_orders" {
  name          = "alias/replica-orders"
  target_key_id = aws_kms_replica_key.replica_orders.key_id
}

resource "aws_sqs_queue" "replica_orders" {
  # expect: KMS001
  kms_master_key_id = aws_kms_replica_key.replica_orders.arn
}

resource "aws_kms_replica_external_key" "payments" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef"
}

resource "aws_sns_topic" "payments" {
  # expect: KMS001
  kms_master_key_id = aws_kms_replica_external_key.payments.key_id
}
