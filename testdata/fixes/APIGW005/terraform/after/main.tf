resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  disable_execute_api_endpoint = true

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_base_path_mapping" "orders" {
  api_id      = aws_api_gateway_rest_api.orders.id
  domain_name = "api.example.com"
  stage_name  = "prod"
}
