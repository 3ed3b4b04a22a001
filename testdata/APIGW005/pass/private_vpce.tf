# A private API whose resource policy admits only a VPC endpoint answers no one else on
# its default execute-api endpoint either: the custom domain mapping is no finding.

variable "vpce_id" {
  type    = string
  default = "vpce-0123456789abcdef0"
}

# Allow only from the VPC endpoint.
resource "aws_api_gateway_rest_api" "allow_vpce" {
  name = "allow-vpce"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = [var.vpce_id]
  }
}

resource "aws_api_gateway_rest_api_policy" "allow_vpce" {
  rest_api_id = aws_api_gateway_rest_api.allow_vpce.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "${aws_api_gateway_rest_api.allow_vpce.execution_arn}/*"
      Condition = { StringEquals = { "aws:SourceVpce" = var.vpce_id } }
    }]
  })
}

resource "aws_api_gateway_base_path_mapping" "allow_vpce" {
  api_id      = aws_api_gateway_rest_api.allow_vpce.id
  domain_name = "internal.example.com"
}

# Allow everyone, deny outside the VPC endpoint (the pattern AWS documents).
resource "aws_api_gateway_rest_api" "deny_outside_vpce" {
  name = "deny-outside-vpce"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = [var.vpce_id]
  }
  policy = data.aws_iam_policy_document.deny_outside_vpce.json
}

data "aws_iam_policy_document" "deny_outside_vpce" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = [var.vpce_id]
    }
  }
}

resource "aws_api_gateway_base_path_mapping" "deny_outside_vpce" {
  api_id      = aws_api_gateway_rest_api.deny_outside_vpce.id
  domain_name = "internal.example.com"
  base_path   = "v2"
}
