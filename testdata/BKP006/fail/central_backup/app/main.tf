variable "backup" {
  default = "true"
}

resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  tags = {
    # expect: BKP006
    ToBackup = var.backup
  }
}
