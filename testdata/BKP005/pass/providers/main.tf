provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      ToBackup = "true"
    }
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
  default_tags {
    tags = {
      ToBackup = "false"
    }
  }
}

resource "aws_db_instance" "tagged_by_default" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
}

resource "aws_efs_file_system" "west" {
  provider = aws.west
}

# The module gets the tag through its input, merged into its own tags.
module "store" {
  source = "./modules/store"
  providers = {
    aws = aws.west
  }
  tags = {
    ToBackup = "true"
  }
}
