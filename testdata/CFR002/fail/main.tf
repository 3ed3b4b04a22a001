variable "region" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_cloudfront_distribution" "web" {
  enabled = true

  origin {
    domain_name = "${aws_api_gateway_rest_api.api.id}.execute-api.${var.region}.amazonaws.com"
    origin_id   = "api"
    custom_origin_config {
      http_port  = 80
      https_port = 443
      # expect: CFR002
      origin_protocol_policy = "match-viewer"
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
