data "aws_kms_alias" "db" {
  name = "alias/prod-db"
}

resource "aws_kms_key" "db" {
  enable_key_rotation = true
}

resource "aws_db_instance" "db" {
  kms_key_id = data.aws_kms_alias.db.target_key_arn
}

resource "aws_rds_cluster" "c" {
  kms_key_id = aws_kms_key.db.arn
}

# Per-request services take aliases: KMS001's side.
resource "aws_sqs_queue" "q" {
  kms_master_key_id = "alias/prod-db"
}
