# A backup selection matches on the `ToBackup` tag through a condition: a table whose
# tags lack it is left undecided.
resource "aws_backup_selection" "by_condition" {
  name         = "by-condition"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["*"]

  condition {
    string_equals {
      key   = "aws:ResourceTag/ToBackup"
      value = "true"
    }
  }
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  # expect: BKP005
  tags = {
    Owner = "team-a"
  }
}
