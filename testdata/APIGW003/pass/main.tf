variable "allowed_cidrs" {
  type = list(string)
}

# The pattern AWS documents: allow everyone, deny outside the source IP ranges.
resource "aws_api_gateway_rest_api" "allow_then_deny" {
  name = "allow-then-deny"
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
        Condition = { NotIpAddress = { "aws:SourceIp" = var.allowed_cidrs } }
      },
    ]
  })
}

resource "aws_api_gateway_rest_api" "heredoc_vpce" {
  name   = "heredoc"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": "*",
    "Action": "execute-api:Invoke",
    "Resource": "execute-api:/*",
    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}
  }]
}
EOT
}

resource "aws_api_gateway_rest_api" "org" {
  name = "org"
}

resource "aws_api_gateway_rest_api_policy" "org" {
  rest_api_id = aws_api_gateway_rest_api.org.id
  policy      = data.aws_iam_policy_document.org.json
}

data "aws_iam_policy_document" "org" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }
  }
}

# Not statically known: the principal comes from a variable without a value.
variable "principal" {
  type = string
}

resource "aws_api_gateway_rest_api" "unknown_principal" {
  name = "unknown"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = var.principal, Action = "execute-api:Invoke", Resource = "*" }]
  })
}
