variable "selection_tags" {
  type = list(map(string))
}

resource "aws_backup_selection" "named" {
  name         = "named"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_dynamodb_table.orders.arn]
}

# Unknown is not a violation: these tags may select anything.
resource "aws_backup_selection" "dynamic" {
  name         = "dynamic"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"

  dynamic "selection_tag" {
    for_each = var.selection_tags
    content {
      type  = selection_tag.value["type"]
      key   = selection_tag.value["key"]
      value = selection_tag.value["value"]
    }
  }
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  tags = {
    ToBackup = "true"
  }
}

resource "aws_s3_bucket" "archive" {
  bucket = "archive"
  tags = {
    ToBackup = "true"
  }
}
