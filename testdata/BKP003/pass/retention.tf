variable "retention_days" {
  type = number
}

resource "aws_backup_vault" "locked" {
  name = "locked"
}

resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name   = aws_backup_vault.locked.name
  min_retention_days  = 30
  max_retention_days  = 365
  changeable_for_days = 3
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "within-lock"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 5 * * ? *)"
    lifecycle {
      delete_after = 35
    }
  }

  # Unknown is not a violation.
  rule {
    rule_name         = "from-variable"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 6 * * ? *)"
    lifecycle {
      delete_after = var.retention_days
    }
  }

  # No lifecycle: kept until deleted, which a lock without a maximum allows.
  rule {
    rule_name         = "kept"
    target_vault_name = "unlocked"
    schedule          = "cron(0 7 * * ? *)"
  }
}
