provider "aws" {
  default_tags {
    tags = {
      Environment = "prod"
    }
  }
}

variable "rotated_on" {
  default = "2024-01-15"
}

# expect: KMS003
resource "aws_kms_external_key" "untagged" {
  description = "material from the HSM"
}

resource "aws_kms_external_key" "overdue" {
  tags = {
    # expect: KMS003
    RotationDate = var.rotated_on
  }
}

resource "aws_kms_external_key" "malformed" {
  tags = {
    # expect: KMS003
    RotationDate = "last spring"
  }
}

resource "aws_kms_external_key" "expired" {
  # expect: KMS003
  valid_to = "2026-01-01T00:00:00Z"
  tags = {
    RotationDate = "2026-03-01"
  }
}
