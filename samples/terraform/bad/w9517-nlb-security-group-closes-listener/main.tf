# Shipping API: the platform baseline gives every NLB a security group, opened for the service port the
# targets listen on. API Gateway comes through a VPC link v1 (PrivateLink) to the TLS listener on 443, and
# the NLB enforces its inbound rules on PrivateLink traffic (the default): nothing opens 443, so every
# request is dropped.

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

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

resource "aws_api_gateway_rest_api" "shipping" {
  name = "shipping"
}

resource "aws_api_gateway_resource" "parcels" {
  rest_api_id = aws_api_gateway_rest_api.shipping.id
  parent_id   = aws_api_gateway_rest_api.shipping.root_resource_id
  path_part   = "parcels"
}

resource "aws_api_gateway_method" "track" {
  rest_api_id   = aws_api_gateway_rest_api.shipping.id
  resource_id   = aws_api_gateway_resource.parcels.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "track" {
  rest_api_id             = aws_api_gateway_rest_api.shipping.id
  resource_id             = aws_api_gateway_resource.parcels.id
  http_method             = aws_api_gateway_method.track.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://shipping.example.com/parcels"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.shipping.id
}

resource "aws_api_gateway_vpc_link" "shipping" {
  name        = "shipping"
  target_arns = [aws_lb.shipping.arn]
}

resource "aws_security_group" "nlb" {
  name   = "shipping-nlb"
  vpc_id = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "service_port" {
  security_group_id = aws_security_group.nlb.id
  ip_protocol       = "tcp"
  from_port         = 8443
  to_port           = 8443
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_vpc_security_group_egress_rule" "targets" {
  security_group_id = aws_security_group.nlb.id
  ip_protocol       = "-1"
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_lb" "shipping" {
  name               = "shipping"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
  security_groups    = [aws_security_group.nlb.id]
}

resource "aws_acm_certificate" "shipping" {
  domain_name       = "shipping.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "shipping" {
  certificate_arn = aws_acm_certificate.shipping.arn
}

resource "aws_lb_listener" "shipping" {
  load_balancer_arn = aws_lb.shipping.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.shipping.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.shipping.arn
  }
}

resource "aws_lb_target_group" "shipping" {
  name        = "shipping"
  port        = 8443
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
