# Payments HTTP API -> public HTTP_PROXY integration (no VPC link) to payments.<domain>, a Route 53 alias record
# for an ALB created with internal = true. Name, HTTPS listener and certificate match, but API Gateway resolves
# the name through public DNS to the ALB's private addresses and connects from the internet: it cannot reach
# them, and every request times out or fails with a 5xx.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "domain" {
  type        = string
  description = "The public domain, e.g. example.com"
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

resource "aws_route53_zone" "public" {
  name = var.domain
}

resource "aws_apigatewayv2_api" "payments" {
  name          = "payments"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "payments" {
  api_id             = aws_apigatewayv2_api.payments.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://${aws_route53_record.payments.fqdn}/{proxy}"
}

resource "aws_apigatewayv2_route" "payments" {
  api_id    = aws_apigatewayv2_api.payments.id
  route_key = "ANY /payments/{proxy+}"
  target    = "integrations/${aws_apigatewayv2_integration.payments.id}"
}

resource "aws_route53_record" "payments" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "payments"
  type    = "A"

  alias {
    name                   = aws_lb.payments.dns_name
    zone_id                = aws_lb.payments.zone_id
    evaluate_target_health = true
  }
}

resource "aws_lb" "payments" {
  name               = "payments"
  internal           = true
  load_balancer_type = "application"
  subnets            = var.private_subnet_ids
}

resource "aws_acm_certificate" "wildcard" {
  domain_name       = "*.${var.domain}"
  validation_method = "DNS"
}

resource "aws_route53_record" "wildcard_validation" {
  for_each = {
    for option in aws_acm_certificate.wildcard.domain_validation_options : option.domain_name => option
  }

  zone_id = aws_route53_zone.public.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 60
}

resource "aws_acm_certificate_validation" "wildcard" {
  certificate_arn         = aws_acm_certificate.wildcard.arn
  validation_record_fqdns = [for record in aws_route53_record.wildcard_validation : record.fqdn]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.payments.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.wildcard.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.payments.arn
  }
}

resource "aws_lb_target_group" "payments" {
  name        = "payments"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
