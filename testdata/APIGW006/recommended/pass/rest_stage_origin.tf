# A CloudFront origin on another API's stage fronts that API only.
resource "aws_apigatewayv2_api" "lone" {
  name          = "lone"
  protocol_type = "HTTP"
}

resource "aws_api_gateway_rest_api" "fronted" {
  name = "fronted"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_stage" "fronted" {
  rest_api_id   = aws_api_gateway_rest_api.fronted.id
  deployment_id = "d"
  stage_name    = "prod"
}

resource "aws_cloudfront_distribution" "web" {
  enabled = true
  origin {
    domain_name = replace(replace(aws_api_gateway_stage.fronted.invoke_url, "https://", ""), "/prod", "")
    origin_id   = "api"
  }
  default_cache_behavior {
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}
