# Invoices API: REST API -> public HTTP_PROXY integration (no VPC link) to the internet-facing ALB's own DNS
# name. API Gateway connects to the ALB's HTTPS listener and verifies that name on the certificate, which is
# for invoices.example.com: no certificate can cover *.elb.amazonaws.com, so every request fails.

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

resource "aws_api_gateway_rest_api" "invoices" {
  name = "invoices"
}

resource "aws_api_gateway_resource" "invoices" {
  rest_api_id = aws_api_gateway_rest_api.invoices.id
  parent_id   = aws_api_gateway_rest_api.invoices.root_resource_id
  path_part   = "invoices"
}

resource "aws_api_gateway_method" "list_invoices" {
  rest_api_id   = aws_api_gateway_rest_api.invoices.id
  resource_id   = aws_api_gateway_resource.invoices.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "list_invoices" {
  rest_api_id             = aws_api_gateway_rest_api.invoices.id
  resource_id             = aws_api_gateway_resource.invoices.id
  http_method             = aws_api_gateway_method.list_invoices.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://${aws_lb.invoices.dns_name}/invoices"
}

resource "aws_lb" "invoices" {
  name               = "invoices"
  internal           = false
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
}

resource "aws_acm_certificate" "invoices" {
  domain_name       = "invoices.example.com"
  validation_method = "EMAIL"
}

resource "aws_acm_certificate_validation" "invoices" {
  certificate_arn = aws_acm_certificate.invoices.arn
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.invoices.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.invoices.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.invoices.arn
  }
}

resource "aws_lb_target_group" "invoices" {
  name        = "invoices"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
