variable "service" {
  type = string
}

variable "environment" {
  type = string
}

variable "rotated_on" {
  type = string
}

resource "aws_kms_external_key" "this" {
  description = "${var.service} key, material from the on-premise HSM"
  tags = {
    Environment  = var.environment
    RotationDate = var.rotated_on
  }
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.environment}-${var.service}"
  target_key_id = aws_kms_external_key.this.id
}

output "alias_arn" {
  value = aws_kms_alias.this.arn
}

output "key_arn" {
  value = aws_kms_external_key.this.arn
}
