provider "aws" {
  default_tags {
    tags = {
      Owner = "cloudfoundation@example.com"
    }
  }
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  # expect: TAG001
  tags = {
    Environment = "prod"
  }
}

# expect: TAG001
resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  # expect: TAG001
  tags = {
    Environment = "prod"
  }
}
