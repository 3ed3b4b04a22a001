# Another configuration: the alias name reaches the disabled key.
variable "key" {
  default = "alias/orders"
}

resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = var.key
}
