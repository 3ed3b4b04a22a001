# A lone HTTP API: no custom domain and no CloudFront origin serve it, so its default
# endpoint is the only way in; disabling it would leave the API unreachable.
resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}
