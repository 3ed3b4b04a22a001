# Replicas whose material is imported outside Terraform.

resource "aws_kms_replica_external_key" "imported_outside_terraform" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  valid_to        = "2027-01-01T00:00:00Z"
}

# A replica of a key with KMS-generated material has no material argument.
resource "aws_kms_replica_key" "generated" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef"
}
