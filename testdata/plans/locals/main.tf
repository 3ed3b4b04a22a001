# Links through locals: the plan's configuration names `local.*`, whose expressions only
# the source holds.
locals {
  app_key_id  = aws_kms_key.app.key_id
  app_key_arn = local.app_key_ref.arn
  app_key_ref = aws_kms_key.app
  logs_key    = aws_kms_key.logs.arn
  # A literal: the plan's value stands.
  shared_key = "arn:aws:kms:eu-west-1:111122223333:key/0000aaaa-11bb-22cc-33dd-444444eeeeee"
}

resource "aws_kms_key" "app" {
  description         = "app"
  enable_key_rotation = true
}

resource "aws_kms_alias" "app" {
  name          = "alias/app"
  target_key_id = local.app_key_id
}

resource "aws_ebs_volume" "db" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = true
  kms_key_id        = local.app_key_arn
}

resource "aws_kms_key" "logs" {
  description         = "logs"
  enable_key_rotation = true
}

resource "aws_kms_alias" "logs" {
  name          = "alias/logs"
  target_key_id = local.logs_key
}

resource "aws_sqs_queue" "jobs" {
  name              = "jobs"
  kms_master_key_id = local.shared_key
}
