resource "aws_kms_key" "primary" {
  multi_region            = true
  enable_key_rotation     = true
  rotation_period_in_days = 180
}

resource "aws_kms_replica_key" "orders" {
  primary_key_arn = aws_kms_key.primary.arn
}

resource "aws_kms_alias" "orders" {
  name          = "alias/orders"
  target_key_id = aws_kms_replica_key.orders.key_id
}

resource "aws_sqs_queue" "orders" {
  kms_master_key_id = aws_kms_alias.orders.arn
}

resource "aws_db_instance" "orders" {
  kms_key_id = aws_kms_replica_key.orders.arn
}

resource "aws_kms_replica_external_key" "payments" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef"
  valid_to        = "2027-01-01T00:00:00Z"
}

resource "aws_sns_topic" "payments" {
  kms_master_key_id = aws_kms_replica_external_key.payments.arn
}
