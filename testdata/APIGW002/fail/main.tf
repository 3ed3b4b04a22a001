resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}

# expect: APIGW002
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}

resource "aws_api_gateway_stage" "test" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "test"
}

# Protects the test stage only.
resource "aws_wafv2_web_acl_association" "test" {
  resource_arn = aws_api_gateway_stage.test.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc"
}

# An edge-optimized API by default, with a stage created by its deployment.
resource "aws_api_gateway_rest_api" "legacy" {
  name                         = "legacy"
  disable_execute_api_endpoint = true
}

# expect: APIGW002
resource "aws_api_gateway_deployment" "legacy" {
  rest_api_id = aws_api_gateway_rest_api.legacy.id
  stage_name  = "v1"
}

# A load balancer, not the stage.
resource "aws_wafv2_web_acl_association" "alb" {
  resource_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/web/def"
}
