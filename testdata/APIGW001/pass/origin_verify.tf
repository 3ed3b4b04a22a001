# A regional REST API fronted by CloudFront, with no resource policy, but its only stage
# has a WAF web ACL that blocks by default and allows only requests carrying the secret
# origin-verify header that CloudFront adds: its default endpoint answers no one else.
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_stage" "s" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}

resource "aws_wafv2_web_acl" "verify" {
  name  = "origin-verify"
  scope = "REGIONAL"

  default_action {
    block {}
  }

  rule {
    name     = "from-cloudfront"
    priority = 0

    action {
      allow {}
    }

    statement {
      byte_match_statement {
        field_to_match {
          single_header {
            name = "x-origin-verify"
          }
        }
        positional_constraint = "EXACTLY"
        search_string         = "secret"
        text_transformation {
          priority = 0
          type     = "NONE"
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "from-cloudfront"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "origin-verify"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "s" {
  resource_arn = aws_api_gateway_stage.s.arn
  web_acl_arn  = aws_wafv2_web_acl.verify.arn
}

resource "aws_cloudfront_distribution" "web" {
  enabled = true

  origin {
    domain_name = "${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-1.amazonaws.com"
    origin_id   = "api"
    origin_path = "/prod"
    custom_header {
      name  = "x-origin-verify"
      value = "secret"
    }
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "api"
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
