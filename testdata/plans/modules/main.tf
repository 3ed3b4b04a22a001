provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      Environment = "prod"
    }
  }
}

module "kms" {
  source = "./modules/kms"
  keys   = toset(["backup", "logs"])
}

# A registry module, not downloaded into the tree: its resources are placed in the plan.
module "audit" {
  source  = "example/audit-key/aws"
  version = "1.0.0"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}

resource "aws_api_gateway_stage" "dev" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "dev"
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/main/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
}

resource "aws_backup_vault" "main" {
  name        = "main"
  kms_key_arn = module.kms.key_arns["backup"]
}

resource "aws_backup_vault_lock_configuration" "main" {
  backup_vault_name  = aws_backup_vault.main.name
  min_retention_days = 7
  max_retention_days = 365
}
