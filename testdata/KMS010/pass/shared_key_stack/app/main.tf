# The alias name means the new key, defined in another configuration.
resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = "alias/orders"
}
