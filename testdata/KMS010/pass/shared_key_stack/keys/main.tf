# The old key is disabled and nothing uses it any more; its alias moved to the new key.
resource "aws_kms_key" "old" {
  enable_key_rotation = true
  is_enabled          = false
}

resource "aws_kms_key" "new" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "orders" {
  name          = "alias/orders"
  target_key_id = aws_kms_key.new.key_id
}
