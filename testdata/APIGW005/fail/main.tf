variable "disable_default_endpoint" {
  default = false
}

# expect: APIGW005
resource "aws_api_gateway_rest_api" "left_out" {
  name = "left-out"
}

resource "aws_api_gateway_base_path_mapping" "left_out" {
  api_id      = aws_api_gateway_rest_api.left_out.id
  domain_name = "api.example.com"
}

resource "aws_api_gateway_rest_api" "through_variable" {
  name = "variable"
  # expect: APIGW005
  disable_execute_api_endpoint = var.disable_default_endpoint
}

resource "aws_apigatewayv2_api_mapping" "through_variable" {
  api_id      = aws_api_gateway_rest_api.through_variable.id
  domain_name = "api.example.com"
  stage       = "prod"
}
