variable "vaults" {
  type    = set(string)
  default = ["30-365", "90-730"]
}

resource "aws_backup_vault" "standard" {
  for_each = var.vaults
  name     = "standard-${each.key}"
}

resource "aws_backup_vault_lock_configuration" "standard" {
  for_each            = var.vaults
  backup_vault_name   = aws_backup_vault.standard[each.key].name
  changeable_for_days = 3
  min_retention_days  = split("-", each.key)[0]
  max_retention_days  = split("-", each.key)[1]
}

# The reference names one instance; retention fits the 30-365 lock.
resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.standard["30-365"].name
    schedule          = "cron(0 5 * * ? *)"
    lifecycle {
      delete_after = 35
    }
  }
}
