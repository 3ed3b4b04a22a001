variable "disable_default_endpoint" {
  default = false
}

# expect: APIGW006
resource "aws_apigatewayv2_api" "left_out" {
  name          = "left-out"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_api" "through_variable" {
  name          = "variable"
  protocol_type = "HTTP"
  # expect: APIGW006
  disable_execute_api_endpoint = var.disable_default_endpoint
}
