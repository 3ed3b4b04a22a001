# expect: BKP004
resource "aws_backup_vault" "default_key" {
  name = "default-key"
}

resource "aws_backup_vault" "aws_managed" {
  name = "aws-managed"
  # expect: BKP004
  kms_key_arn = "alias/aws/backup"
}

resource "aws_backup_vault" "aws_managed_arn" {
  name = "aws-managed-arn"
  # expect: BKP004
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/aws/backup"
}
