# Billing API: the certificate bought for billing.example.com was imported into ACM without its
# intermediate chain. The NLB can only send what ACM has, so API Gateway cannot build a path from the
# certificate to a trusted root and fails the handshake.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "billing_private_key" {
  type        = string
  sensitive   = true
  description = "PEM private key of the billing certificate (from the secrets pipeline)"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

resource "aws_acm_certificate" "billing" {
  private_key = var.billing_private_key

  certificate_body = <<-EOT
    -----BEGIN CERTIFICATE-----
    MIIDPjCCAiagAwIBAgIUdYhZ6InF4NcEWfmhoULRFzskF/UwDQYJKoZIhvcNAQEL
    BQAwOzEVMBMGA1UECgwMRXhhbXBsZSBDb3JwMSIwIAYDVQQDDBlFeGFtcGxlIENv
    cnAgSXNzdWluZyBDQSAyMB4XDTI1MDYwMTAwMDAwMFoXDTM1MDYwMTAwMDAwMFow
    NTEVMBMGA1UECgwMRXhhbXBsZSBDb3JwMRwwGgYDVQQDDBNiaWxsaW5nLmV4YW1w
    bGUuY29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4ZCX4wSkCjym
    7LGKmxThWcsiYQ1BEHaD7/jvC74ve6X0nIq0v5L2ti6Xws+yZmmC9UWXRd0r0nHb
    1Vfvy92qE/9cRHK8AnPQs2Yriphgtdus9szQlcX/pmZNJMVzlgSHWVu86lbfKKUq
    2ahLKFIN5WusfVtBiExJVQicUhpfFedcAyanU1MXrrodyMj7SdcQGtWf/AwhlrAc
    BgR2016mdI13F5vR31kBggEqaIOLGSjPG4fRNRbmAeAngfMEUWyeikBBOLhSX1Jx
    DYbyobMuwnOHNYJ/M1wB2mH9UP/Q9FlYWDp1cE/ONdL3X7YIsKzTUg8p1jUeVZiz
    v0pD7XInIwIDAQABo0AwPjAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIFoDAe
    BgNVHREEFzAVghNiaWxsaW5nLmV4YW1wbGUuY29tMA0GCSqGSIb3DQEBCwUAA4IB
    AQBDdgD9uoNZB9RPyU3JNIPCYh0wvBK6KBdP2UIjof0EQfm7k6CFANOKPIN+rE3L
    ZlbpSqVVpUMx8ARKEr7ktzitD3iAddU4SAXJ5by07BwAAA3VAfcQ2M/G1t8ndRNZ
    eczG4AqaNcKcR0GLnqDwEN8g4ZoXZPHBTt7BFttnZKsZyaTpiOe7HeQT1LI77nBF
    6ZqBI8e28ex4/19XDmON3wSScnzLBOiHLSUrIgDDtjV1njQ9SxrnajshiFNPtvWK
    0syC8gOOoO1HXSHwcLMjJH5OVTTKpgCX0uiz207FMl6o8RqnUnPhrAKA+X6zTjoG
    7le+xd+kTjD8mQFH6h0PINJ4
    -----END CERTIFICATE-----
  EOT

  lifecycle {
    create_before_destroy = true
  }
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
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
}
