# An optional() attribute with no default, left out, is null (a known value): the lock is
# in governance mode, and `== null` takes its branch.
variable "lock" {
  type = object({
    min_retention_days  = optional(number, 30)
    changeable_for_days = optional(number)
  })
  default = {}
}

resource "aws_backup_vault" "v" {
  name = "v"
}

# expect: BKP002
resource "aws_backup_vault_lock_configuration" "l" {
  backup_vault_name   = aws_backup_vault.v.name
  min_retention_days  = var.lock.min_retention_days
  changeable_for_days = var.lock.changeable_for_days
}

locals {
  extra = var.lock.changeable_for_days == null ? {} : { a = 1 }
}

resource "aws_kms_key" "k" {
  # expect: KMS002
  enable_key_rotation = length(local.extra) == 0 ? false : true
}
