variable "byok_material" {
  type      = string
  sensitive = true
}
