# No backup selection and no `ToBackup` tag anywhere: the repository never adopted the
# convention, so untagged resources are not undecided under `recommended`.
resource "aws_s3_bucket" "orders" {
  bucket = "orders"
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  tags = {
    Owner = "team-a"
  }
}
