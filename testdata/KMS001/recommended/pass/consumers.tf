# Under `recommended`: an AWS-generated key that rotates automatically keeps its id and
# ARN, so pinning it by ARN is fine; the other consumers use an alias.

variable "unknown_key" {}

resource "aws_kms_key" "rotating" {
  enable_key_rotation = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "data"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.rotating.arn
    }
  }
}

resource "aws_sqs_queue" "pinned_rotating" {
  kms_master_key_id = aws_kms_key.rotating.key_id
}

resource "aws_secretsmanager_secret" "pinned_rotating" {
  kms_key_id = aws_kms_key.rotating.arn
}

resource "aws_kms_external_key" "imported" {
  description = "material from the HSM"
}

resource "aws_kms_alias" "imported" {
  name          = "alias/imported"
  target_key_id = aws_kms_external_key.imported.id
}

resource "aws_kms_key" "no_rotation" {}

resource "aws_kms_alias" "no_rotation" {
  name          = "alias/no-rotation"
  target_key_id = aws_kms_key.no_rotation.key_id
}

resource "aws_sns_topic" "by_alias_resource" {
  kms_master_key_id = aws_kms_alias.imported.arn
}

resource "aws_sqs_queue" "by_alias_name" {
  kms_master_key_id = "alias/no-rotation"
}

# A key the tree does not define: its rotation is not known, and unknown is not a
# violation.
resource "aws_sns_topic" "literal_arn" {
  kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_secretsmanager_secret" "unknown" {
  kms_key_id = var.unknown_key
}
