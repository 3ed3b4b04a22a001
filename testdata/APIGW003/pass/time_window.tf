# An Allow to anyone that holds only inside a time window (here one that has passed) is
# not open to anyone at any time: aws:CurrentTime and aws:EpochTime restrict.

resource "aws_api_gateway_rest_api" "current_time" {
  name = "current-time"
}

resource "aws_api_gateway_rest_api_policy" "current_time" {
  rest_api_id = aws_api_gateway_rest_api.current_time.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "${aws_api_gateway_rest_api.current_time.execution_arn}/*"
        Condition = {
          DateLessThan = { "aws:CurrentTime" = "2020-01-01T00:00:00Z" }
        }
      },
    ]
  })
}

resource "aws_api_gateway_rest_api" "epoch_time" {
  name = "epoch-time"
}

resource "aws_api_gateway_rest_api_policy" "epoch_time" {
  rest_api_id = aws_api_gateway_rest_api.epoch_time.id
  policy      = data.aws_iam_policy_document.epoch_time.json
}

data "aws_iam_policy_document" "epoch_time" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.epoch_time.execution_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "NumericLessThan"
      variable = "aws:EpochTime"
      values   = ["1577836800"]
    }
  }
}
