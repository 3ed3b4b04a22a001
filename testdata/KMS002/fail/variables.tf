variable "rotate" {
  type    = bool
  default = "false"
}

locals {
  settings = {
    rotate = var.rotate
  }
}

resource "aws_kms_key" "through_local" {
  # expect: KMS002
  enable_key_rotation = local.settings.rotate
}

resource "aws_kms_key" "counted" {
  count = 2
  # expect: KMS002
  enable_key_rotation = count.index > 5
}

resource "aws_kms_key" "conditional" {
  # expect: KMS002
  enable_key_rotation = var.rotate ? true : false
}
