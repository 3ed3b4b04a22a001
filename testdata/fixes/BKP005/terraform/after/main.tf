resource "aws_s3_bucket" "none" {
  bucket = "a"
  tags = { ToBackup = "true" }
}

resource "aws_s3_bucket" "literal" {
  bucket = "b"
  tags = {
    Name        = "b"
    Environment = "prod" # env
    ToBackup    = "true"
  }
}

resource "aws_s3_bucket" "oneline" {
  bucket = "c"
  tags   = { Name = "c", ToBackup = "true" }
}

resource "aws_s3_bucket" "merged" {
  bucket = "d"
  tags   = merge({ ToBackup = "true" }, local.tags, { Name = "d" })
}

resource "aws_s3_bucket" "var" {
  bucket = "e"
  tags   = merge({ ToBackup = "true" }, var.tags)
}

resource "aws_s3_bucket" "case" {
  bucket = "f"
  tags   = { ToBackup = "true" }
}

resource "aws_dynamodb_table" "each" {
  for_each = toset(["a", "b"])
  name     = each.key
  tags     = { ToBackup = "true" }
}

locals {
  tags = { Team = "x" }
}

variable "tags" {
  type    = map(string)
  default = { Team = "y" }
}

variable "backup_logs" {
  type    = string
  default = "false"
}

# The value is set in terraform.tfvars, in the wrong case.
resource "aws_ebs_volume" "logs" {
  availability_zone = "eu-west-1a"
  size              = 10
  tags = {
    ToBackup = var.backup_logs
  }
}
