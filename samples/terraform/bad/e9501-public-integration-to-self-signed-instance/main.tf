# Reports API: HTTP API -> public HTTP_PROXY integration to an EC2 instance's public DNS name. There is no load
# balancer: TLS ends at the instance, whose user data makes a self-signed certificate at boot. API Gateway
# validates it against its list of trusted CAs and rejects every request (HTTP APIs cannot skip that).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "ami_id" {
  type    = string
  default = "ami-0c1b2d3e4f5a6b7c8"
}

resource "aws_apigatewayv2_api" "reports" {
  name          = "reports"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "reports" {
  api_id             = aws_apigatewayv2_api.reports.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://${aws_instance.reports.public_dns}:8443/{proxy}"
}

resource "aws_apigatewayv2_route" "reports" {
  api_id    = aws_apigatewayv2_api.reports.id
  route_key = "ANY /reports/{proxy+}"
  target    = "integrations/${aws_apigatewayv2_integration.reports.id}"
}

resource "aws_instance" "reports" {
  ami                         = var.ami_id
  instance_type               = "t3.small"
  associate_public_ip_address = true

  user_data = <<-EOT
    #!/bin/bash
    dnf install -y nginx openssl
    openssl req -x509 -nodes -newkey rsa:2048 -days 825 -subj "/CN=reports.example.com" \
      -keyout /etc/nginx/reports.key -out /etc/nginx/reports.crt
    systemctl enable --now nginx
  EOT
}
