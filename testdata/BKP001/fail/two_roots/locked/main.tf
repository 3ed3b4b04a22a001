resource "aws_backup_vault" "this" {
  name = "locked"
}
