# The only keys have imported material: CMK_BACKING_KEY_ROTATION_ENABLED does not
# evaluate them, so a missing Config rule is no finding (KMS003 tracks their rotation).

resource "aws_kms_external_key" "byok" {
  description = "imported material"
}

resource "aws_kms_external_key" "byok_second" {
  description = "more imported material"
}
