# With `headers = ["X-Origin-Verify"]`: the origin sends it, beside another header.

variable "region" {
  type = string
}

variable "origin_secret" {
  type      = string
  sensitive = true
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_cloudfront_distribution" "web" {
  enabled = true

  origin {
    domain_name = "${aws_api_gateway_rest_api.api.id}.execute-api.${var.region}.amazonaws.com"
    origin_id   = "api"
    custom_header {
      name  = "X-Api-Client"
      value = "cloudfront"
    }
    custom_header {
      name  = "X-Origin-Verify"
      value = var.origin_secret
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
}
