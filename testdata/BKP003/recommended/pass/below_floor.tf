# Retentions below the policy floor of 30 days that no vault lock rejects: a plan of 7
# days on an unlocked vault, and a plan of 7 days on a vault locked at a minimum of 7.
# Only the strict profile (or a configured `min_days`) reports them.
resource "aws_backup_vault" "unlocked" {
  name = "unlocked"
}

resource "aws_backup_vault" "locked" {
  name = "locked"
}

resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name   = aws_backup_vault.locked.name
  min_retention_days  = 7
  changeable_for_days = 3
}

resource "aws_backup_plan" "weekly" {
  name = "weekly"

  rule {
    rule_name         = "unlocked"
    target_vault_name = aws_backup_vault.unlocked.name
    schedule          = "cron(0 5 * * ? *)"
    lifecycle {
      delete_after = 7
    }
  }

  rule {
    rule_name         = "within-lock"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 6 * * ? *)"
    lifecycle {
      delete_after = 7
    }
  }
}
