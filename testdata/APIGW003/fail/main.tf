variable "cidrs" {
  type = list(string)
}

variable "region" {
  type = string
}

variable "account_id" {
  type = string
}

resource "aws_api_gateway_rest_api" "jsonencode" {
  name = "jsonencode"
  # expect: APIGW003
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
    }]
  })
}

resource "aws_api_gateway_rest_api" "heredoc" {
  name = "heredoc"
  # expect: APIGW003
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "execute-api:*",
      "Resource": "arn:aws:execute-api:${var.region}:${var.account_id}:*/*"
    }
  ]
}
EOT
}

resource "aws_api_gateway_rest_api" "data_source" {
  name = "data-source"
}

resource "aws_api_gateway_rest_api_policy" "data_source" {
  rest_api_id = aws_api_gateway_rest_api.data_source.id
  policy      = data.aws_iam_policy_document.anyone.json
}

data "aws_iam_policy_document" "anyone" {
  # expect: APIGW003
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.data_source.execution_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

# A Deny that covers only one method leaves the rest open.
resource "aws_api_gateway_rest_api" "partial_deny" {
  name = "partial"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: APIGW003
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
        Resource  = "execute-api:/prod/POST/admin"
        Condition = { NotIpAddress = { "aws:SourceIp" = var.cidrs } }
      },
    ]
  })
}
