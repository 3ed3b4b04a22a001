# Under `recommended`: AWS-generated symmetric keys whose automatic rotation is off or left
# out, without an alias. Turning rotation on (KMS002's business) keeps the id and ARN, so
# no alias is needed to rotate them.

resource "aws_kms_key" "rotation_left_out" {
  description = "enable_key_rotation defaults to false"
}

resource "aws_kms_key" "rotation_off" {
  enable_key_rotation = false
}
