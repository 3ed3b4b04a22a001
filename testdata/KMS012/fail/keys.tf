# Automatic rotation enabled on keys KMS does not rotate automatically: EnableKeyRotation
# fails with UnsupportedOperationException and the apply stops.

variable "rotate" {
  type    = bool
  default = true
}

variable "signing_spec" {
  default = "ECC_NIST_P256"
}

resource "aws_kms_key" "rsa" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
  # expect: KMS012
  enable_key_rotation = true
}

# Asymmetric encryption keys do not rotate either.
resource "aws_kms_key" "rsa_encryption" {
  customer_master_key_spec = "RSA_4096"
  # expect: KMS012
  enable_key_rotation = true
}

resource "aws_kms_key" "hmac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
  # expect: KMS012
  enable_key_rotation = var.rotate
}

resource "aws_kms_key" "cloudhsm" {
  description         = "key in a CloudHSM key store"
  custom_key_store_id = "cks-1234567890abcdef0"
  # expect: KMS012
  enable_key_rotation = var.rotate
}

resource "aws_kms_key" "spec_from_variable" {
  customer_master_key_spec = var.signing_spec
  key_usage                = "SIGN_VERIFY"
  # expect: KMS012
  enable_key_rotation     = true
  rotation_period_in_days = 365
}
