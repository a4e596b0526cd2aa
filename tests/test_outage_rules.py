"""The outage checks (issue 11 §2): when each fires, in CloudFormation and Terraform, and when it stays quiet --
above all on values the files do not determine."""

from __future__ import annotations

import textwrap

import pytest

from conftest import edit, line_of
from terraform_snippets import clean_rest_path

CFN_PATH = """
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: api
      ResourceId: root
      HttpMethod: GET
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: !Ref Link
        Uri: https://api.example.com/
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {Name: link, TargetArns: [!Ref Nlb]}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: api.example.com, ValidationMethod: DNS}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: TLS
      Port: 443
      Certificates: [{CertificateArn: !Ref Certificate}]
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 8443, TargetType: ip}
"""


@pytest.fixture
def cfn(tlspath, write):
    """Lint a template made of the given resources (and conditions): (template path, findings)."""
    def run(resources: str, conditions: str = ""):
        header = f"Conditions:\n{textwrap.indent(textwrap.dedent(conditions), '  ')}" if conditions else ""
        path = write("template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n'
                     "  Shared: {Type: String, AllowedValues: ['yes', 'no']}\n" + header + "Resources:\n" + resources)
        result = tlspath(path, "--format", "json")
        assert result.report["errors"] == []
        return path, result.findings
    return run


@pytest.fixture
def terraform(tlspath, write, tmp_path):
    """Lint a root module made of the given HCL: (main.tf path, findings)."""
    def run(text: str):
        path = write("terraform/main.tf", text)
        result = tlspath(path.parent, "--format", "json")
        assert result.report["errors"] == []
        return path, result.findings
    return run


def fired(findings: list[dict], rule: str) -> list[dict]:
    return [f for f in findings if f["rule"] == rule]


# ------------------------------------------------------------------------------------------------ E9515

CFN_ENDPOINT_SERVICE = """
  Service:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      AcceptanceRequired: true
      NetworkLoadBalancerArns: [!Ref Nlb]
"""

TF_ENDPOINT_SERVICE = '''
resource "aws_vpc_endpoint_service" "partners" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.nlb.arn]
}
'''


def test_e9515_fires_on_the_endpoint_service_of_a_v1_links_nlb(cfn, terraform):
    template, findings = cfn(CFN_PATH + CFN_ENDPOINT_SERVICE)
    finding, = findings
    assert (finding["rule"], finding["line"]) == ("E9515", line_of(template, "NetworkLoadBalancerArns"))
    assert finding["resource"] == "Service" and "FAILED" in finding["message"]
    assert [step["role"] for step in finding["trace"]][:3] == ["integration", "vpc_link", "load_balancer"]
    main, findings = terraform(clean_rest_path() + TF_ENDPOINT_SERVICE)
    finding, = findings
    assert (finding["rule"], finding["line"]) == ("E9515", line_of(main, "network_load_balancer_arns"))
    assert finding["resource"] == "aws_vpc_endpoint_service.partners"


@pytest.mark.parametrize("service", [
    pytest.param(edit(CFN_ENDPOINT_SERVICE, {"[!Ref Nlb]": "[!Ref OtherNlb]"}) +
                 "  OtherNlb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: {Type: network}\n",
                 id="another NLB"),
    pytest.param(edit(CFN_ENDPOINT_SERVICE, {"[!Ref Nlb]": "[!ImportValue shared-nlb]"}), id="unknown NLB"),
    pytest.param(edit(CFN_ENDPOINT_SERVICE, {"Properties:": "Condition: IsShared\n    Properties:"}),
                 id="undecided condition"),
    pytest.param(edit(CFN_ENDPOINT_SERVICE, {"[!Ref Nlb]": "!If [IsShared, [!Ref Nlb], !Ref AWS::NoValue]"}),
                 id="undecided choice"),
])
def test_e9515_is_quiet_unless_the_files_say_the_nlb_is_shared(cfn, service):
    _, findings = cfn(CFN_PATH + service, conditions="IsShared: !Equals [!Ref Shared, 'yes']\n")
    assert fired(findings, "E9515") == []


def test_e9515_is_quiet_for_a_vpc_link_v2(cfn):
    v2 = edit(CFN_PATH, {"Type: AWS::ApiGateway::VpcLink\n    Properties: {Name: link, TargetArns: [!Ref Nlb]}":
                         "Type: AWS::ApiGatewayV2::VpcLink\n    Properties: {Name: link, SubnetIds: [subnet-1]}",
                         "ConnectionId: !Ref Link": "ConnectionId: !Ref Link\n        IntegrationTarget: !Ref Nlb"})
    _, findings = cfn(v2 + CFN_ENDPOINT_SERVICE)
    assert findings == []


def test_e9515_is_quiet_when_terraform_names_the_nlb_by_a_variable(terraform):
    _, findings = terraform(clean_rest_path() + edit(TF_ENDPOINT_SERVICE, {"[aws_lb.nlb.arn]": "[var.nlb_arn]"}) +
                            'variable "nlb_arn" {\n  type = string\n}\n')
    assert fired(findings, "E9515") == []


# ------------------------------------------------------------------------------------------------ W9518

CFN_PRIVATE_ZONE = """
  Zone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: example.com
      VPCs: [{VPCId: vpc-1, VPCRegion: eu-west-1}]
"""

CFN_VALIDATED_IN_ZONE = {
    "Properties: {DomainName: api.example.com, ValidationMethod: DNS}":
        "Properties:\n      DomainName: api.example.com\n      ValidationMethod: DNS\n"
        "      DomainValidationOptions: [{DomainName: api.example.com, HostedZoneId: !Ref Zone}]"}


def test_w9518_fires_on_validation_records_in_a_private_zone_of_the_stack(cfn):
    template, findings = cfn(edit(CFN_PATH, CFN_VALIDATED_IN_ZONE) + CFN_PRIVATE_ZONE)
    finding, = findings
    assert (finding["rule"], finding["line"]) == ("W9518", line_of(template, "HostedZoneId: !Ref Zone"))
    assert "private hosted zone 'example.com'" in finding["message"] and finding["resource"] == "Certificate"


@pytest.mark.parametrize("zone", [
    pytest.param(edit(CFN_PRIVATE_ZONE, {"      VPCs: [{VPCId: vpc-1, VPCRegion: eu-west-1}]\n": ""}), id="public zone"),
    pytest.param("", id="no zone: the stack waits for a manual record"),
])
def test_w9518_is_quiet_for_public_zones_and_manual_validation(cfn, zone):
    template = edit(CFN_PATH, CFN_VALIDATED_IN_ZONE) if zone else CFN_PATH
    _, findings = cfn(template + zone)
    assert findings == []


@pytest.mark.parametrize("zone_id", ["Z0123456789ABCDEFGHIJ", "!ImportValue private-zone-id"])
def test_w9518_is_quiet_on_a_zone_the_files_do_not_show(cfn, zone_id):
    _, findings = cfn(edit(CFN_PATH, CFN_VALIDATED_IN_ZONE).replace("!Ref Zone", zone_id) + CFN_PRIVATE_ZONE)
    assert findings == []


TF_LISTENER_ON_CERTIFICATE = clean_rest_path().replace(
    'resource "aws_acm_certificate_validation" "cert" {\n  certificate_arn = aws_acm_certificate.cert.arn\n}\n', "")

TF_RECORDS = '''
resource "aws_route53_record" "validation" {
  count   = length(aws_acm_certificate.cert.domain_validation_options)
  zone_id = ZONE
  name    = tolist(aws_acm_certificate.cert.domain_validation_options)[count.index].resource_record_name
  type    = "CNAME"
  records = [tolist(aws_acm_certificate.cert.domain_validation_options)[count.index].resource_record_value]
  ttl     = 60
}

resource "aws_route53_zone" "internal" {
  name = "example.com"

  vpc {
    vpc_id = "vpc-0a1b2c3d4e5f60718"
  }
}
'''


def test_w9518_fires_when_nothing_waits_for_issuance(terraform):
    assert "aws_acm_certificate_validation" not in TF_LISTENER_ON_CERTIFICATE
    main, findings = terraform(TF_LISTENER_ON_CERTIFICATE)
    finding, = findings
    assert (finding["rule"], finding["line"]) == ("W9518", line_of(main, 'validation_method = "DNS"'))
    assert finding["resource"] == "aws_acm_certificate.cert" and "PENDING_VALIDATION" in finding["message"]
    assert "aws_acm_certificate_validation" in finding["fix"] and "certificate_arn" in finding["fix"]


def test_w9518_fires_on_validation_records_in_a_private_terraform_zone(terraform):
    main, findings = terraform(clean_rest_path() + TF_RECORDS.replace("ZONE", "aws_route53_zone.internal.zone_id"))
    finding, = findings
    assert (finding["rule"], finding["line"]) == ("W9518", line_of(main, "zone_id = aws_route53_zone.internal"))
    assert "private hosted zone 'example.com'" in finding["message"]


@pytest.mark.parametrize("extra", [
    pytest.param('resource "aws_acm_certificate_validation" "cert" {\n  certificate_arn = var.certificate_arn\n}\n'
                 'variable "certificate_arn" {\n  type = string\n}\n', id="validation of an unknown certificate"),
    pytest.param('resource "aws_acm_certificate_validation" "cert" {\n  count           = var.wait ? 1 : 0\n'
                 '  certificate_arn = aws_acm_certificate.cert.arn\n}\nvariable "wait" {\n  type = bool\n}\n',
                 id="validation whose instances are unknown"),
    pytest.param(TF_RECORDS.replace("ZONE", "var.zone_id") + 'resource "aws_acm_certificate_validation" "cert" {\n'
                 '  certificate_arn = aws_acm_certificate.cert.arn\n}\nvariable "zone_id" {\n  type = string\n}\n',
                 id="records in a zone nobody names"),
])
def test_w9518_is_quiet_when_the_files_do_not_tell(terraform, extra):
    _, findings = terraform(TF_LISTENER_ON_CERTIFICATE + extra)
    assert fired(findings, "W9518") == []


@pytest.mark.parametrize("certificate", [
    'certificate_authority_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/1"',
    'validation_method = "NONE"',
])
def test_w9518_is_quiet_for_certificates_that_need_no_validation(terraform, certificate):
    _, findings = terraform(TF_LISTENER_ON_CERTIFICATE.replace('validation_method = "DNS"', certificate))
    assert fired(findings, "W9518") == []
