# Under `recommended`: AWS-generated symmetric keys whose automatic rotation is off or left
# out, pinned by ARN. Turning rotation on (KMS002's business) keeps the id and ARN, so
# the pin is not what breaks rotation.

resource "aws_kms_key" "rotation_left_out" {
  description = "enable_key_rotation defaults to false"
}

resource "aws_kms_key" "rotation_off" {
  enable_key_rotation = false
}

resource "aws_sqs_queue" "orders" {
  kms_master_key_id = aws_kms_key.rotation_left_out.arn
}

resource "aws_sns_topic" "events" {
  kms_master_key_id = aws_kms_key.rotation_off.key_id
}
