resource "aws_kms_key" "db" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "db" {
  name          = "alias/db"
  target_key_id = aws_kms_key.db.key_id
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = aws_kms_alias.db.target_key_arn # pinned at creation
}
