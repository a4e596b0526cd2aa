# Orders API: REST API -> VPC link -> NLB TLS listener with a public ACM certificate -> EC2 instances that
# generate their own self-signed certificate at boot, which is fine behind a TLS listener: the NLB does not
# validate its targets' certificates. But pass_through_override.tf (end-to-end TLS, "the instances have
# certificates anyway") turns the listener into TCP, and Terraform merges it into this file's listener.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name      = "orders-${var.environment}"
  api_host  = "orders.internal.example.com"
  https_port = 443
}

resource "aws_api_gateway_rest_api" "orders" {
  name = local.name

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "list_orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_orders" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.list_orders.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://${local.api_host}/orders"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.orders.id
}

resource "aws_api_gateway_vpc_link" "orders" {
  name        = local.name
  target_arns = [aws_lb.orders.arn]
}

resource "aws_lb" "orders" {
  name               = local.name
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_lb_listener" "orders" {
  load_balancer_arn = aws_lb.orders.arn
  port              = local.https_port
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.orders.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.orders.arn
  }
}

resource "aws_acm_certificate" "orders" {
  domain_name       = local.api_host
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "orders" {
  certificate_arn = aws_acm_certificate.orders.arn
}

resource "aws_lb_target_group" "orders" {
  name        = local.name
  port        = local.https_port
  protocol    = "TCP"
  target_type = "instance"
  vpc_id      = var.vpc_id

  health_check {
    protocol = "TCP"
  }
}

resource "aws_instance" "orders" {
  count = var.instance_count

  ami           = var.ami_id
  instance_type = "t3.small"
  subnet_id     = element(var.subnet_ids, count.index)

  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    dnf install -y nginx openssl
    mkdir -p /etc/pki/nginx/private
    openssl req -x509 -nodes -newkey rsa:2048 -days 365 \
      -subj "/CN=${local.api_host}" \
      -keyout /etc/pki/nginx/private/server.key -out /etc/pki/nginx/server.crt
    systemctl enable --now nginx
  EOT

  tags = {
    Name = "${local.name}-${count.index}"
  }
}

resource "aws_lb_target_group_attachment" "orders" {
  count = var.instance_count

  target_group_arn = aws_lb_target_group.orders.arn
  target_id        = aws_instance.orders[count.index].id
  port             = local.https_port
}
