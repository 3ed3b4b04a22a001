# Under `recommended`: an AWS-generated key that rotates automatically needs no alias (its
# id and ARN never change); an imported key has one.

resource "aws_kms_key" "rotating" {
  enable_key_rotation = true
}

resource "aws_kms_external_key" "imported" {
  description = "material from the HSM"
}

resource "aws_kms_alias" "imported" {
  name          = "alias/imported"
  target_key_id = aws_kms_external_key.imported.id
}

# Signing keys are not encryption keys: no consumer references them for encryption.
resource "aws_kms_key" "signing" {
  key_usage                = "SIGN_VERIFY"
  customer_master_key_spec = "RSA_2048"
}
