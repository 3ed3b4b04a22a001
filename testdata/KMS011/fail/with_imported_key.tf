# An AWS-generated key and a key with imported material, and no Config rule: the
# managed rule would monitor only the first, so the help says how to track the other.

# expect: KMS011
resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = true
}

resource "aws_kms_external_key" "byok" {
  description = "imported material"
}
