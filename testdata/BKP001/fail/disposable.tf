# Under the strict profile a disposable vault (`force_destroy = true`) needs a lock too.
# expect: BKP001
resource "aws_backup_vault" "staging" {
  name          = "staging"
  force_destroy = true
}
