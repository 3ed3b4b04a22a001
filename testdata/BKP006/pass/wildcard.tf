resource "aws_backup_selection" "everything" {
  name         = "everything"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["*"]
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  tags = {
    ToBackup = "true"
  }
}
