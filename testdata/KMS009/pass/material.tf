resource "aws_kms_external_key" "imported_outside_terraform" {
  description = "material imported by the HSM team"
}
