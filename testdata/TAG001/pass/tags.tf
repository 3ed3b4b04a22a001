provider "aws" {
  default_tags {
    tags = {
      Owner       = "cloudfoundation@example.com"
      Environment = "prod"
    }
  }
}

variable "tags" {
  type = map(string)
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  tags = {
    CostCenter = "IT-456"
  }
}

# Unknown is not a violation.
resource "aws_s3_bucket" "unknown" {
  bucket = "unknown"
  tags   = var.tags
}

# Does not take tags.
resource "aws_backup_selection" "all" {
  name         = "all"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["*"]
}
