# The configuration requires an `Owner` tag (iacguard-params.toml): under `recommended`
# a bucket without tags and a table whose tags lack it are reported.
# expect: TAG001
resource "aws_s3_bucket" "orders" {
  bucket = "orders"
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  # expect: TAG001
  tags = {
    Environment = "prod"
  }
}

resource "aws_s3_bucket" "owned" {
  bucket = "owned"
  tags = {
    Owner = "team-a"
  }
}
