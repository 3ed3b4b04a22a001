# A multi-Region replica with imported material takes its own copy of the material: in
# the configuration, it is as exposed as the primary's.

variable "replica_material" {
  default = "cmVwbGljYSBrZXkgbWF0ZXJpYWwgZm9yIHRlc3RzIDEyMzQ="
}

resource "aws_kms_external_key" "primary" {
  multi_region = true
}

resource "aws_kms_replica_external_key" "literal" {
  primary_key_arn = aws_kms_external_key.primary.arn
  # expect: KMS009
  key_material_base64 = "cmVwbGljYSBtYXRlcmlhbCB3cml0dGVuIG91dCAxMjM0NTY="
}

resource "aws_kms_replica_external_key" "from_variable" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  # expect: KMS009
  key_material_base64 = var.replica_material
}
