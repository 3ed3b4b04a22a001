# CloudFront fronts only `fronted` (through its stage's invoke_url): it is reported;
# `lone` has no CloudFront origin and no custom domain, so under `recommended` it is not.
resource "aws_api_gateway_rest_api" "lone" {
  name = "lone"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# expect: APIGW001
resource "aws_api_gateway_rest_api" "fronted" {
  name = "fronted"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_deployment" "fronted" {
  rest_api_id = aws_api_gateway_rest_api.fronted.id
}

resource "aws_api_gateway_stage" "fronted" {
  rest_api_id   = aws_api_gateway_rest_api.fronted.id
  deployment_id = aws_api_gateway_deployment.fronted.id
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
