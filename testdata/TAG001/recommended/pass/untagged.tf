# No tags are required (no iacguard-params.toml): TAG001 is a policy with no premise,
# so under `recommended` it runs only when configured, and untagged resources pass.
resource "aws_s3_bucket" "orders" {
  bucket = "orders"
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
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
