# Chat: a WebSocket API whose routes reach a private chat service through a VPC link v1 -> NLB TLS listener
# with a public ACM certificate for the host in the integration URI. On a WebSocket API a private integration
# works as on a REST API: a VPC link v1 to an NLB, and a URL integration_uri whose host API Gateway verifies
# and whose port selects the listener.

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
  region = "eu-west-1"
}

variable "domain" {
  type    = string
  default = "example.com"
}

variable "zone_id" {
  type    = string
  default = "Z0123456789ABCDEFGHIJ"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

locals {
  chat_host = "chat.internal.${var.domain}"
  routes    = { "$connect" = "connect", "sendmessage" = "messages" }
}

resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "chat" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.chat.id
  integration_type   = "HTTP_PROXY"
  integration_method = "POST"
  integration_uri    = "https://${local.chat_host}/${each.value}"
  connection_type    = "VPC_LINK"
  connection_id      = aws_api_gateway_vpc_link.chat.id

  request_parameters = {
    "integration.request.header.ConnectionId" = "context.connectionId"
  }
}

resource "aws_apigatewayv2_route" "chat" {
  for_each = local.routes

  api_id    = aws_apigatewayv2_api.chat.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.chat[each.key].id}"
}

resource "aws_api_gateway_vpc_link" "chat" {
  name        = "chat"
  target_arns = [aws_lb.chat.arn]
}

resource "aws_lb" "chat" {
  name               = "chat"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.private_subnet_ids
}

resource "aws_acm_certificate" "chat" {
  domain_name       = local.chat_host
  validation_method = "DNS"
}

resource "aws_route53_record" "chat_validation" {
  for_each = {
    for option in aws_acm_certificate.chat.domain_validation_options : option.domain_name => option
  }

  zone_id = var.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 60
}

resource "aws_acm_certificate_validation" "chat" {
  certificate_arn         = aws_acm_certificate.chat.arn
  validation_record_fqdns = [for record in aws_route53_record.chat_validation : record.fqdn]
}

resource "aws_lb_listener" "chat" {
  load_balancer_arn = aws_lb.chat.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.chat.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.chat.arn
  }
}

resource "aws_lb_target_group" "chat" {
  name        = "chat"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
