# With BKP004 configured, a vault on the AWS managed key is reported under `recommended`.
resource "aws_backup_vault" "main" {
  name = "main"
  # expect: BKP004
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/aws/backup"
}

# expect: BKP004
resource "aws_backup_vault" "default_key" {
  name = "default-key"
}
