variable "rotate" {
  type    = bool
  default = true
}

variable "unknown_rotate" {
  type = bool
}

resource "aws_kms_key" "on" {
  enable_key_rotation     = true
  rotation_period_in_days = 365
}

resource "aws_kms_key" "through_variable" {
  enable_key_rotation = var.rotate
}

# Unknown is not a violation: no value is known for this variable.
resource "aws_kms_key" "unknown" {
  enable_key_rotation = var.unknown_rotate
}

resource "aws_kms_key" "never_created" {
  count = 0
}

resource "aws_kms_key" "signing" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "hmac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "aws_kms_key" "custom_store" {
  custom_key_store_id = "cks-1234567890abcdef0"
}

resource "aws_kms_external_key" "imported" {
  description = "material imported from the HSM"
}
