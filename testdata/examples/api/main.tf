variable "endpoint" {
  default = "REGIONAL"
}

resource "aws_api_gateway_rest_api" "edge_by_default" {
  name = "edge"
}

resource "aws_api_gateway_rest_api" "regional" {
  name = "regional"
  endpoint_configuration {
    types = [var.endpoint]
  }
}

resource "aws_api_gateway_rest_api" "openapi_without_policy" {
  name = "openapi"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1" }
    paths   = {}
  })
  disable_execute_api_endpoint = false
}

# A policy for another API does not count.
resource "aws_api_gateway_rest_api_policy" "other" {
  rest_api_id = aws_api_gateway_rest_api.private.id
  policy      = "{}"
}

resource "aws_api_gateway_rest_api" "private" {
  name = "private"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}
