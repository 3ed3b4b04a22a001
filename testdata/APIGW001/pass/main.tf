variable "openapi" {
  type = string
}

resource "aws_api_gateway_rest_api" "inline_policy" {
  name = "inline"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "execute-api:Invoke", Resource = "execute-api:/*" }]
  })
}

resource "aws_api_gateway_rest_api" "policy_resource" {
  name = "separate"
}

resource "aws_api_gateway_rest_api_policy" "separate" {
  rest_api_id = aws_api_gateway_rest_api.policy_resource.id
  policy      = data.aws_iam_policy_document.api.json
}

data "aws_iam_policy_document" "api" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}

resource "aws_api_gateway_rest_api" "private" {
  name = "private"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_rest_api" "default_endpoint_disabled" {
  name                         = "custom-domain-only"
  disable_execute_api_endpoint = true
}

resource "aws_api_gateway_rest_api" "openapi_policy" {
  name = "openapi"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1" }
    paths   = {}
    "x-amazon-apigateway-policy" = {
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Principal = "*", Action = "execute-api:Invoke", Resource = "execute-api:/*" }]
    }
  })
}

# The definition is not known statically: it may carry a policy.
resource "aws_api_gateway_rest_api" "openapi_from_variable" {
  name = "unknown"
  body = var.openapi
}
