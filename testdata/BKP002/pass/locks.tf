variable "changeable_for_days" {
  type = number
}

resource "aws_backup_vault" "compliance" {
  name = "compliance"
}

resource "aws_backup_vault_lock_configuration" "compliance" {
  backup_vault_name   = aws_backup_vault.compliance.name
  min_retention_days  = 30
  max_retention_days  = 365
  changeable_for_days = 3
}

# Unknown is not a violation.
resource "aws_backup_vault_lock_configuration" "unknown" {
  backup_vault_name   = "elsewhere"
  min_retention_days  = 30
  changeable_for_days = var.changeable_for_days
}
