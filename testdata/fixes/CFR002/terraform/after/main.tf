variable "origin_protocol" {
  type    = string
  default = "http-only"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true

  origin {
    origin_id   = "api"
    domain_name = "${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-1.amazonaws.com"

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = var.origin_protocol
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
