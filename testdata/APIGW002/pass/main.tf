variable "region" {
  type = string
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc"
}

resource "aws_api_gateway_stage" "test" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "test"
}

# The stage ARN written out.
resource "aws_wafv2_web_acl_association" "test" {
  resource_arn = "arn:aws:apigateway:${var.region}::/restapis/${aws_api_gateway_rest_api.orders.id}/stages/test"
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc"
}

resource "aws_api_gateway_stage" "classic" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "classic"
}

resource "aws_wafregional_web_acl_association" "classic" {
  resource_arn = aws_api_gateway_stage.classic.arn
  web_acl_id   = "a1b2c3d4"
}

resource "aws_api_gateway_rest_api" "private" {
  name = "private"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_stage" "private" {
  rest_api_id   = aws_api_gateway_rest_api.private.id
  deployment_id = "abc123"
  stage_name    = "prod"
}
