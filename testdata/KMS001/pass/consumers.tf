variable "unknown_key" {}

resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "data" {
  name          = "alias/prod-data"
  target_key_id = aws_kms_key.data.key_id
}

data "aws_kms_alias" "shared" {
  name = "alias/shared"
}

resource "aws_sqs_queue" "by_alias_resource" {
  kms_master_key_id = aws_kms_alias.data.arn
}

resource "aws_sqs_queue" "by_alias_name" {
  kms_master_key_id = "alias/prod-data"
}

resource "aws_sns_topic" "by_alias_arn" {
  kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/prod-data"
}

resource "aws_sns_topic" "aws_managed" {
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_secretsmanager_secret" "by_data_alias" {
  kms_key_id = data.aws_kms_alias.shared.arn
}

resource "aws_secretsmanager_secret" "unknown" {
  kms_key_id = var.unknown_key
}

resource "aws_sqs_queue" "templated_alias" {
  kms_master_key_id = "alias/${var.unknown_key}-queue"
}

# At-creation consumers are KMS007/KMS008's business, not KMS001's.
resource "aws_db_instance" "db" {
  kms_key_id = aws_kms_key.data.arn
}
