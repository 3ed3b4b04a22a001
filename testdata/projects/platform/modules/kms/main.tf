# One imported (BYOK) key per service, each with its alias.
variable "env" {
  type = string
}

variable "services" {
  type = set(string)
}

# expect: KMS003
resource "aws_kms_external_key" "this" {
  for_each    = var.services
  description = "${var.env}-${each.key}"
}

resource "aws_kms_alias" "this" {
  for_each      = var.services
  name          = "alias/${var.env}-${each.key}"
  target_key_id = aws_kms_external_key.this[each.key].key_id
}

output "key_arns" {
  value = { for k, v in aws_kms_external_key.this : k => v.arn }
}

output "alias_arns" {
  value = { for k, v in aws_kms_alias.this : k => v.arn }
}
