resource "aws_kms_key" "old" {
  enable_key_rotation = true
  # expect: KMS010
  is_enabled = false
}

resource "aws_kms_alias" "old" {
  name          = "alias/orders"
  target_key_id = aws_kms_key.old.key_id
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = "b"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_alias.old.arn
    }
  }
}

resource "aws_db_instance" "db" {
  kms_key_id = aws_kms_key.old.arn
}
