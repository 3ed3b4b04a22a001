# expect: BKP005
resource "aws_db_instance" "untagged" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
}

resource "aws_dynamodb_table" "other_tags" {
  name     = "orders"
  hash_key = "id"
  # expect: BKP005
  tags = {
    Owner = "team-a"
  }
}

resource "aws_s3_bucket" "bad_value" {
  bucket = "orders-archive"
  tags = {
    # expect: BKP005
    ToBackup = "yes"
  }
}

resource "aws_efs_file_system" "wrong_case" {
  tags = {
    # expect: BKP005
    ToBackup = "True"
  }
}
