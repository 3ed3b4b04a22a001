variable "enable_vault_lock" {
  type    = bool
  default = false
}

resource "aws_backup_vault" "this" {
  name        = "prod-vault"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/abcd1234"
}

resource "aws_backup_vault_lock_configuration" "this" {
  count               = var.enable_vault_lock ? 1 : 0
  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = 30
  max_retention_days  = 365
  changeable_for_days = 3
}
