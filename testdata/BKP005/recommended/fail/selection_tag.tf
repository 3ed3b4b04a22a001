# A backup selection picks resources by the `ToBackup` tag, so the tree uses the
# convention: a bucket without the tag is left undecided.
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

# expect: BKP005
resource "aws_s3_bucket" "untagged" {
  bucket = "orders-archive"
}
