# Inventory HTTP API -> VPC link v2 -> NLB TLS listener whose certificate is a tls_self_signed_cert imported
# into ACM. The provider docs show this pattern; API Gateway rejects the self-signed certificate during the
# TLS handshake, and an HTTP API cannot skip verification.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

locals {
  host = "inventory.internal.example.com"
}

resource "tls_private_key" "inventory" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_self_signed_cert" "inventory" {
  private_key_pem = tls_private_key.inventory.private_key_pem

  subject {
    common_name  = local.host
    organization = "Example Corp"
  }

  dns_names             = [local.host]
  validity_period_hours = 8760
  early_renewal_hours   = 720

  allowed_uses = [
    "key_encipherment",
    "digital_signature",
    "server_auth",
  ]
}

resource "aws_acm_certificate" "inventory" {
  private_key      = tls_private_key.inventory.private_key_pem
  certificate_body = tls_self_signed_cert.inventory.cert_pem
}

resource "aws_apigatewayv2_api" "inventory" {
  name          = "inventory"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_vpc_link" "inventory" {
  name               = "inventory"
  subnet_ids         = var.subnet_ids
  security_group_ids = []
}

resource "aws_apigatewayv2_integration" "inventory" {
  api_id             = aws_apigatewayv2_api.inventory.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = aws_lb_listener.inventory.arn
  connection_type    = "VPC_LINK"
  connection_id      = aws_apigatewayv2_vpc_link.inventory.id

  tls_config {
    server_name_to_verify = local.host
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
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_lb_listener" "inventory" {
  load_balancer_arn = aws_lb.inventory.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.inventory.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.inventory.arn
  }
}

resource "aws_lb_target_group" "inventory" {
  name        = "inventory"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
