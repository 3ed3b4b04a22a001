variable "queue_key" {
  default = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "data" {
  name          = "alias/prod-data"
  target_key_id = aws_kms_key.data.key_id
}

data "aws_kms_key" "shared" {
  key_id = "alias/shared"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "data"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
      # expect: KMS001
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

resource "aws_sqs_queue" "orders" {
  # expect: KMS001
  kms_master_key_id = var.queue_key
}

resource "aws_sns_topic" "events" {
  # expect: KMS001
  kms_master_key_id = "mrk-1234abcd12ab34cd56ef1234567890ab"
}

resource "aws_secretsmanager_secret" "db" {
  # expect: KMS001
  kms_key_id = aws_kms_alias.data.target_key_arn
}

resource "aws_ssm_parameter" "token" {
  name = "token"
  type = "SecureString"
  # expect: KMS001
  key_id = data.aws_kms_key.shared.arn
}

resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
        # expect: KMS001
        kms_master_key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
      }
    }
  }
}
