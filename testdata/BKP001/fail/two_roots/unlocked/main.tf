# Another root module with the same address: the lock of the first root is not its lock.
# expect: BKP001
resource "aws_backup_vault" "this" {
  name = "unlocked"
}
