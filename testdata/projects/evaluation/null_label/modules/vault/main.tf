variable "enabled" {
  type    = bool
  default = null
}

variable "context" {
  type    = any
  default = { enabled = true }
}

module "this" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  enabled = var.enabled
  context = var.context
}

# Created for `module.backup` only: `module.backup_disabled` switches it off.
# expect: BKP001
resource "aws_backup_vault" "default" {
  count = module.this.enabled ? 1 : 0
  name  = "vault"
}
