# The prod environment: keys per service, consumers through the module's outputs.
module "kms" {
  source   = "../../modules/kms"
  env      = "prod"
  services = ["s3", "rds"]
}

module "api" {
  source = "../../modules/api"
  apis   = ["orders", "billing"]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = "prod-data"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
      # expect: KMS001
      kms_master_key_id = module.kms.key_arns["s3"]
    }
  }
}

resource "aws_db_instance" "db" {
  identifier        = "prod-db"
  instance_class    = "db.t3.micro"
  storage_encrypted = true
  # expect: KMS007
  kms_key_id = module.kms.alias_arns["rds"]
}
