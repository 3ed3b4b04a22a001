# The stack passes a value not statically known: the parameter is Unknown (never its
# default, never a finding).
variable "rotate" {
  type = string
}

resource "aws_cloudformation_stack" "orders" {
  name          = "orders"
  template_body = file("stack.yaml")
  parameters = {
    Rotate = var.rotate
  }
}
