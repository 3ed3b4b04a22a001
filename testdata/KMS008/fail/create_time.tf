resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_db_instance" "db" {
  # expect: KMS008
  kms_key_id = aws_kms_key.data.arn
}

resource "aws_cloudwatch_log_group" "logs" {
  # expect: KMS008
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
