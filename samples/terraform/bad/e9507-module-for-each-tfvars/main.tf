# Platform gateway: one REST API in front of several services behind a shared internal NLB (a local
# module). The services and the NLB's listener ports come from terraform.tfvars. "billing" was moved to
# port 8443, but the NLB still only listens on 443: API Gateway's requests to billing have no listener.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

module "nlb" {
  source = "./modules/internal-nlb"

  name            = "platform-${var.environment}"
  vpc_id          = var.vpc_id
  subnet_ids      = var.subnet_ids
  listener_ports  = var.listener_ports
  certificate_arn = var.certificate_arn
}

resource "aws_api_gateway_rest_api" "platform" {
  name = "platform-${var.environment}"
}

resource "aws_api_gateway_vpc_link" "platform" {
  name        = "platform-${var.environment}"
  target_arns = [module.nlb.arn]
}

resource "aws_api_gateway_resource" "service" {
  for_each = var.services

  rest_api_id = aws_api_gateway_rest_api.platform.id
  parent_id   = aws_api_gateway_rest_api.platform.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_method" "service" {
  for_each = var.services

  rest_api_id   = aws_api_gateway_rest_api.platform.id
  resource_id   = aws_api_gateway_resource.service[each.key].id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "service" {
  for_each = var.services

  rest_api_id             = aws_api_gateway_rest_api.platform.id
  resource_id             = aws_api_gateway_resource.service[each.key].id
  http_method             = aws_api_gateway_method.service[each.key].http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "ANY"
  uri                     = "https://${each.key}.${var.domain}:${each.value.port}/"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.platform.id
}
