resource "aws_kms_key" "db" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "db" {
  name          = "alias/prod-db"
  target_key_id = aws_kms_key.db.key_id
}

resource "aws_db_instance" "db" {
  # expect: KMS007
  kms_key_id = aws_kms_alias.db.arn
  # expect: KMS007
  performance_insights_kms_key_id = "alias/prod-db"
}

resource "aws_dynamodb_table" "t" {
  name = "t"
  server_side_encryption {
    enabled = true
    # expect: KMS007
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/prod-db"
  }
}

resource "aws_ebs_volume" "v" {
  # expect: KMS007
  kms_key_id = "alias/aws/ebs"
}
