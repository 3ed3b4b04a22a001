resource "aws_backup_vault" "unlocked" {
  name        = "unlocked"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0b7c6a2e-8f0e-4c1a-9a57-3f2d9d4e1a11"
}

resource "aws_backup_vault" "locked" {
  name        = "locked"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0b7c6a2e-8f0e-4c1a-9a57-3f2d9d4e1a11"
}

resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name   = aws_backup_vault.locked.name
  min_retention_days  = 30
  changeable_for_days = 3
}

# The lock names another vault: this one stays unlocked.
resource "aws_backup_vault" "other" {
  name = "other"
}

resource "aws_backup_vault_lock_configuration" "by_name" {
  backup_vault_name   = "locked"
  min_retention_days  = 30
  changeable_for_days = 3
}
