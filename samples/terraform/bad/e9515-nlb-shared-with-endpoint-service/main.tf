# Search API: the NLB in front of the search cluster is offered to partner accounts as a VPC endpoint
# service. The REST API reaches the same NLB through a VPC link v1, which API Gateway builds as an endpoint
# service of its own; an NLB backs only one, so the VPC link goes FAILED.

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

variable "partner_account_ids" {
  type    = list(string)
  default = ["111122223333"]
}

resource "aws_api_gateway_rest_api" "search" {
  name = "search"
}

resource "aws_api_gateway_resource" "query" {
  rest_api_id = aws_api_gateway_rest_api.search.id
  parent_id   = aws_api_gateway_rest_api.search.root_resource_id
  path_part   = "query"
}

resource "aws_api_gateway_method" "query" {
  rest_api_id   = aws_api_gateway_rest_api.search.id
  resource_id   = aws_api_gateway_resource.query.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "query" {
  rest_api_id             = aws_api_gateway_rest_api.search.id
  resource_id             = aws_api_gateway_resource.query.id
  http_method             = aws_api_gateway_method.query.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://search.example.com/query"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.search.id
}

resource "aws_api_gateway_vpc_link" "search" {
  name        = "search"
  target_arns = [aws_lb.search.arn]
}

resource "aws_lb" "search" {
  name               = "search"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_vpc_endpoint_service" "partners" {
  acceptance_required        = true
  allowed_principals         = [for id in var.partner_account_ids : "arn:aws:iam::${id}:root"]
  network_load_balancer_arns = [aws_lb.search.arn]
}

resource "aws_acm_certificate" "search" {
  domain_name       = "search.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "search" {
  certificate_arn = aws_acm_certificate.search.arn
}

resource "aws_lb_listener" "search" {
  load_balancer_arn = aws_lb.search.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.search.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.search.arn
  }
}

resource "aws_lb_target_group" "search" {
  name        = "search"
  port        = 9200
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
