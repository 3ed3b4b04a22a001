# The plan deletes recovery points after 10 days, but the vault lock keeps them at least
# 14: backup jobs fail, in every profile. The lock minimum of 14 is below the policy
# floor of 30, which only the strict profile (or a configured `min_days`) reports.
resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault_lock_configuration" "main" {
  backup_vault_name   = aws_backup_vault.main.name
  min_retention_days  = 14
  max_retention_days  = 365
  changeable_for_days = 3
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 * * ? *)"
    lifecycle {
      # expect: BKP003
      delete_after = 10
    }
  }
}
