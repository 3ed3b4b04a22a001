# iacguard:ignore KMS002 -- rotation is handled by the key management team's runbook
resource "aws_kms_key" "runbook" {
  description = "suppressed above the block"
}

resource "aws_kms_key" "attribute" {
  // iacguard:ignore KMS002 -- temporary, ticket SEC-42
  enable_key_rotation = false
}

resource "aws_kms_key" "end_of_line" {
  enable_key_rotation = false # iacguard:ignore kms-key-rotation-disabled
}

#checkov:skip=CKV_AWS_7:rotation done on demand by the HSM team
resource "aws_kms_key" "checkov" {
}

#tfsec:ignore:aws-kms-auto-rotate-keys
resource "aws_kms_key" "tfsec" {
}

#trivy:ignore:AVD-AWS-0065
resource "aws_kms_key" "trivy" {
}

# iacguard:ignore KMS006 -- nothing to suppress here
resource "aws_kms_key" "unused" {
  enable_key_rotation = true
}

resource "aws_kms_key" "reported" {
  enable_key_rotation = false
}
