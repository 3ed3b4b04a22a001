resource "aws_kms_key" "logs" {
  description         = "logs"
  enable_key_rotation = false
}

resource "aws_kms_alias" "logs" {
  name          = "alias/logs"
  target_key_id = aws_kms_key.logs.key_id
}

resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = true
}

resource "aws_kms_alias" "data" {
  name          = "alias/data"
  target_key_id = aws_kms_key.data.key_id
}

# Replaced: planned as ["delete", "create"], a key that is created.
resource "aws_kms_key" "replaced" {
  description = "replaced"
}

resource "aws_kms_alias" "replaced" {
  name          = "alias/replaced"
  target_key_id = aws_kms_key.replaced.arn
}

resource "random_integer" "days" {
  min = 90
  max = 365
}

resource "aws_kms_key" "rotating" {
  description             = "rotating"
  enable_key_rotation     = true
  rotation_period_in_days = random_integer.days.result
}

resource "aws_kms_alias" "rotating" {
  name          = "alias/rotating"
  target_key_id = aws_kms_key.rotating.id
}

resource "aws_s3_bucket" "logs" {
  bucket = "example-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs.arn
    }
  }
}

resource "aws_ebs_volume" "db" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = true
  kms_key_id        = aws_kms_alias.data.arn
}

resource "aws_kms_external_key" "byok" {
  description         = "byok"
  key_material_base64 = var.byok_material
  valid_to            = "2027-06-01T00:00:00Z"
  tags = {
    RotationDate = "2026-06-01"
  }
}

resource "aws_kms_alias" "byok" {
  name          = "alias/byok"
  target_key_id = aws_kms_external_key.byok.id
}
