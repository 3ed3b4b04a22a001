# iacguard:ignore-file KMS005 -- aliases are created by the platform pipeline
resource "aws_kms_key" "a" {
  enable_key_rotation = true
}
