variable "nlb_arn" {
  type = string
}

variable "api_host" {
  type = string
}

variable "environment" {
  type = string
}

variable "region" {
  type = string
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders-${var.environment}"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "list" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_vpc_link" "orders" {
  name        = "orders-${var.environment}"
  target_arns = [var.nlb_arn]
}

resource "aws_api_gateway_integration" "list" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.list.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://${var.api_host}/orders"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.orders.id
}
