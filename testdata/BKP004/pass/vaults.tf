variable "kms_key_arn" {
  type = string
}

resource "aws_kms_key" "backup" {
  enable_key_rotation = true
}

resource "aws_backup_vault" "reference" {
  name        = "reference"
  kms_key_arn = aws_kms_key.backup.arn
}

resource "aws_backup_vault" "literal" {
  name        = "literal"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0b7c6a2e-8f0e-4c1a-9a57-3f2d9d4e1a11"
}

# Unknown is not a violation.
resource "aws_backup_vault" "from_variable" {
  name        = "from-variable"
  kms_key_arn = var.kms_key_arn
}
