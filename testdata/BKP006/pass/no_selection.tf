# No backup selection in the tree: a central backup policy may select these.
resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  tags = {
    ToBackup = "true"
  }
}
