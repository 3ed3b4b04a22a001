# One REST API per name, a stage each; the resource policy is read from a file.
variable "apis" {
  type = set(string)
}

resource "aws_api_gateway_rest_api" "this" {
  for_each = var.apis
  name     = each.key
  # expect: APIGW003
  policy = file("${path.module}/policy.json")
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# expect: APIGW002
resource "aws_api_gateway_stage" "this" {
  for_each      = aws_api_gateway_rest_api.this
  rest_api_id   = each.value.id
  stage_name    = "live"
  deployment_id = "d"
}

# Only the `orders` stage is behind the regional WAF.
resource "aws_wafv2_web_acl_association" "orders" {
  resource_arn = aws_api_gateway_stage.this["orders"].arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/1"
}
