include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//orders-api"
}

dependency "nlb" {
  config_path = "../nlb"

  # Only for `terragrunt plan` before the NLB exists; tlspath reads the real outputs.
  mock_outputs = {
    nlb_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/mock/0123456789abcdef"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  nlb_arn  = dependency.nlb.outputs.nlb_arn
  api_host = "orders.internal.example.com"
}
