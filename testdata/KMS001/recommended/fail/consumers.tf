# Under `recommended`: per-request consumers pinning, by id or ARN, keys that only a new
# key or new material can rotate (imported material, a custom key store).

resource "aws_kms_external_key" "imported" {
  description = "material from the HSM"
}

resource "aws_kms_alias" "imported" {
  name          = "alias/imported"
  target_key_id = aws_kms_external_key.imported.id
}

resource "aws_kms_key" "hsm" {
  custom_key_store_id = "cks-1234567890abcdef0"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "data"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
      # expect: KMS001
      kms_master_key_id = aws_kms_external_key.imported.arn
    }
  }
}

resource "aws_sqs_queue" "orders" {
  # expect: KMS001
  kms_master_key_id = aws_kms_external_key.imported.id
}

# The alias's target ARN is the key's own ARN: repointing the alias does not reach it.
resource "aws_sns_topic" "events" {
  # expect: KMS001
  kms_master_key_id = aws_kms_alias.imported.target_key_arn
}

resource "aws_secretsmanager_secret" "db" {
  # expect: KMS001
  kms_key_id = aws_kms_key.hsm.arn
}
