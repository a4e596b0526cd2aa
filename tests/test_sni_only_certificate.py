"""I9523: on a REST private integration, the certificate for the verified host is only on the listener's SNI
list -- the path holds only if API Gateway sends SNI there, which is unverified. HTTP APIs (ServerNameToVerify is
sent as SNI), a default certificate that covers the host, and hosts nothing covers (E9503) stay quiet."""

from __future__ import annotations

import textwrap

from cloudformation_snippets import NLB_TLS, rest_method
from conftest import edit, line_of
from terraform_snippets import acm_certificate, nlb, rest_integration, tls_listener, vpc_link

# The listener's default certificate is for legacy.example.com; the URI host's, api.example.com, is on its SNI list.
REST = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:' + rest_method("https://api.example.com/orders") + edit(
    NLB_TLS, {"Certificates: [{CertificateArn: !Ref Certificate}]": "Certificates: [{CertificateArn: !Ref Legacy}]"}) + """
  Legacy:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: legacy.example.com, ValidationMethod: DNS}
  ApiSni:
    Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
    Properties:
      ListenerArn: !Ref Listener
      Certificates: [{CertificateArn: !Ref Certificate}]
"""

HTTP_API = {
    rest_method("https://api.example.com/orders"): """
  Get:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api
      IntegrationType: HTTP_PROXY
      PayloadFormatVersion: "1.0"
      ConnectionType: VPC_LINK
      ConnectionId: !Ref Link
      IntegrationUri: !Ref Listener
      TlsConfig: {ServerNameToVerify: api.example.com}
""",
    "Type: AWS::ApiGateway::VpcLink\n    Properties: {Name: link, TargetArns: [!Ref Nlb]}":
        "Type: AWS::ApiGatewayV2::VpcLink\n    Properties: {Name: link, SubnetIds: [subnet-1]}",
}


def test_a_host_covered_only_from_the_sni_list_is_noted(tlspath, write):
    path = write("orders.yaml", REST)
    run = tlspath(path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["level"], finding["line"]) == ("I9523", "info", line_of(path, "Certificates: [{"))
    assert finding["message"] == (
        "Get (GET /): the certificate for 'api.example.com' ('Certificate') is only on the SNI list of listener "
        "'Listener'; the default certificate 'Legacy' (legacy.example.com) is what API Gateway gets if it does not "
        "send SNI (unverified for REST private integrations)")
    assert finding["fix"] == ("Make 'Certificate' the default certificate of listener 'Listener' (Certificates), or add "
                              "'api.example.com' to the names of 'Legacy', so the path holds with or without SNI")
    assert run.code == 0  # info: the path may well work


def test_a_default_certificate_that_covers_the_host_is_quiet(tlspath, write):
    swapped = edit(REST, {"ListenerArn: !Ref Listener\n      Certificates: [{CertificateArn: !Ref Certificate}]":
                          "ListenerArn: !Ref Listener\n      Certificates: [{CertificateArn: !Ref Legacy}]",
                          "Certificates: [{CertificateArn: !Ref Legacy}]\n      DefaultActions":
                          "Certificates: [{CertificateArn: !Ref Certificate}]\n      DefaultActions"})
    assert tlspath(write("orders.yaml", swapped), "--format", "json").findings == []


def test_http_apis_send_their_server_name_as_sni(tlspath, write):
    assert tlspath(write("orders.yaml", edit(REST, HTTP_API)), "--format", "json").findings == []


def test_a_host_nothing_covers_is_e9503_alone(tlspath, write):
    run = tlspath(write("orders.yaml", edit(REST, {"DomainName: api.example.com": "DomainName: shop.example.com"})),
                  "--format", "json")
    assert run.ids() == ["E9503"]


def test_a_default_certificate_whose_names_are_unknown_says_nothing_of_sni(tlspath, write):
    by_arn = edit(REST, {"!Ref Legacy}]": "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d}]"})
    assert tlspath(write("orders.yaml", by_arn), "--format", "json").ids() == ["I9513"]


def test_terraform_listener_certificate(tlspath, write, tmp_path):
    path = write("main.tf", rest_integration(uri='"https://api.example.com/"') + vpc_link() + nlb() +
                 tls_listener() + acm_certificate("legacy.example.com") + textwrap.dedent('''
        resource "aws_acm_certificate" "orders" {
          domain_name = "api.example.com"
        }

        resource "aws_lb_listener_certificate" "orders" {
          listener_arn    = aws_lb_listener.tls.arn
          certificate_arn = aws_acm_certificate.orders.arn
        }
        '''))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["line"]) == ("I9523", line_of(path, "certificate_arn   = aws_acm_certificate_validation.cert"))
    assert "the default certificate 'aws_acm_certificate.cert' (legacy.example.com)" in finding["message"]
    assert finding["fix"].startswith("Make 'aws_acm_certificate.orders' the default certificate of listener "
                                     "'aws_lb_listener.tls' (certificate_arn)")
