# ... and the Config rule that monitors their rotation in another.
resource "aws_config_config_rule" "kms_rotation" {
  name = "kms-rotation"
  source {
    owner             = "AWS"
    source_identifier = "CMK_BACKING_KEY_ROTATION_ENABLED"
  }
}
