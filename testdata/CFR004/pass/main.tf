resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "CLOUDFRONT"
  default_action {
    allow {}
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}

resource "aws_cloudfront_distribution" "api" {
  enabled    = true
  web_acl_id = aws_wafv2_web_acl.edge.arn
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

# Given by the caller: not known here, not reported.
variable "web_acl_arn" {
  type = string
}

resource "aws_cloudfront_distribution" "from_variable" {
  for_each   = toset(["dev", "prod"])
  enabled    = true
  web_acl_id = var.web_acl_arn
  origin {
    domain_name = "api-${each.key}.execute-api.eu-west-1.amazonaws.com"
    origin_id   = "api"
  }
  default_cache_behavior {
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}
