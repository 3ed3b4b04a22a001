resource "aws_api_gateway_rest_api" "api" {
  name = "api"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# expect: CFR004
resource "aws_cloudfront_distribution" "api" {
  enabled = true
  origin {
    domain_name = "${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-1.amazonaws.com"
    origin_id   = "api"
  }
  default_cache_behavior {
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}

# A static site: a warning under strict.
# expect: CFR004
resource "aws_cloudfront_distribution" "site" {
  enabled = true
  origin {
    domain_name = "site.s3.eu-west-1.amazonaws.com"
    origin_id   = "s3"
  }
  default_cache_behavior {
    target_origin_id       = "s3"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}

variable "acl" {
  default = ""
}

# An empty web ACL, set through a variable.
resource "aws_cloudfront_distribution" "empty" {
  enabled = true
  # expect: CFR004
  web_acl_id = var.acl
  origin {
    domain_name = "api.execute-api.eu-west-1.amazonaws.com"
    origin_id   = "api"
  }
  default_cache_behavior {
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}

# Distributions made with for_each: one finding per instance.
# expect: CFR004
resource "aws_cloudfront_distribution" "per_env" {
  for_each = toset(["dev", "prod"])
  enabled  = true
  origin {
    domain_name = "${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-1.amazonaws.com"
    origin_id   = "api-${each.key}"
  }
  default_cache_behavior {
    target_origin_id       = "api-${each.key}"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}
