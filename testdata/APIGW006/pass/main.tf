variable "protocol" {
  type = string
}

resource "aws_apigatewayv2_api" "disabled" {
  name                         = "disabled"
  protocol_type                = "HTTP"
  disable_execute_api_endpoint = true
}

resource "aws_apigatewayv2_api" "websocket" {
  name                       = "websocket"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_api" "unknown_protocol" {
  name          = "unknown"
  protocol_type = var.protocol
}
