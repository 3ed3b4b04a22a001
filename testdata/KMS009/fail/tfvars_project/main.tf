variable "material" {
  type = string
}

resource "aws_kms_external_key" "k" {
  # expect: KMS009
  key_material_base64 = var.material
}
