# No backup selection here, but one bucket carries the `ToBackup` tag: the tree uses the
# convention, so the bucket without it is left undecided.
resource "aws_s3_bucket" "decided" {
  bucket = "orders"
  tags = {
    ToBackup = "true"
  }
}

# expect: BKP005
resource "aws_s3_bucket" "undecided" {
  bucket = "orders-archive"
}
