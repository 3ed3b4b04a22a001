# Keys created by for_each over a map, each with its own alias; a queue per key.
variable "env" {
  type = string
}

variable "keys" {
  type = map(number)
}

resource "aws_kms_key" "this" {
  for_each                = var.keys
  description             = "${var.env}-${each.key}"
  enable_key_rotation     = true
  rotation_period_in_days = each.value
}

resource "aws_kms_alias" "this" {
  for_each      = var.keys
  name          = "alias/${var.env}-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}

resource "aws_sqs_queue" "this" {
  for_each          = var.keys
  name              = "${var.env}-${each.key}"
  kms_master_key_id = aws_kms_alias.this[each.key].arn
}

output "key_arns" {
  value = { for k, v in aws_kms_key.this : k => v.arn }
}
