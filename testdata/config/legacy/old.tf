resource "aws_kms_key" "old" {}
