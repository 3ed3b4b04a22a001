resource "aws_kms_key" "retired" {
  enable_key_rotation = true
  is_enabled          = false
}

resource "aws_kms_key" "current" {
  enable_key_rotation = true
}

resource "aws_sqs_queue" "orders" {
  kms_master_key_id = aws_kms_key.current.arn
}
