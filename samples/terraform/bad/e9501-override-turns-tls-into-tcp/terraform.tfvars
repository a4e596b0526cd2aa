vpc_id     = "vpc-0a1b2c3d4e5f60718"
subnet_ids = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
ami_id     = "ami-0c1b2d3e4f5a6b7c8"
