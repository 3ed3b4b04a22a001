# expect: APIGW004
resource "aws_api_gateway_rest_api" "no_policy" {
  name = "no-policy"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_rest_api" "ip_only" {
  name = "ip-only"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_rest_api_policy" "ip_only" {
  rest_api_id = aws_api_gateway_rest_api.ip_only.id
  policy      = data.aws_iam_policy_document.ip_only.json
}

data "aws_iam_policy_document" "ip_only" {
  # expect: APIGW004
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["10.0.0.0/8"]
    }
  }
}
