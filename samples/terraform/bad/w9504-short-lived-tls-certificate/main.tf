# Reports API (staging): the NLB serves a tls_self_signed_cert that is valid for one week after each
# terraform apply, and the integration skips issuer verification to accept it. Expiry is still checked, and
# nothing renews the certificate between applies: a quiet week without a deploy and every request fails.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

locals {
  host = "reports.staging.example.com"
}

resource "tls_private_key" "reports" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_self_signed_cert" "reports" {
  private_key_pem = tls_private_key.reports.private_key_pem

  subject {
    common_name = local.host
  }

  dns_names             = [local.host]
  validity_period_hours = 168
  early_renewal_hours   = 24
  allowed_uses          = ["key_encipherment", "digital_signature", "server_auth"]
}

resource "aws_acm_certificate" "reports" {
  private_key      = tls_private_key.reports.private_key_pem
  certificate_body = tls_self_signed_cert.reports.cert_pem
}

resource "aws_api_gateway_rest_api" "reports" {
  name = "reports-staging"
}

resource "aws_api_gateway_resource" "reports" {
  rest_api_id = aws_api_gateway_rest_api.reports.id
  parent_id   = aws_api_gateway_rest_api.reports.root_resource_id
  path_part   = "reports"
}

resource "aws_api_gateway_method" "get_report" {
  rest_api_id   = aws_api_gateway_rest_api.reports.id
  resource_id   = aws_api_gateway_resource.reports.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "get_report" {
  rest_api_id             = aws_api_gateway_rest_api.reports.id
  resource_id             = aws_api_gateway_resource.reports.id
  http_method             = aws_api_gateway_method.get_report.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://${local.host}/reports"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.reports.id

  tls_config {
    insecure_skip_verification = true
  }
}

resource "aws_api_gateway_vpc_link" "reports" {
  name        = "reports-staging"
  target_arns = [aws_lb.reports.arn]
}

resource "aws_lb" "reports" {
  name               = "reports-staging"
  internal           = true
  load_balancer_type = "network"
  subnets            = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

resource "aws_lb_listener" "reports" {
  load_balancer_arn = aws_lb.reports.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.reports.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.reports.arn
  }
}

resource "aws_lb_target_group" "reports" {
  name        = "reports-staging"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
}
