resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  tags = {
    # expect: BKP006
    ToBackup = "true"
  }
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 * * ? *)"
  }
}

resource "aws_backup_selection" "prefixed_tag" {
  name         = "prefixed-tag"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"

  selection_tag {
    type = "STRINGEQUALS"
    # expect: BKP006
    key   = "aws:ResourceTag/ToBackup"
    value = "true"
  }
}

resource "aws_backup_selection" "unprefixed_condition" {
  name         = "unprefixed-condition"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["*"]

  condition {
    string_equals {
      # expect: BKP006
      key   = "ToBackup"
      value = "true"
    }
  }
}

resource "aws_backup_selection" "wrong_case" {
  name         = "wrong-case"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "ToBackup"
    # expect: BKP006
    value = "True"
  }
}
