# AWS Backup encrypts every recovery point; the AWS managed key aws/backup is the
# service's default. A customer key is an organisation's policy: under `recommended`,
# without BKP004 configured, these vaults are not reported.
resource "aws_backup_vault" "default_key" {
  name = "default-key"
}

resource "aws_backup_vault" "explicit_null" {
  name        = "standard"
  kms_key_arn = null # Uses AWS Managed Key
}
