# Two regional REST APIs that a CloudFront distribution fronts, one by its execute-api
# domain and one through its stage's `invoke_url`: callers that reach their default
# endpoints directly go around CloudFront, and no resource policy stops them.
# expect: APIGW001
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# expect: APIGW001
resource "aws_api_gateway_rest_api" "staged" {
  name = "invoices"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_deployment" "staged" {
  rest_api_id = aws_api_gateway_rest_api.staged.id
}

resource "aws_api_gateway_stage" "staged" {
  rest_api_id   = aws_api_gateway_rest_api.staged.id
  deployment_id = aws_api_gateway_deployment.staged.id
  stage_name    = "prod"
}

resource "aws_cloudfront_distribution" "web" {
  enabled = true

  origin {
    domain_name = "${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-1.amazonaws.com"
    origin_id   = "orders"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    domain_name = replace(replace(aws_api_gateway_stage.staged.invoke_url, "https://", ""), "/prod", "")
    origin_id   = "invoices"
    origin_path = "/prod"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "orders"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  ordered_cache_behavior {
    path_pattern           = "/invoices/*"
    target_origin_id       = "invoices"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
