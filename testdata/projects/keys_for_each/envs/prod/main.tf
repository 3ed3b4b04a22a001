# The prod environment: two keys from the module, counted keys of its own.
module "keys" {
  source = "../../modules/keys"
  env    = "prod"
  keys   = { "s3" = 180, "logs" = 365 }
}

resource "aws_kms_key" "counted" {
  count               = 2
  description         = "counted-${count.index}"
  enable_key_rotation = true
}

resource "aws_kms_alias" "counted" {
  count         = 2
  name          = "alias/prod-counted-${count.index}"
  target_key_id = aws_kms_key.counted[count.index].key_id
}

resource "aws_sns_topic" "events" {
  name              = "prod-events"
  kms_master_key_id = aws_kms_key.counted[1].arn
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "prod-data"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.keys.key_arns["s3"]
    }
  }
}
