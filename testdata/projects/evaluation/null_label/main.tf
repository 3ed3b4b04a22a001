# The cloudposse idiom: every resource is switched by `module.this.enabled`, the output
# of the registry module `cloudposse/label/null` (not downloaded here). Its `enabled` is
# its `enabled` input, else the `enabled` of the context it receives, else true.
module "this" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
}

module "backup" {
  source  = "./modules/vault"
  context = module.this.context
}

module "backup_disabled" {
  source  = "./modules/vault"
  enabled = false
  context = module.this.context
}
