variable "material" {
  default = "Wblj06fduthWggmsT0cLVoIMOkeLbc2kVfMud77i/JY="
}

data "aws_secretsmanager_secret_version" "material" {
  secret_id = "hsm-export"
}

resource "aws_kms_external_key" "literal" {
  # expect: KMS009
  key_material_base64 = "Ym9ndXMga2V5IG1hdGVyaWFsIGZvciB0ZXN0cyAxMjM="
}

resource "aws_kms_external_key" "from_variable" {
  # expect: KMS009
  key_material_base64 = var.material
}

resource "aws_kms_external_key" "from_data_source" {
  # expect: KMS009
  key_material_base64 = data.aws_secretsmanager_secret_version.material.secret_string
}
