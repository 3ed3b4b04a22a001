variable "vpc_id" {
  type = string
}

resource "aws_api_gateway_rest_api" "private" {
  name = "private"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_rest_api_policy" "private" {
  rest_api_id = aws_api_gateway_rest_api.private.id

  policy = <<EOF
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": ["${aws_api_gateway_rest_api.private.execution_arn}/*"]
        },
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": ["${aws_api_gateway_rest_api.private.execution_arn}/*"],
            "Condition": {"StringNotEquals": {"aws:SourceVpc": "${var.vpc_id}"}}
        }
    ]
}
EOF
}
