module "orders_key" {
  source      = "../../modules/service-key"
  service     = "orders"
  environment = "staging"
  rotated_on  = var.rotated_on
}

variable "rotated_on" {
  type = string
}

resource "aws_sqs_queue" "orders" {
  name              = "staging-orders"
  kms_master_key_id = module.orders_key.alias_arn
}

resource "aws_db_instance" "orders" {
  identifier = "staging-orders"
  kms_key_id = module.orders_key.key_arn
}
