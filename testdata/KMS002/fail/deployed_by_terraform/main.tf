# Templates deployed from Terraform, each analysed with the stack's parameters: read with
# file() (findings in the template file), inline in a heredoc (findings in the heredoc),
# rendered by templatefile() (findings at the call).
resource "aws_cloudformation_stack" "payments" {
  name          = "payments"
  template_body = file("${path.module}/stack.yaml")
  parameters = {
    Rotate = "false"
  }
}

resource "aws_cloudformation_stack" "inline" {
  name          = "inline"
  template_body = <<EOT
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      # expect: KMS002
      EnableKeyRotation: false
EOT
}

resource "aws_cloudformation_stack" "rendered" {
  name = "rendered"
  # expect: KMS002
  template_body = templatefile("${path.module}/tpl.yaml", { rotate = "false" })
}
