resource "aws_kms_key" "explicit_off" {
  description = "rotation switched off"
  # expect: KMS002
  enable_key_rotation = false
}

# expect: KMS002
resource "aws_kms_key" "left_out" {
  description = "rotation defaults to off"
}

# expect: KMS002
resource "aws_kms_key" "symmetric_spelled_out" {
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage                = "ENCRYPT_DECRYPT"
}
