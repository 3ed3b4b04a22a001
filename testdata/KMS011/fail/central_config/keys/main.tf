# expect: KMS011
resource "aws_kms_key" "orders" {
  enable_key_rotation = true
}
