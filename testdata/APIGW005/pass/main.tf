resource "aws_api_gateway_rest_api" "disabled" {
  name                         = "disabled"
  disable_execute_api_endpoint = true
}

resource "aws_api_gateway_base_path_mapping" "disabled" {
  api_id      = aws_api_gateway_rest_api.disabled.id
  domain_name = "api.example.com"
}

# No custom domain: APIGW001 covers this API.
resource "aws_api_gateway_rest_api" "no_domain" {
  name = "no-domain"
}

# HTTP APIs are APIGW006's business.
resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_api_mapping" "http" {
  api_id      = aws_apigatewayv2_api.http.id
  domain_name = "http.example.com"
  stage       = "$default"
}
