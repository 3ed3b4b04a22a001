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

resource "aws_efs_file_system" "files" {
  tags = {
    ToBackup = "true"
  }
}
