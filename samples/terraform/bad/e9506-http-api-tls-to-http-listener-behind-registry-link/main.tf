# Inventory HTTP API: the VPC link comes from a registry module that is not downloaded here, so tlspath
# cannot see it (I9513). The integration names its listener itself, though: TlsConfig makes API Gateway speak
# TLS, and the ALB listener it names speaks plain HTTP -- every request fails with a 5xx.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

module "vpc_link" {
  source  = "terraform-aws-modules/apigateway-v2/aws//modules/vpc-link"
  version = "5.2.0"

  name       = "inventory"
  subnet_ids = var.subnet_ids
}

resource "aws_apigatewayv2_api" "inventory" {
  name          = "inventory"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "inventory" {
  api_id             = aws_apigatewayv2_api.inventory.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = aws_lb_listener.inventory.arn
  connection_type    = "VPC_LINK"
  connection_id      = module.vpc_link.id

  tls_config {
    server_name_to_verify = "inventory.internal.example.com"
  }
}

resource "aws_apigatewayv2_route" "inventory" {
  api_id    = aws_apigatewayv2_api.inventory.id
  route_key = "ANY /inventory/{proxy+}"
  target    = "integrations/${aws_apigatewayv2_integration.inventory.id}"
}

resource "aws_lb" "inventory" {
  name               = "inventory"
  internal           = true
  load_balancer_type = "application"
  subnets            = var.subnet_ids
}

resource "aws_lb_listener" "inventory" {
  load_balancer_arn = aws_lb.inventory.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.inventory.arn
  }
}

resource "aws_lb_target_group" "inventory" {
  name        = "inventory"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
