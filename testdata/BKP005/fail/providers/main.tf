provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      ToBackup = "true"
    }
  }
}

# An aliased provider has default tags of its own: none here.
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_db_instance" "tagged_by_default" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
}

# expect: BKP005
resource "aws_efs_file_system" "west" {
  provider = aws.west
}

module "store" {
  source = "./modules/store"
  providers = {
    aws = aws.west
  }
  tags = {
    Environment = "prod"
  }
}
