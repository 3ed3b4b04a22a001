resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

module "alias" {
  source = "./modules/alias"
  key_id = aws_kms_key.data.key_id
}

resource "aws_kms_key" "signing" {
  key_usage                = "SIGN_VERIFY"
  customer_master_key_spec = "RSA_2048"
}
