# An Aurora member instance (`aws_rds_cluster_instance`) is backed up with its cluster,
# not on its own: the cluster carries the `ToBackup` tag, the instance needs none.
resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "orders"
  engine                      = "aurora-postgresql"
  master_username             = "admin"
  manage_master_user_password = true
  tags = {
    ToBackup = "true"
  }
}

resource "aws_rds_cluster_instance" "writer" {
  identifier         = "orders-writer"
  cluster_identifier = aws_rds_cluster.orders.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.orders.engine
}
