# Terraform's version of this configuration. OpenTofu reads main.tofu instead, and
# ignores this file: so does the analysis (this key rotates; that one does not).

resource "aws_kms_key" "data" {
  description         = "application data"
  enable_key_rotation = true
}

module "kms" {
  source = "./modules/kms"
}
