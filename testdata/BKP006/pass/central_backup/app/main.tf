# A service configuration tags its database for backup ...
resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  tags = {
    ToBackup = "true"
  }
}
