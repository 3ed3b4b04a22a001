# `force_destroy = true` declares the vault disposable (a staging or test vault): under
# `recommended` no lock is asked for (the strict profile still asks).
resource "aws_backup_vault" "staging" {
  name          = "staging"
  force_destroy = true
}
