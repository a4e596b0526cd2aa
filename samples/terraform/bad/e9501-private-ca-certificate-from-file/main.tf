# Shipping API: the NLB serves a certificate issued by the company's own CA, uploaded to IAM from files in
# the repository. The chain is complete, but it ends at a private root that is not in API Gateway's trust
# store, so the handshake fails.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "shipping_private_key" {
  type      = string
  sensitive = true
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

resource "aws_iam_server_certificate" "shipping" {
  name_prefix       = "shipping-"
  certificate_body  = file("${path.module}/tls/shipping.crt")
  certificate_chain = file("${path.module}/tls/corp-chain.pem")
  private_key       = var.shipping_private_key

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_rest_api" "shipping" {
  name = "shipping"
}

resource "aws_api_gateway_resource" "shipments" {
  rest_api_id = aws_api_gateway_rest_api.shipping.id
  parent_id   = aws_api_gateway_rest_api.shipping.root_resource_id
  path_part   = "shipments"
}

resource "aws_api_gateway_method" "track" {
  rest_api_id   = aws_api_gateway_rest_api.shipping.id
  resource_id   = aws_api_gateway_resource.shipments.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "track" {
  rest_api_id             = aws_api_gateway_rest_api.shipping.id
  resource_id             = aws_api_gateway_resource.shipments.id
  http_method             = aws_api_gateway_method.track.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://shipping.corp.example.com/shipments"
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

resource "aws_lb_listener" "shipping" {
  load_balancer_arn = aws_lb.shipping.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_iam_server_certificate.shipping.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.shipping.arn
  }
}

resource "aws_lb_target_group" "shipping" {
  name        = "shipping"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
}
