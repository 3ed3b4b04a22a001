resource "aws_backup_vault" "governance" {
  name = "governance"
}

# expect: BKP002
resource "aws_backup_vault_lock_configuration" "governance" {
  backup_vault_name  = aws_backup_vault.governance.name
  min_retention_days = 30
  max_retention_days = 365
}

resource "aws_backup_vault" "short_grace" {
  name = "short-grace"
}

resource "aws_backup_vault_lock_configuration" "short_grace" {
  backup_vault_name  = aws_backup_vault.short_grace.name
  min_retention_days = 30
  # expect: BKP002
  changeable_for_days = 1
}
