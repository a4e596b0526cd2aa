"""Host names: compared as written when both sides come from the same variable or parameter, never judged on
a value the files do not give, and never accepted when they cannot be a host name at all."""

from __future__ import annotations

import pytest
from cloudformation_snippets import NLB_TLS
from conftest import edit, line_of
from terraform_snippets import acm_certificate, nlb, rest_integration, tls_listener, vpc_link

from linter.model import Interpolated, Reference, Unknown
from linter.names import covers, ends_with, problem

DOMAIN = Unknown("variable 'domain_name' has no value", identity="root#var.domain_name")
OTHER = Unknown("variable 'zone' has no value", identity="root#var.zone")
COMPUTED = DOMAIN.derived()  # lower(var.domain_name): computed from the variable, not the variable


@pytest.mark.parametrize(("pattern", "host", "expected"), [
    ("api.example.com", "API.example.com.", True),
    ("*.example.com", "api.example.com", True),
    ("*.example.com", "a.b.example.com", False),  # a wildcard stands for one label
    ("*.example.com", "example.com", False),
    (Interpolated(("*.", DOMAIN)), Interpolated(("acm.", DOMAIN)), True),  # whatever the variable holds
    (Interpolated(("acm.", DOMAIN)), Interpolated(("acm.", DOMAIN)), True),
    (Interpolated(("*.", DOMAIN)), Interpolated(("a.b.", DOMAIN)), False),
    (Interpolated(("*.", DOMAIN)), Interpolated(("acm.", OTHER)), None),  # two variables: it depends
    (Interpolated(("*.", DOMAIN)), Interpolated(("acm.", COMPUTED)), None),  # computed: not the same text
    (Interpolated(("*.", DOMAIN)), Interpolated((DOMAIN,)), False),
    (Interpolated(("*.", DOMAIN)), Interpolated((OTHER, ".", DOMAIN)), None),  # the unknown label may hold dots
    (Interpolated(("*.", DOMAIN)), "api.example.com", None),
    (Interpolated(("*.", Reference("z", "name"))), Interpolated(("api.", Reference("z", "name"))), True),
])
def test_names_cover_hosts_certainly_or_say_it_depends(pattern, host, expected):
    assert covers(pattern, host) is expected


def test_a_record_name_is_inside_its_zone_whatever_the_zone_is_called():
    assert ends_with(Interpolated(("api.", DOMAIN)), Interpolated((DOMAIN,))) is True
    assert ends_with("api", "example.com") is False
    assert ends_with("api.example.com.", "example.com") is True
    assert ends_with(Interpolated(("api.", DOMAIN)), "example.com") is None


@pytest.mark.parametrize(("name", "why"), [
    ("https://api.example.com", "it has a scheme"),
    ("api.example.com/orders", "it has a path"),
    ("api.example.com:8443", "it has a port"),
    ("api example.com", "it contains spaces"),
    ("bücher.example.com", "it is not ASCII: certificates and DNS hold it as 'xn--bcher-kva.example.com'"),
    (Interpolated(("https://", DOMAIN)), "it has a scheme"),
    ("api.example.com", None),
    ("10.0.0.12", None),
    (Interpolated(("api.", DOMAIN)), None),  # an unknown part never makes a problem up
])
def test_what_cannot_be_a_host_name(name, why):
    assert problem(name) == why


# ------------------------------------------------------------------------------------------ end to end


def http_api(server_name: str) -> str:
    return f'''
variable "domain_name" {{
  type = string
}}

resource "aws_apigatewayv2_api" "api" {{
  name          = "api"
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_vpc_link" "link" {{
  name               = "link"
  subnet_ids         = ["subnet-1"]
  security_group_ids = ["sg-1"]
}}

resource "aws_apigatewayv2_integration" "orders" {{
  api_id             = aws_apigatewayv2_api.api.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  connection_type    = "VPC_LINK"
  connection_id      = aws_apigatewayv2_vpc_link.link.id
  integration_uri    = aws_lb_listener.tls.arn

  tls_config {{
    server_name_to_verify = {server_name}
  }}
}}
''' + nlb() + tls_listener("aws_acm_certificate.internal.arn") + '''
resource "aws_acm_certificate" "internal" {
  domain_name               = "internal.${var.domain_name}"
  certificate_authority_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/1"
}

resource "aws_acm_certificate" "public" {
  domain_name       = "acm.${var.domain_name}"
  validation_method = "DNS"
}

resource "aws_lb_listener_certificate" "public" {
  listener_arn    = aws_lb_listener.tls.arn
  certificate_arn = aws_acm_certificate.public.arn
}
'''


@pytest.mark.parametrize("server_name", ['"acm.${var.domain_name}"', 'format("acm.%s", var.domain_name)',
                                         'format("%s.%v", "acm", var.domain_name)',
                                         'join(".", ["acm", var.domain_name])'])
def test_a_host_built_from_the_certificates_variable_cancels_out_and_picks_the_sni_certificate(tlspath, write, tmp_path,
                                                                                              server_name):
    """format() and join() place the variable as a template does: the same name, compared symbolically."""
    write("main.tf", http_api(server_name))
    run = tlspath(tmp_path, "--format", "json", "--ignore", "W9518")
    assert run.findings == []  # no I9513 for domain_name; the public SNI certificate is the one presented


def test_the_default_certificate_is_judged_when_the_host_picks_it_by_name(tlspath, write, tmp_path):
    main = write("main.tf", http_api('"internal.${var.domain_name}"'))
    finding, = tlspath(tmp_path, "--format", "json", "--ignore", "W9518").findings
    assert finding["rule"] == "E9501" and finding["line"] == line_of(main, "certificate_authority_arn")


@pytest.mark.parametrize("server_name", ['"acm.${lower(var.domain_name)}"', 'format("acm.%40s", var.domain_name)'])
def test_a_host_computed_from_the_variable_is_not_the_variable(tlspath, write, tmp_path, server_name):
    main = write("main.tf", http_api(server_name))
    run = tlspath(tmp_path, "--format", "json", "--ignore", "W9518")
    assert run.ids() == ["I9513"]  # which certificate the NLB picks is unknown: nothing else is claimed
    gap, = run.findings
    assert "domain_name" in gap["message"] and gap["line"] == line_of(main, "server_name_to_verify")


@pytest.mark.parametrize(("server_name", "why"), [('"https://acm.example.com"', "it has a scheme"),
                                                  ('"acm.example.com:443"', "it has a port"),
                                                  ('"https://${var.domain_name}"', "it has a scheme"),
                                                  ('"b\u00fccher.example.com"', "it is not ASCII: certificates "
                                                   "and DNS hold it as 'xn--bcher-kva.example.com'")])
def test_a_server_name_that_cannot_be_a_host_name_never_matches(tlspath, write, tmp_path, server_name, why):
    main = write("main.tf", http_api(server_name))
    finding, = (f for f in tlspath(tmp_path, "--format", "json", "--ignore", "W9518").findings if f["rule"] == "E9503")
    assert f"which cannot be a host name ({why})" in finding["message"]
    assert finding["line"] == line_of(main, "server_name_to_verify")


def test_cloudformation_parameter_on_both_sides_cancels_out(tlspath, write):
    method = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: !Ref Link
        Uri: !Sub "https://api.${DomainName}/"
"""
    header = "Parameters:\n  DomainName: {Type: String}\nResources:\n"
    template = write("template.yaml", header + method + edit(NLB_TLS, {
        "DomainName: api.example.com": 'DomainName: !Sub "*.${DomainName}"'}))
    assert tlspath(template, "--format", "json").findings == []
    other = write("other.yaml", edit(template.read_text(), {'"*.${DomainName}"': '"*.${AWS::Region}.example.com"'}))
    run = tlspath(other, "--format", "json")
    assert run.ids() == ["I9513", "I9513"]  # neither the host nor the certificate's name is known: no mismatch


def test_a_literal_host_against_a_certificate_named_by_a_variable_names_the_variable(tlspath, write, tmp_path):
    main = write("main.tf", 'variable "domain_name" {\n  type = string\n}\n' + rest_integration() + vpc_link() +
                 nlb() + tls_listener() + acm_certificate("*.${var.domain_name}"))
    gap, = tlspath(tmp_path, "--format", "json", "--ignore", "W9518").findings
    assert gap["rule"] == "I9513" and "variable 'domain_name' has no value" in gap["message"]
    assert gap["line"] == line_of(main, "domain_name       =")
