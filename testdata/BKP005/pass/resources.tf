variable "tags" {
  type = map(string)
}

resource "aws_db_instance" "backed_up" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  tags = {
    ToBackup = "true"
  }
}

resource "aws_s3_bucket" "not_backed_up" {
  bucket = "scratch"
  tags = {
    ToBackup = "false"
  }
}

# Unknown is not a violation.
resource "aws_dynamodb_table" "unknown_tags" {
  name     = "orders"
  hash_key = "id"
  tags     = var.tags
}

# Not a type AWS Backup protects.
resource "aws_sqs_queue" "queue" {
  name = "orders"
  tags = {
    Owner = "team-a"
  }
}
