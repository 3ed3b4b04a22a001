provider "aws" {
  default_tags {
    tags = {
      RotationDate = "2026-02-01"
    }
  }
}

variable "tags" {
  type = map(string)
}

resource "aws_kms_external_key" "fresh" {
  valid_to = "2027-01-01T00:00:00Z"
  tags = {
    RotationDate = "2026-03-01T09:00:00Z"
  }
}

resource "aws_kms_external_key" "from_default_tags" {
  description = "the provider's default tags carry the date"
}

# Unknown tags are not a violation.
resource "aws_kms_external_key" "unknown_tags" {
  tags = var.tags
}

# Keys with KMS-generated material are KMS002's business.
resource "aws_kms_key" "generated" {
  enable_key_rotation = true
}
