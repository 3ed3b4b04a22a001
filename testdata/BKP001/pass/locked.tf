variable "enable_vault_lock" {
  type = bool
}

resource "aws_backup_vault" "by_reference" {
  name = "by-reference"
}

resource "aws_backup_vault_lock_configuration" "by_reference" {
  backup_vault_name   = aws_backup_vault.by_reference.id
  min_retention_days  = 30
  changeable_for_days = 3
}

resource "aws_backup_vault" "by_name" {
  name = "by-name"
}

resource "aws_backup_vault_lock_configuration" "by_name" {
  backup_vault_name   = "by-name"
  min_retention_days  = 30
  changeable_for_days = 3
}

# Unknown is not a violation: the lock exists when the variable is true.
resource "aws_backup_vault" "maybe_locked" {
  name = "maybe-locked"
}

resource "aws_backup_vault_lock_configuration" "maybe_locked" {
  count               = var.enable_vault_lock ? 1 : 0
  backup_vault_name   = aws_backup_vault.maybe_locked.name
  min_retention_days  = 30
  changeable_for_days = 3
}

resource "aws_backup_vault" "never_created" {
  count = 0
  name  = "never-created"
}
