# Notifications: a WebSocket API -> VPC link v1 -> NLB TLS listener. The listener's certificate was requested
# for the old name push.example.com; the integration URI now says notify.example.com. API Gateway verifies the
# URI's host against the listener's certificate (as on a REST API), so every message fails the handshake.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_apigatewayv2_api" "notify" {
  name                       = "notify"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "default" {
  api_id             = aws_apigatewayv2_api.notify.id
  integration_type   = "HTTP_PROXY"
  integration_method = "POST"
  integration_uri    = "https://notify.example.com/events"
  connection_type    = "VPC_LINK"
  connection_id      = aws_api_gateway_vpc_link.notify.id
}

resource "aws_apigatewayv2_route" "default" {
  api_id    = aws_apigatewayv2_api.notify.id
  route_key = "$default"
  target    = "integrations/${aws_apigatewayv2_integration.default.id}"
}

resource "aws_api_gateway_vpc_link" "notify" {
  name        = "notify"
  target_arns = [aws_lb.notify.arn]
}

resource "aws_lb" "notify" {
  name               = "notify"
  internal           = true
  load_balancer_type = "network"
  subnets            = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

resource "aws_acm_certificate" "push" {
  domain_name       = "push.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "push" {
  certificate_arn = aws_acm_certificate.push.arn
}

resource "aws_lb_listener" "notify" {
  load_balancer_arn = aws_lb.notify.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.push.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.notify.arn
  }
}

resource "aws_lb_target_group" "notify" {
  name        = "notify"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
}
