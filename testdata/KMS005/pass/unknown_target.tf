variable "key" {}

resource "aws_kms_key" "maybe_aliased" {
  enable_key_rotation = true
}

# The target is not known statically: it may be the key above.
resource "aws_kms_alias" "a" {
  name          = "alias/a"
  target_key_id = var.key
}
