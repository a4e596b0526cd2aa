"""HCL building blocks for the Terraform tests: a private integration's path, one hop per function, so
each test writes only the part it is about."""

from __future__ import annotations


def rest_integration(uri: str = '"https://api.example.com/"', link: str = "aws_api_gateway_vpc_link.link.id",
                     extra: str = "") -> str:
    return f'''
resource "aws_api_gateway_rest_api" "api" {{
  name = "api"
}}

resource "aws_api_gateway_integration" "get" {{
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_rest_api.api.root_resource_id
  http_method             = "GET"
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = {uri}
  connection_type         = "VPC_LINK"
  connection_id           = {link}
{extra}
}}
'''


def vpc_link(target: str = "aws_lb.nlb.arn") -> str:
    return f'''
resource "aws_api_gateway_vpc_link" "link" {{
  name        = "link"
  target_arns = [{target}]
}}
'''


def nlb(name: str = "nlb") -> str:
    return f'''
resource "aws_lb" "{name}" {{
  name               = "{name}"
  internal           = true
  load_balancer_type = "network"
}}
'''


def listener(protocol: str, certificate: str | None = None, port: str = "443", group: str = "tg",
             group_port: str = "443") -> str:
    """A listener of aws_lb.nlb forwarding to a TCP target group of its own."""
    certificate_line = f"\n  certificate_arn   = {certificate}" if certificate else ""
    return f'''
resource "aws_lb_listener" "{protocol.lower()}" {{
  load_balancer_arn = aws_lb.nlb.arn
  port              = {port}
  protocol          = "{protocol}"{certificate_line}

  default_action {{
    type             = "forward"
    target_group_arn = aws_lb_target_group.{group}.arn
  }}
}}

resource "aws_lb_target_group" "{group}" {{
  port     = {group_port}
  protocol = "TCP"
}}
'''


def tls_listener(certificate: str = "aws_acm_certificate_validation.cert.certificate_arn", port: str = "443", group: str = "tg") -> str:
    return listener("TLS", certificate, port, group, group_port="8443")


def acm_certificate(domain: str = "api.example.com", extra: str = "") -> str:
    """A DNS-validated ACM certificate and the validation that waits for its issuance."""
    return f'''
resource "aws_acm_certificate" "cert" {{
  domain_name       = "{domain}"
  validation_method = "DNS"
{extra}
}}

resource "aws_acm_certificate_validation" "cert" {{
  certificate_arn = aws_acm_certificate.cert.arn
}}
'''


def tcp_listener(group: str = "tg") -> str:
    return listener("TCP", group=group)


def instance(user_data: str, name: str = "web", group: str = "tg") -> str:
    return f'''
resource "aws_instance" "{name}" {{
  ami           = "ami-0c1b2d3e4f5a6b7c8"
  instance_type = "t3.small"
  user_data     = {user_data}
}}

resource "aws_lb_target_group_attachment" "{name}" {{
  target_group_arn = aws_lb_target_group.{group}.arn
  target_id        = aws_instance.{name}.id
  port             = 443
}}
'''


SELF_SIGNING_SCRIPT = '''<<-EOT
    #!/bin/bash
    openssl req -x509 -nodes -newkey rsa:2048 -subj "/CN=api.example.com" -keyout /k.pem -out /c.pem
  EOT'''


def clean_rest_path() -> str:
    """REST API -> v1 link -> NLB TLS listener with an ACM certificate for the URI host: no finding."""
    return rest_integration() + vpc_link() + nlb() + tls_listener() + acm_certificate()


def pass_through_path(user_data: str = SELF_SIGNING_SCRIPT) -> str:
    """REST API -> NLB TCP listener -> an instance with the given user data."""
    return rest_integration() + vpc_link() + nlb() + tcp_listener() + instance(user_data)
