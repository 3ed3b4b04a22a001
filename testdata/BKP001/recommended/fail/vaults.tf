# Under `recommended`, a vault without a lock is reported: its recovery points can be
# deleted by anyone with the permission.
# expect: BKP001
resource "aws_backup_vault" "main" {
  name          = "main"
  force_destroy = false
}
