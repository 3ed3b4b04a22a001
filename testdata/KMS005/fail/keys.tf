# expect: KMS005
resource "aws_kms_key" "lonely" {
  enable_key_rotation = true
}

resource "aws_kms_key" "aliased" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "aliased" {
  name          = "alias/aliased"
  target_key_id = aws_kms_key.aliased.key_id
}

# expect: KMS005
resource "aws_kms_external_key" "imported" {
  tags = { RotationDate = "2026-05-01" }
}
