# A source IP condition that admits every address restricts nothing: 0.0.0.0/0 (and
# ::/0) is the whole internet, and a Deny with NotIpAddress 0.0.0.0/0 denies no one.

resource "aws_api_gateway_rest_api" "any_ipv4" {
  name = "any-ipv4"
}

resource "aws_api_gateway_rest_api_policy" "any_ipv4" {
  rest_api_id = aws_api_gateway_rest_api.any_ipv4.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: APIGW003
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "${aws_api_gateway_rest_api.any_ipv4.execution_arn}/*"
        Condition = {
          IpAddress = { "aws:SourceIp" = ["0.0.0.0/0"] }
        }
      },
    ]
  })
}

resource "aws_api_gateway_rest_api" "any_address" {
  name = "any-address"
}

resource "aws_api_gateway_rest_api_policy" "any_address" {
  rest_api_id = aws_api_gateway_rest_api.any_address.id
  policy      = data.aws_iam_policy_document.any_address.json
}

data "aws_iam_policy_document" "any_address" {
  # expect: APIGW003
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.any_address.execution_arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["0.0.0.0/0", "::/0"]
    }
  }
}

# The documented allow-then-deny pattern, but the Deny outside 0.0.0.0/0 denies nothing.
resource "aws_api_gateway_rest_api" "deny_nothing" {
  name = "deny-nothing"
  # expect: APIGW003
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*"
      },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*"
        Condition = { NotIpAddress = { "aws:SourceIp" = "0.0.0.0/0" } }
      },
    ]
  })
}
