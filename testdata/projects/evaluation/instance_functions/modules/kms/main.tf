variable "services" {
  type = set(string)
}

resource "aws_kms_key" "this" {
  for_each            = var.services
  enable_key_rotation = true
}

output "keys" {
  value = aws_kms_key.this
}

output "key_ids" {
  value = { for k, v in aws_kms_key.this : k => v.key_id }
}

output "key_arns" {
  value = { for k, v in aws_kms_key.this : k => v.arn }
}
