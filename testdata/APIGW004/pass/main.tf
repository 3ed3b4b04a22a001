variable "vpce_id" {
  type = string
}

resource "aws_api_gateway_rest_api" "vpce" {
  name = "vpce"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = [var.vpce_id]
  }
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "execute-api:Invoke", Resource = "execute-api:/*" },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*"
        Condition = { StringNotEquals = { "aws:SourceVpce" = var.vpce_id } }
      },
    ]
  })
}

resource "aws_api_gateway_rest_api" "vpc" {
  name = "vpc"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_rest_api_policy" "vpc" {
  rest_api_id = aws_api_gateway_rest_api.vpc.id
  policy      = data.aws_iam_policy_document.vpc.json
}

data "aws_iam_policy_document" "vpc" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpc"
      values   = ["vpc-0123456789abcdef0"]
    }
  }
}

# Regional APIs are APIGW001's business.
resource "aws_api_gateway_rest_api" "regional" {
  name = "regional"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}
