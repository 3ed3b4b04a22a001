tags = {
  Owner       = "cloudfoundation@example.com"
  ToBackup    = "true"
  Environment = "prod"
  CostCenter  = "IT-456"
}
