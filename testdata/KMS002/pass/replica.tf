# Replicas of multi-Region keys have no rotation argument: automatic rotation is set on the
# primary key and applies to its replicas.

resource "aws_kms_key" "primary" {
  multi_region        = true
  enable_key_rotation = true
}

resource "aws_kms_replica_key" "in_tree" {
  primary_key_arn = aws_kms_key.primary.arn
}

resource "aws_kms_replica_key" "elsewhere" {
  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
}

variable "primary_key_arn" {
  type = string
}

resource "aws_kms_replica_key" "unknown_primary" {
  primary_key_arn         = var.primary_key_arn
  deletion_window_in_days = 30
}
