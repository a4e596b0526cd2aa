# Shipping API: the NLB used to serve the legacy host name, whose certificate is still the TLS listener's
# default (certificate_arn). The new host's certificate was added with aws_lb_listener_certificate, so the
# load balancer shows it only to clients that send SNI -- and whether API Gateway sends the URI host as SNI
# on a REST private integration is not documented (a user reported it does not). If it does not, API
# Gateway is shown the legacy certificate and rejects the host name.

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

resource "aws_api_gateway_rest_api" "shipping" {
  name = "shipping"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.shipping.id
  resource_id   = aws_api_gateway_rest_api.shipping.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.shipping.id
  resource_id             = aws_api_gateway_rest_api.shipping.root_resource_id
  http_method             = aws_api_gateway_method.get.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://shipping.example.com/"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.shipping.id
}

resource "aws_api_gateway_vpc_link" "shipping" {
  name        = "shipping"
  target_arns = [aws_lb.shipping.arn]
}

resource "aws_lb" "shipping" {
  name               = "shipping"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_acm_certificate" "legacy" {
  domain_name       = "parcels.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "legacy" {
  certificate_arn = aws_acm_certificate.legacy.arn
}

resource "aws_acm_certificate" "shipping" {
  domain_name       = "shipping.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "shipping" {
  certificate_arn = aws_acm_certificate.shipping.arn
}

resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.shipping.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.legacy.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.shipping.arn
  }
}

resource "aws_lb_listener_certificate" "shipping" {
  listener_arn    = aws_lb_listener.tls.arn
  certificate_arn = aws_acm_certificate_validation.shipping.certificate_arn
}

resource "aws_lb_target_group" "shipping" {
  name        = "shipping"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
