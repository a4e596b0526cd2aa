# Claims API: verification was turned off while the NLB's private-CA certificate was replaced by a public one,
# and the finding was suppressed until mid-2025 "while migrating". The date has passed and the flag is still
# on: the suppression no longer applies (W9520), so W9510 is reported again.

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

resource "aws_acmpca_certificate_authority" "internal" {
  type = "ROOT"

  certificate_authority_configuration {
    key_algorithm     = "RSA_2048"
    signing_algorithm = "SHA256WITHRSA"

    subject {
      common_name = "Example Corp Internal Root"
    }
  }
}

resource "aws_acm_certificate" "claims" {
  domain_name               = "claims.corp.example.com"
  certificate_authority_arn = aws_acmpca_certificate_authority.internal.arn
}

resource "aws_api_gateway_rest_api" "claims" {
  name = "claims"
}

resource "aws_api_gateway_resource" "claims" {
  rest_api_id = aws_api_gateway_rest_api.claims.id
  parent_id   = aws_api_gateway_rest_api.claims.root_resource_id
  path_part   = "claims"
}

resource "aws_api_gateway_method" "submit" {
  rest_api_id   = aws_api_gateway_rest_api.claims.id
  resource_id   = aws_api_gateway_resource.claims.id
  http_method   = "POST"
  authorization = "NONE"
}

# tlspath:ignore W9510 reason="private CA until the public certificate is issued" expires=2025-06-30
resource "aws_api_gateway_integration" "submit" {
  rest_api_id             = aws_api_gateway_rest_api.claims.id
  resource_id             = aws_api_gateway_resource.claims.id
  http_method             = aws_api_gateway_method.submit.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "POST"
  uri                     = "https://claims.corp.example.com/claims"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.claims.id

  tls_config {
    insecure_skip_verification = true
  }
}

resource "aws_api_gateway_vpc_link" "claims" {
  name        = "claims"
  target_arns = [aws_lb.claims.arn]
}

resource "aws_lb" "claims" {
  name               = "claims"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_lb_listener" "claims" {
  load_balancer_arn = aws_lb.claims.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.claims.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.claims.arn
  }
}

resource "aws_lb_target_group" "claims" {
  name        = "claims"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
