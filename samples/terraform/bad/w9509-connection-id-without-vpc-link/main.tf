# Payments HTTP API: the integration names the VPC link in connection_id, but connection_type was left out
# (it defaults to INTERNET). The link is not used: API Gateway calls payments.internal.example.com over the
# internet, where public DNS does not know it (or refuses the integration).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_apigatewayv2_api" "payments" {
  name          = "payments"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_vpc_link" "payments" {
  name               = "payments"
  subnet_ids         = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
  security_group_ids = ["sg-0123456789abcdef0"]
}

resource "aws_apigatewayv2_integration" "payments" {
  api_id             = aws_apigatewayv2_api.payments.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  connection_id      = aws_apigatewayv2_vpc_link.payments.id
  integration_uri    = "https://payments.internal.example.com/{proxy}"
}

resource "aws_apigatewayv2_route" "payments" {
  api_id    = aws_apigatewayv2_api.payments.id
  route_key = "ANY /payments/{proxy+}"
  target    = "integrations/${aws_apigatewayv2_integration.payments.id}"
}
