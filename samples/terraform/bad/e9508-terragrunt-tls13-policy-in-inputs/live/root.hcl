# Settings every unit shares. Each unit includes this file with find_in_parent_folders("root.hcl").

locals {
  account = read_terragrunt_config(find_in_parent_folders("account.hcl"))
  env     = read_terragrunt_config(find_in_parent_folders("env.hcl"))
}

remote_state {
  backend = "s3"
  config = {
    bucket         = "tfstate-${local.account.locals.account_id}"
    key            = "${path_relative_to_include()}/terraform.tfstate"
    region         = local.env.locals.region
    dynamodb_table = "tfstate-locks"
    encrypt        = true
  }
}

inputs = {
  region      = local.env.locals.region
  environment = local.env.locals.environment
}
