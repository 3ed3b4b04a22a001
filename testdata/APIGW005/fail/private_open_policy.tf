# A private API behind a custom domain whose resource policy does not restrict callers
# to VPC endpoints: its default execute-api endpoint still answers anyone the policy
# lets through, so being private is not enough.

variable "vpce_id" {
  type    = string
  default = "vpce-0123456789abcdef0"
}

# expect: APIGW005
resource "aws_api_gateway_rest_api" "private_open" {
  name = "private-open"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = [var.vpce_id]
  }
}

resource "aws_api_gateway_rest_api_policy" "private_open" {
  rest_api_id = aws_api_gateway_rest_api.private_open.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "${aws_api_gateway_rest_api.private_open.execution_arn}/*"
    }]
  })
}

resource "aws_api_gateway_base_path_mapping" "private_open" {
  api_id      = aws_api_gateway_rest_api.private_open.id
  domain_name = "internal.example.com"
}
