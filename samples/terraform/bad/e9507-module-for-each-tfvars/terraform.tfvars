environment     = "prod"
vpc_id          = "vpc-0a1b2c3d4e5f60718"
subnet_ids      = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/5f0e5c3a-2b8e-4f6a-9d1c-7e2a4b6c8d90"

services = {
  orders  = {}
  billing = { port = 8443 }
}
