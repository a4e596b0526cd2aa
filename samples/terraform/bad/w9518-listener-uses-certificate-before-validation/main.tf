# Billing API: the certificate is DNS-validated and its validation records are written to the public zone,
# but the NLB listener takes aws_acm_certificate.billing.arn directly and no aws_acm_certificate_validation
# waits for ACM to issue it: on the first apply the listener is created while the certificate is still
# PENDING_VALIDATION.

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

data "aws_route53_zone" "public" {
  name = "example.com"
}

resource "aws_api_gateway_rest_api" "billing" {
  name = "billing"
}

resource "aws_api_gateway_resource" "invoices" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
  parent_id   = aws_api_gateway_rest_api.billing.root_resource_id
  path_part   = "invoices"
}

resource "aws_api_gateway_method" "list_invoices" {
  rest_api_id   = aws_api_gateway_rest_api.billing.id
  resource_id   = aws_api_gateway_resource.invoices.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "list_invoices" {
  rest_api_id             = aws_api_gateway_rest_api.billing.id
  resource_id             = aws_api_gateway_resource.invoices.id
  http_method             = aws_api_gateway_method.list_invoices.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://billing.example.com/invoices"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.billing.id
}

resource "aws_api_gateway_vpc_link" "billing" {
  name        = "billing"
  target_arns = [aws_lb.billing.arn]
}

resource "aws_lb" "billing" {
  name               = "billing"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_acm_certificate" "billing" {
  domain_name       = "billing.example.com"
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "billing_validation" {
  for_each = {
    for option in aws_acm_certificate.billing.domain_validation_options : option.domain_name => option
  }

  zone_id = data.aws_route53_zone.public.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 60
}

resource "aws_lb_listener" "billing" {
  load_balancer_arn = aws_lb.billing.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.billing.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.billing.arn
  }
}

resource "aws_lb_target_group" "billing" {
  name        = "billing"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
