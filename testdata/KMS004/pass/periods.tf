variable "period" {}

resource "aws_kms_key" "yearly" {
  enable_key_rotation     = true
  rotation_period_in_days = 365
}

resource "aws_kms_key" "default_period" {
  enable_key_rotation = true
}

resource "aws_kms_key" "unknown" {
  enable_key_rotation     = true
  rotation_period_in_days = var.period
}

# A key KMS cannot rotate automatically does not rotate every 400 days: enabling rotation on
# it is KMS012's finding.
resource "aws_kms_key" "signing" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
  enable_key_rotation      = true
  rotation_period_in_days  = 400
}
