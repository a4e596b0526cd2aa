# Receipts HTTP API made with quick create: target on the API is an HTTP_PROXY integration of its $default
# route, here to the internet-facing ALB's own DNS name. API Gateway connects to the ALB's HTTPS listener and
# verifies that name on the certificate, which is for receipts.example.com: no certificate can cover
# *.elb.amazonaws.com, so every request fails host-name verification.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

variable "public_subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

resource "aws_apigatewayv2_api" "receipts" {
  name          = "receipts"
  protocol_type = "HTTP"
  target        = "https://${aws_lb.receipts.dns_name}/"
}

resource "aws_lb" "receipts" {
  name               = "receipts"
  internal           = false
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
}

resource "aws_acm_certificate" "receipts" {
  domain_name       = "receipts.example.com"
  validation_method = "EMAIL"
}

resource "aws_acm_certificate_validation" "receipts" {
  certificate_arn = aws_acm_certificate.receipts.arn
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.receipts.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.receipts.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.receipts.arn
  }
}

resource "aws_lb_target_group" "receipts" {
  name        = "receipts"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
