# Catalogue REST API, blue/green: one integration whose URI port is the stage variable `port`, one stage per
# colour. Blue sets 443, where the NLB's TLS listener is; green sets 8443, where nothing listens -- every
# request on the green stage ends in a 5xx. tlspath follows one path per stage and reports the green one.

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

resource "aws_api_gateway_rest_api" "catalogue" {
  name = "catalogue"
}

resource "aws_api_gateway_resource" "works" {
  rest_api_id = aws_api_gateway_rest_api.catalogue.id
  parent_id   = aws_api_gateway_rest_api.catalogue.root_resource_id
  path_part   = "works"
}

resource "aws_api_gateway_method" "works" {
  rest_api_id   = aws_api_gateway_rest_api.catalogue.id
  resource_id   = aws_api_gateway_resource.works.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "works" {
  rest_api_id             = aws_api_gateway_rest_api.catalogue.id
  resource_id             = aws_api_gateway_resource.works.id
  http_method             = aws_api_gateway_method.works.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.catalogue.id
  uri                     = "https://catalogue.example.com:$${stageVariables.port}/works"
}

resource "aws_api_gateway_deployment" "catalogue" {
  rest_api_id = aws_api_gateway_rest_api.catalogue.id
  depends_on  = [aws_api_gateway_integration.works]
}

resource "aws_api_gateway_stage" "blue" {
  rest_api_id   = aws_api_gateway_rest_api.catalogue.id
  deployment_id = aws_api_gateway_deployment.catalogue.id
  stage_name    = "blue"
  variables     = { port = "443" }
}

resource "aws_api_gateway_stage" "green" {
  rest_api_id   = aws_api_gateway_rest_api.catalogue.id
  deployment_id = aws_api_gateway_deployment.catalogue.id
  stage_name    = "green"
  variables     = { port = "8443" }
}

resource "aws_api_gateway_vpc_link" "catalogue" {
  name        = "catalogue"
  target_arns = [aws_lb.catalogue.arn]
}

resource "aws_lb" "catalogue" {
  name               = "catalogue"
  load_balancer_type = "network"
  internal           = true
  subnets            = var.subnet_ids
}

resource "aws_acm_certificate" "catalogue" {
  domain_name       = "catalogue.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "catalogue" {
  certificate_arn = aws_acm_certificate.catalogue.arn
}

resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.catalogue.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.catalogue.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.catalogue.arn
  }
}

resource "aws_lb_target_group" "catalogue" {
  name        = "catalogue"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
