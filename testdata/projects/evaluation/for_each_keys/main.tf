locals {
  keys = {
    orders   = { rotate = false }
    payments = { rotate = true }
  }
}

resource "aws_kms_key" "svc" {
  for_each = local.keys
  # expect: KMS002
  enable_key_rotation = each.value.rotate
}

resource "aws_kms_alias" "svc" {
  for_each      = local.keys
  name          = "alias/${each.key}"
  target_key_id = aws_kms_key.svc[each.key].key_id
}
