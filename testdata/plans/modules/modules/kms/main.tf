variable "keys" {
  type = set(string)
}

resource "aws_kms_key" "this" {
  for_each            = var.keys
  description         = each.key
  enable_key_rotation = each.key == "backup"
}

resource "aws_kms_alias" "this" {
  for_each      = var.keys
  name          = "alias/${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}

output "key_arns" {
  value = { for k, v in aws_kms_key.this : k => v.arn }
}
