# Media API: the team already had an ACM certificate for media.example.com -- requested in us-east-1, with
# the provider configuration made for the CloudFront distribution. The new NLB TLS listener reuses it, but
# the NLB is in eu-west-1 and ACM certificates are regional: the listener cannot be created with it.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# CloudFront only takes certificates from us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_acm_certificate" "media" {
  provider          = aws.us_east_1
  domain_name       = "media.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "media" {
  provider        = aws.us_east_1
  certificate_arn = aws_acm_certificate.media.arn
}

resource "aws_api_gateway_rest_api" "media" {
  name = "media"
}

resource "aws_api_gateway_resource" "assets" {
  rest_api_id = aws_api_gateway_rest_api.media.id
  parent_id   = aws_api_gateway_rest_api.media.root_resource_id
  path_part   = "assets"
}

resource "aws_api_gateway_method" "upload" {
  rest_api_id   = aws_api_gateway_rest_api.media.id
  resource_id   = aws_api_gateway_resource.assets.id
  http_method   = "PUT"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "upload" {
  rest_api_id             = aws_api_gateway_rest_api.media.id
  resource_id             = aws_api_gateway_resource.assets.id
  http_method             = aws_api_gateway_method.upload.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "PUT"
  uri                     = "https://media.example.com/assets"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.media.id
}

resource "aws_api_gateway_vpc_link" "media" {
  name        = "media"
  target_arns = [aws_lb.media.arn]
}

resource "aws_lb" "media" {
  name               = "media"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
}

resource "aws_lb_listener" "media" {
  load_balancer_arn = aws_lb.media.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.media.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.media.arn
  }
}

resource "aws_lb_target_group" "media" {
  name        = "media"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}
