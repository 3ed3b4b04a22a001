module "kms" {
  source  = "terraform-aws-modules/kms/aws"
  version = "3.0.0"

  enable_key_rotation = false
}
