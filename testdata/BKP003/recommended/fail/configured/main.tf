# With `min_days` configured (iacguard-params.toml), the policy floor applies under
# `recommended` too: a lock minimum and a plan retention below 30 days are reported.
resource "aws_backup_vault" "locked" {
  name = "locked"
}

resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name = aws_backup_vault.locked.name
  # expect: BKP003
  min_retention_days  = 7
  changeable_for_days = 3
}

resource "aws_backup_plan" "weekly" {
  name = "weekly"

  rule {
    rule_name         = "within-lock"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 6 * * ? *)"
    lifecycle {
      # expect: BKP003
      delete_after = 7
    }
  }
}
