# The central Config rules check something else.
resource "aws_config_config_rule" "versioning" {
  name = "s3-versioning"
  source {
    owner             = "AWS"
    source_identifier = "S3_BUCKET_VERSIONING_ENABLED"
  }
}
