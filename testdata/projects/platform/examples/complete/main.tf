# How the module is used, as Terraform runs it: `terraform plan -var-file=prod.tfvars`
# in this directory.
variable "enable_vault_lock" {
  type = bool
}

variable "kms_key_arn" {
  type = string
}

module "backup" {
  source            = "../../modules/backup"
  enable_vault_lock = var.enable_vault_lock
  kms_key_arn       = var.kms_key_arn
}
