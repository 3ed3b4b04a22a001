# A `terraform test` file: not configuration.
run "rotation" {
  command = plan

  assert {
    condition     = aws_kms_key.data.enable_key_rotation
    error_message = "the key must rotate"
  }
}
