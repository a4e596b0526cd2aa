# Catalog API with a switch: terminate_tls = true puts an ACM certificate on an NLB TLS listener; false keeps
# the legacy setup, a TCP listener passing TLS through to an instance that makes its own certificate at boot
# (registered only then: count = var.terminate_tls ? 0 : 1). The switch has no value here, so tlspath follows
# both ways: the legacy way fails, and the finding says so in the variable's own terms.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "terminate_tls" {
  type        = bool
  description = "Terminate TLS at the NLB (true) or pass it through to the legacy instance (false)"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  parent_id   = aws_api_gateway_rest_api.catalog.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "list" {
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list" {
  rest_api_id             = aws_api_gateway_rest_api.catalog.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.list.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://catalog.example.com/items"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.catalog.id
}

resource "aws_api_gateway_vpc_link" "catalog" {
  name        = "catalog"
  target_arns = [aws_lb.catalog.arn]
}

resource "aws_lb" "catalog" {
  name               = "catalog"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_acm_certificate" "catalog" {
  domain_name       = "catalog.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "catalog" {
  certificate_arn = aws_acm_certificate.catalog.arn
}

resource "aws_lb_listener" "catalog" {
  load_balancer_arn = aws_lb.catalog.arn
  port              = 443
  protocol          = var.terminate_tls ? "TLS" : "TCP"
  certificate_arn   = !var.terminate_tls ? null : aws_acm_certificate_validation.catalog.certificate_arn
  ssl_policy        = var.terminate_tls ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : null

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.catalog.arn
  }
}

resource "aws_lb_target_group" "catalog" {
  name        = "catalog"
  port        = 8443
  protocol    = "TCP"
  target_type = "instance"
}

resource "aws_instance" "legacy" {
  count         = var.terminate_tls ? 0 : 1
  ami           = "ami-0c1b2d3e4f5a6b7c8"
  instance_type = "t3.small"
  subnet_id     = var.subnet_ids[0]
  user_data     = <<-EOT
    #!/bin/bash
    openssl req -x509 -nodes -newkey rsa:2048 -days 365 -subj "/CN=catalog.example.com" \
      -keyout /etc/catalog/tls.key -out /etc/catalog/tls.crt
    systemctl start catalog
  EOT
}

resource "aws_lb_target_group_attachment" "legacy" {
  count            = var.terminate_tls ? 0 : 1
  target_group_arn = aws_lb_target_group.catalog.arn
  target_id        = aws_instance.legacy[0].id
  port             = 8443
}
