# The tree uses the `ToBackup` tag, but a selection names the table by reference: it is
# backed up whatever its tags say, so leaving the tag off decides nothing.
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

resource "aws_backup_selection" "named" {
  name         = "named"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_dynamodb_table.t.arn]
}

resource "aws_dynamodb_table" "t" {
  name     = "orders"
  hash_key = "id"
}

resource "aws_s3_bucket" "tagged" {
  bucket = "orders-archive"
  tags = {
    ToBackup = "true"
  }
}
