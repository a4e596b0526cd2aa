# Payments API: REST API -> VPC link -> NLB TLS listener with a public ACM certificate for the host in the
# integration URI -> an Auto Scaling group. TLS ends at the NLB, so API Gateway validates the ACM
# certificate; the instances keep their self-signed certificate, which the NLB does not validate.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name     = "payments"
  api_host = "payments.${var.domain}"
}

resource "aws_api_gateway_rest_api" "payments" {
  name = local.name
}

resource "aws_api_gateway_resource" "charges" {
  rest_api_id = aws_api_gateway_rest_api.payments.id
  parent_id   = aws_api_gateway_rest_api.payments.root_resource_id
  path_part   = "charges"
}

resource "aws_api_gateway_method" "create_charge" {
  rest_api_id   = aws_api_gateway_rest_api.payments.id
  resource_id   = aws_api_gateway_resource.charges.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "create_charge" {
  rest_api_id             = aws_api_gateway_rest_api.payments.id
  resource_id             = aws_api_gateway_resource.charges.id
  http_method             = aws_api_gateway_method.create_charge.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "POST"
  uri                     = "https://${local.api_host}/charges"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.payments.id
}

resource "aws_api_gateway_vpc_link" "payments" {
  name        = local.name
  target_arns = [aws_lb.payments.arn]
}

resource "aws_lb" "payments" {
  name               = local.name
  internal           = true
  load_balancer_type = "network"
  subnets            = var.private_subnet_ids
}

resource "aws_acm_certificate" "payments" {
  domain_name       = local.api_host
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "payments_validation" {
  for_each = {
    for option in aws_acm_certificate.payments.domain_validation_options : option.domain_name => option
  }

  zone_id = var.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 60
}

resource "aws_acm_certificate_validation" "payments" {
  certificate_arn         = aws_acm_certificate.payments.arn
  validation_record_fqdns = [for record in aws_route53_record.payments_validation : record.fqdn]
}

resource "aws_lb_listener" "payments" {
  load_balancer_arn = aws_lb.payments.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.payments.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.payments.arn
  }
}

resource "aws_lb_target_group" "payments" {
  name        = local.name
  port        = 8443
  protocol    = "TLS"
  target_type = "instance"
  vpc_id      = var.vpc_id

  health_check {
    protocol = "HTTPS"
    path     = "/health"
  }
}

resource "aws_launch_template" "payments" {
  name_prefix   = "${local.name}-"
  image_id      = var.ami_id
  instance_type = "t3.medium"

  # Behind a TLS listener the NLB does not validate the targets' certificate: self-signed is fine here.
  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    port = 8443
  }))
}

resource "aws_autoscaling_group" "payments" {
  name                = local.name
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = var.private_subnet_ids
  target_group_arns   = [aws_lb_target_group.payments.arn]

  launch_template {
    id      = aws_launch_template.payments.id
    version = "$Latest"
  }
}
