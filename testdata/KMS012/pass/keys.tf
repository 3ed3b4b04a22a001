variable "rotate" {
  type    = bool
  default = false
}

variable "unknown_spec" {
  type = string
}

variable "custom_key_store_id" {
  type    = string
  default = null
}

# The same keys without the rotation argument, or with it false.
resource "aws_kms_key" "rsa" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "hmac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
  enable_key_rotation      = false
}

resource "aws_kms_key" "cloudhsm" {
  custom_key_store_id = "cks-1234567890abcdef0"
  enable_key_rotation = var.rotate
}

# A symmetric encryption key with KMS-generated material rotates.
resource "aws_kms_key" "symmetric" {
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage                = "ENCRYPT_DECRYPT"
  enable_key_rotation      = true
}

# No custom key store: the variable is null.
resource "aws_kms_key" "no_store" {
  custom_key_store_id = var.custom_key_store_id
  enable_key_rotation = true
}

# Unknown is not a violation: the spec has no value.
resource "aws_kms_key" "unknown_spec" {
  customer_master_key_spec = var.unknown_spec
  enable_key_rotation      = true
}

# Imported material has no rotation argument in Terraform.
resource "aws_kms_external_key" "imported" {
  description = "material from the HSM"
}

# Replicas have none either: their primary's rotation applies.
resource "aws_kms_key" "primary" {
  multi_region        = true
  enable_key_rotation = true
}

resource "aws_kms_replica_key" "replica" {
  primary_key_arn = aws_kms_key.primary.arn
}
