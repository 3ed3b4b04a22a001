# A backup module whose vault lock is switched by a variable (on by default).
variable "enable_vault_lock" {
  type    = bool
  default = true
}

variable "kms_key_arn" {
  type = string
}

# expect: BKP001
resource "aws_backup_vault" "this" {
  name        = "vault"
  kms_key_arn = var.kms_key_arn
}

resource "aws_backup_vault_lock_configuration" "this" {
  count               = var.enable_vault_lock ? 1 : 0
  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = 30
  changeable_for_days = 3
}
