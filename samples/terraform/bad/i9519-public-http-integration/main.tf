# Rates API: REST API -> public HTTP integration to a partner's API over plain http://. It works, but every
# request and the API key it carries cross the internet unencrypted.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_api_gateway_rest_api" "rates" {
  name = "rates"
}

resource "aws_api_gateway_resource" "rates" {
  rest_api_id = aws_api_gateway_rest_api.rates.id
  parent_id   = aws_api_gateway_rest_api.rates.root_resource_id
  path_part   = "rates"
}

resource "aws_api_gateway_method" "get_rates" {
  rest_api_id   = aws_api_gateway_rest_api.rates.id
  resource_id   = aws_api_gateway_resource.rates.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "get_rates" {
  rest_api_id             = aws_api_gateway_rest_api.rates.id
  resource_id             = aws_api_gateway_resource.rates.id
  http_method             = aws_api_gateway_method.get_rates.http_method
  type                    = "HTTP"
  integration_http_method = "GET"
  uri                     = "http://rates.partner.example.net/v2/rates"
}
