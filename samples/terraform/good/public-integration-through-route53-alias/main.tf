# Shipping API: REST API -> public HTTP_PROXY integration to shipping.<domain>, a Route 53 alias record for the
# internet-facing ALB. API Gateway resolves that name, reaches the ALB's HTTPS listener on port 443 and
# verifies it on the ACM certificate for *.<domain>: whatever the domain is, the certificate covers the name.

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

variable "public_subnet_ids" {
  type = list(string)
}

resource "aws_route53_zone" "public" {
  name = var.domain
}

resource "aws_api_gateway_rest_api" "shipping" {
  name = "shipping"
}

resource "aws_api_gateway_resource" "shipments" {
  rest_api_id = aws_api_gateway_rest_api.shipping.id
  parent_id   = aws_api_gateway_rest_api.shipping.root_resource_id
  path_part   = "shipments"
}

resource "aws_api_gateway_method" "create_shipment" {
  rest_api_id   = aws_api_gateway_rest_api.shipping.id
  resource_id   = aws_api_gateway_resource.shipments.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "create_shipment" {
  rest_api_id             = aws_api_gateway_rest_api.shipping.id
  resource_id             = aws_api_gateway_resource.shipments.id
  http_method             = aws_api_gateway_method.create_shipment.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "POST"
  uri                     = "https://${aws_route53_record.shipping.fqdn}/shipments"
}

resource "aws_route53_record" "shipping" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "shipping"
  type    = "A"

  alias {
    name                   = aws_lb.shipping.dns_name
    zone_id                = aws_lb.shipping.zone_id
    evaluate_target_health = true
  }
}

resource "aws_lb" "shipping" {
  name               = "shipping"
  internal           = false
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
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
  load_balancer_arn = aws_lb.shipping.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.wildcard.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.shipping.arn
  }
}

resource "aws_lb_target_group" "shipping" {
  name        = "shipping"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
