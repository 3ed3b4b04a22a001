variable "keys" {
  type = map(object({
    description = string
    rotate      = optional(bool, false)
    window      = optional(number, 7)
  }))
  default = {
    orders = { description = "orders" }
    audit  = { description = "audit", rotate = true, window = 30 }
  }
}

resource "aws_kms_key" "svc" {
  for_each    = var.keys
  description = each.value.description
  # expect: KMS002
  enable_key_rotation = each.value.rotate
  # expect: KMS006
  deletion_window_in_days = each.value.window
}

resource "aws_kms_alias" "svc" {
  for_each      = var.keys
  name          = "alias/${each.key}"
  target_key_id = aws_kms_key.svc[each.key].key_id
}
