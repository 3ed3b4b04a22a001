# Under `recommended`: keys without an alias that only a new key or new material can
# rotate (imported material, a custom key store, an asymmetric encryption key KMS does
# not rotate).

# expect: KMS005
resource "aws_kms_external_key" "imported" {
  description = "material from the HSM"
}

# expect: KMS005
resource "aws_kms_key" "hsm" {
  custom_key_store_id = "cks-1234567890abcdef0"
}

# expect: KMS005
resource "aws_kms_key" "rsa" {
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "RSA_2048"
}
