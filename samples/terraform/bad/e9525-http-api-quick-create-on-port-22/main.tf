# Legacy inventory API: an HTTP API created with quick create, whose target is the old inventory host on
# port 22 (a typo for 2222). API Gateway connects to HTTP endpoints only on ports 80, 443 and 1024-65535:
# every request fails.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_apigatewayv2_api" "inventory" {
  name          = "inventory"
  protocol_type = "HTTP"
  target        = "https://inventory.legacy.example.org:22/"
}
