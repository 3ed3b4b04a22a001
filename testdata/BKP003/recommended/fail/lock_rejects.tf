# What a vault lock rejects is a fact in every profile: a lock with no minimum at all,
# and a plan that keeps recovery points longer than the lock's maximum.
# expect: BKP003
resource "aws_backup_vault_lock_configuration" "no_minimum" {
  backup_vault_name   = "elsewhere"
  changeable_for_days = 3
}

resource "aws_backup_vault" "capped" {
  name = "capped"
}

resource "aws_backup_vault_lock_configuration" "capped" {
  backup_vault_name  = aws_backup_vault.capped.name
  min_retention_days = 1
  max_retention_days = 90
}

resource "aws_backup_plan" "yearly" {
  name = "yearly"

  rule {
    rule_name         = "yearly"
    target_vault_name = aws_backup_vault.capped.name
    schedule          = "cron(0 5 1 1 ? *)"
    lifecycle {
      # expect: BKP003
      delete_after = 365
    }
  }
}
