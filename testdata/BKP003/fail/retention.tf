resource "aws_backup_vault" "locked" {
  name = "locked"
}

resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name   = aws_backup_vault.locked.name
  min_retention_days  = 30
  max_retention_days  = 365
  changeable_for_days = 3
}

resource "aws_backup_vault" "short" {
  name = "short"
}

resource "aws_backup_vault_lock_configuration" "short" {
  backup_vault_name = aws_backup_vault.short.name
  # expect: BKP003
  min_retention_days  = 7
  changeable_for_days = 3
}

# expect: BKP003
resource "aws_backup_vault_lock_configuration" "no_minimum" {
  backup_vault_name   = "elsewhere"
  changeable_for_days = 3
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "below-lock-minimum"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 5 * * ? *)"
    lifecycle {
      # expect: BKP003
      delete_after = 7
    }
  }

  rule {
    rule_name         = "above-lock-maximum"
    target_vault_name = "locked"
    schedule          = "cron(0 6 * * ? *)"
    lifecycle {
      # expect: BKP003
      delete_after = 400
    }
  }

  rule {
    # expect: BKP003
    rule_name         = "kept-forever"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 7 * * ? *)"
  }

  rule {
    rule_name         = "below-policy"
    target_vault_name = "unlocked-elsewhere"
    schedule          = "cron(0 8 * * ? *)"
    lifecycle {
      # expect: BKP003
      delete_after = 14
    }
  }
}
