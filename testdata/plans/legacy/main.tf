resource "aws_kms_key" "app" {
  description             = "app"
  deletion_window_in_days = 10
}

resource "aws_kms_alias" "app" {
  name          = "alias/app"
  target_key_id = aws_kms_key.app.key_id
}

resource "aws_sns_topic" "events" {
  name              = "events"
  kms_master_key_id = aws_kms_alias.app.name
}
