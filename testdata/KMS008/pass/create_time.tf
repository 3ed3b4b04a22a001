variable "key" {}

resource "aws_db_instance" "aws_managed" {
  kms_key_id = "alias/aws/rds"
}

resource "aws_db_instance" "unknown" {
  kms_key_id = var.key
}

resource "aws_sqs_queue" "per_request" {
  kms_master_key_id = "alias/app"
}
