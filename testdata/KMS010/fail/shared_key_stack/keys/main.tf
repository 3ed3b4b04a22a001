# The key stack: services elsewhere name the key by its alias.
resource "aws_kms_key" "orders" {
  enable_key_rotation = true
  # expect: KMS010
  is_enabled = false
}

resource "aws_kms_alias" "orders" {
  name          = "alias/orders"
  target_key_id = aws_kms_key.orders.key_id
}
