resource "aws_backup_selection" "tagged" {
  name         = "tagged"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "ToBackup"
    value = "true"
  }
}

resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  tags = {
    ToBackup = "true"
  }
}
