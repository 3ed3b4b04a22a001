module "data_key" {
  source = "./modules/key"
  rotate = false
}
