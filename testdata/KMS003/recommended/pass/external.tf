# Under `recommended`: material with an expiry in the future is tracked by its expiry; an
# old RotationDate tag is only the policy's business (strict, or KMS003 configured).
# (Tests run with today = 2026-06-01.)

variable "valid_to" {}

resource "aws_kms_external_key" "expires_later" {
  valid_to = "2027-01-01T00:00:00Z"
}

resource "aws_kms_external_key" "expires_later_other_tags" {
  valid_to = "2026-12-31T00:00:00Z"
  tags = {
    Team = "payments"
  }
}

resource "aws_kms_external_key" "old_tag" {
  tags = {
    RotationDate = "2020-01-01"
  }
}

resource "aws_kms_external_key" "fresh_tag" {
  tags = {
    RotationDate = "2026-03-01T09:00:00Z"
  }
}

# An expiry that is not known statically is not a violation.
resource "aws_kms_external_key" "unknown_expiry" {
  valid_to = var.valid_to
}
