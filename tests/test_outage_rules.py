"""The outage checks (issue 11 §2): when each fires, in CloudFormation and Terraform, and when it stays quiet --
above all on values the files do not determine."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from cloudformation_snippets import NLB_TLS
from conftest import ROOT, edit, line_of
from terraform_snippets import acm_certificate, clean_rest_path, nlb, rest_integration, tls_listener, vpc_link

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
""" + NLB_TLS


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


TF_LISTENER_ON_CERTIFICATE = rest_integration() + vpc_link() + nlb() + tls_listener("aws_acm_certificate.cert.arn") + \
    acm_certificate().split('resource "aws_acm_certificate_validation"')[0]

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


@pytest.mark.parametrize("validation, instance", [
    pytest.param('resource "aws_acm_certificate_validation" "cert" {\n  certificate_arn = aws_acm_certificate.cert.arn\n}\n',
                 "", id="a validation"),
    pytest.param('resource "aws_acm_certificate_validation" "cert" {\n  count           = var.wait ? 1 : 0\n'
                 '  certificate_arn = aws_acm_certificate.cert.arn\n}\nvariable "wait" {\n  type = bool\n}\n',
                 "[0]", id="a validation that may not exist"),
    pytest.param('resource "aws_acm_certificate_validation" "cert" {\n  for_each        = toset(["main"])\n'
                 '  certificate_arn = aws_acm_certificate.cert.arn\n}\n', '["main"]', id="one validation per key"),
])
def test_w9518_fires_when_a_validation_exists_but_the_listener_does_not_wait_for_it(tlspath, write, validation,
                                                                                    instance):
    """A validation resource that merely exists orders nothing: terraform creates the listener, which takes
    aws_acm_certificate.cert.arn, at the same time (R6-8)."""
    main = write("terraform/main.tf", TF_LISTENER_ON_CERTIFICATE + validation)
    result = tlspath(main.parent, "--format", "json")
    assert result.code == 1 and {f["rule"] for f in result.findings} == {"W9518"}
    finding = result.findings[-1]
    assert (finding["level"], finding["line"], finding["resource"]) == (
        "warning", line_of(main, "certificate_arn   = aws_acm_certificate.cert.arn"), "aws_lb_listener.tls")
    assert "nothing orders it after aws_acm_certificate_validation.cert, which waits" in finding["message"]
    assert finding["fix"] == (f"Set certificate_arn of listener 'aws_lb_listener.tls' to aws_acm_certificate_validation"
                              f".cert{instance}.certificate_arn (or add depends_on = [aws_acm_certificate_validation.cert]"
                              " to it)")


def test_w9518_fires_when_the_listener_reads_a_data_source_that_waits_for_nothing(tlspath, write):
    """A data source is followed like a resource (ordering.py): one that reads no validation orders nothing,
    and is no reason to stay silent."""
    main = write("terraform/main.tf", edit(TF_LISTENER_ON_CERTIFICATE, {
        '  protocol          = "TLS"': '  protocol          = "TLS"\n  tags              = { region = data.aws_region.here.name }'})
        + 'data "aws_region" "here" {}\n'
        + 'resource "aws_acm_certificate_validation" "cert" {\n  certificate_arn = aws_acm_certificate.cert.arn\n}\n')
    result = tlspath(main.parent, "--format", "json")
    assert [f["rule"] for f in result.findings] == ["W9518"]


@pytest.mark.parametrize("alone", [False, True], ids=["beside-its-tf-files", "alone"])
def test_w9518_from_a_plan_follows_a_data_source_as_the_hcl_walk_does(tlspath, tmp_path, alone):
    """The test above's configuration (made plannable), planned by real terraform: the plan walk reads the data
    source's configuration entry (it waits for nothing), where it used to call any data.* unknown and stay
    silent."""
    plan = ROOT / "tests" / "fixtures" / "terraform" / "plan-w9518-data-source" / "plan.json"
    if alone:
        (tmp_path / "plan.json").write_text(plan.read_text())
        plan = tmp_path / "plan.json"
    result = tlspath(plan, "--format", "json")
    assert [f["rule"] for f in result.findings] == ["W9518"]
    assert result.findings[0]["fix"].endswith("(or add depends_on = [aws_acm_certificate_validation.cert] to it)")


WAITER_MODULE = 'module "waiter" {\n  source = "./waiter"\n  arn    = aws_acm_certificate_validation.cert.certificate_arn\n}\n'


@pytest.mark.parametrize("listener_extra, extra", [
    pytest.param("  depends_on = [aws_acm_certificate_validation.cert]", "", id="depends_on the validation"),
    pytest.param("  depends_on = [terraform_data.issued]",
                 'resource "terraform_data" "issued" {\n  input = aws_acm_certificate_validation.cert.id\n}\n',
                 id="depends_on what reads the validation"),
    pytest.param("  depends_on = [module.waiter]", WAITER_MODULE, id="depends_on a module given the validation"),
    pytest.param("  depends_on = [module.remote]", 'module "remote" {\n  source = "acme/waiter/aws"\n}\n',
                 id="depends_on a module tlspath cannot read"),
    pytest.param("  tags = { issued = data.aws_acm_certificate.issued.arn }",
                 'data "aws_acm_certificate" "issued" {\n  domain     = "api.example.com"\n'
                 '  depends_on = [aws_acm_certificate_validation.cert]\n}\n', id="through a data source"),
    pytest.param("  tags = { issued = local.issued }",
                 'locals {\n  issued = aws_acm_certificate_validation.cert.certificate_arn\n}\n', id="through a local"),
])
def test_w9518_is_quiet_when_the_listener_waits_for_the_validation_or_may(tlspath, write, listener_extra, extra):
    write("terraform/waiter/main.tf", 'variable "arn" {\n  type = string\n}\n')
    main = write("terraform/main.tf", edit(TF_LISTENER_ON_CERTIFICATE, {
        '  protocol          = "TLS"': '  protocol          = "TLS"\n' + listener_extra}) +
        'resource "aws_acm_certificate_validation" "cert" {\n  certificate_arn = aws_acm_certificate.cert.arn\n}\n' + extra)
    result = tlspath(main.parent, "--format", "json")
    assert [f["rule"] for f in result.findings if f["rule"] != "I9513"] == []
    assert result.code == 0


@pytest.mark.parametrize("text", [
    pytest.param(TF_LISTENER_ON_CERTIFICATE + 'resource "aws_acm_certificate_validation" "cert" {\n  certificate_arn = '
                 'var.certificate_arn\n}\nvariable "certificate_arn" {\n  type = string\n}\n',
                 id="validation of an unknown certificate"),
    pytest.param(clean_rest_path() + TF_RECORDS.replace("ZONE", "var.zone_id") + 'variable "zone_id" {\n'
                 '  type = string\n}\n', id="records in a zone nobody names"),
])
def test_w9518_is_quiet_when_the_files_do_not_tell(terraform, text):
    _, findings = terraform(text)
    assert fired(findings, "W9518") == []


@pytest.mark.parametrize("certificate", [
    'certificate_authority_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/1"',
    'validation_method = "NONE"',
])
def test_w9518_is_quiet_for_certificates_that_need_no_validation(terraform, certificate):
    _, findings = terraform(TF_LISTENER_ON_CERTIFICATE.replace('validation_method = "DNS"', certificate))
    assert fired(findings, "W9518") == []


# ------------------------------------------------------------------------------------------------ W9517

CFN_HTTP_API_PATH = """
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api
      IntegrationType: HTTP_PROXY
      ConnectionType: VPC_LINK
      ConnectionId: !Ref Link
      IntegrationUri: !Ref Listener
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {Name: link, SubnetIds: [subnet-1], SecurityGroupIds: [!Ref LinkGroup]}
  LinkGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: link}
  OtherGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: bastion}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: application, SecurityGroups: [!Ref AlbGroup]}
  AlbGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: alb
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref OtherGroup}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Protocol: HTTP
      Port: 80
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: HTTP, Port: 8080, TargetType: ip}
"""


def test_w9517_fires_when_the_albs_groups_do_not_admit_the_v2_links_groups(cfn):
    template, findings = cfn(CFN_HTTP_API_PATH)
    finding, = fired(findings, "W9517")
    assert finding["line"] == line_of(template, "SecurityGroups: [!Ref AlbGroup]") and finding["resource"] == "Alb"
    assert "'LinkGroup'" in finding["message"] and "port 80" in finding["message"]
    assert "SecurityGroupIngress of 'AlbGroup'" in finding["fix"]


@pytest.mark.parametrize("change", [
    pytest.param({"!Ref OtherGroup}": "!Ref LinkGroup}"}, id="inline rule from the link's group"),
    pytest.param({"SourceSecurityGroupId: !Ref OtherGroup": "CidrIp: 10.0.0.0/16"}, id="an address range"),
    pytest.param({"IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref OtherGroup":
                  "IpProtocol: '-1', SourceSecurityGroupId: !Ref LinkGroup"}, id="every protocol from the link"),
    pytest.param({"SourceSecurityGroupId: !Ref OtherGroup": "SourceSecurityGroupId: sg-0123456789abcdef0"},
                 id="a group id the files do not show"),
    pytest.param({"SecurityGroups: [!Ref AlbGroup]": "SecurityGroups: [!ImportValue alb-group]"},
                 id="the ALB's group is unknown"),
    pytest.param({"SecurityGroupIds: [!Ref LinkGroup]": "SecurityGroupIds: [sg-0123456789abcdef0]"},
                 id="the link's group is unknown"),
    pytest.param({", SecurityGroups: [!Ref AlbGroup]": ""}, id="no group written: the VPC's default group"),
    pytest.param({"FromPort: 80, ToPort: 80": "FromPort: !If [IsShared, 80, 443], ToPort: 80"},
                 id="a port a condition leaves open"),
])
def test_w9517_is_quiet_unless_the_files_say_the_link_is_shut_out(cfn, change):
    _, findings = cfn(edit(CFN_HTTP_API_PATH, change), conditions="IsShared: !Equals [!Ref Shared, 'yes']\n")
    assert fired(findings, "W9517") == []


def test_w9517_counts_ingress_resources_of_their_own(cfn):
    ingress = """
  LinkIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt AlbGroup.GroupId, IpProtocol: tcp, FromPort: 0, ToPort: 1024,
                 SourceSecurityGroupId: !GetAtt LinkGroup.GroupId}
"""
    _, findings = cfn(CFN_HTTP_API_PATH + ingress)
    assert fired(findings, "W9517") == []
    _, findings = cfn(CFN_HTTP_API_PATH + ingress.replace("ToPort: 1024", "ToPort: 79"))
    assert len(fired(findings, "W9517")) == 1


TF_NLB_GROUP = '''
resource "aws_security_group" "nlb" {
  name = "nlb"

  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
'''

TF_NLB_WITH_GROUP = clean_rest_path().replace('load_balancer_type = "network"',
                                              'load_balancer_type = "network"\n  security_groups    = [aws_security_group.nlb.id]')


def test_w9517_fires_when_an_nlb_group_opens_nothing_on_the_v1_listener_port(terraform):
    main, findings = terraform(TF_NLB_WITH_GROUP + TF_NLB_GROUP)
    finding, = findings
    assert (finding["rule"], finding["line"]) == ("W9517", line_of(main, "security_groups    ="))
    assert "PrivateLink" in finding["message"] and "port 443" in finding["message"]
    assert 'enforce_security_group_inbound_rules_on_private_link_traffic = "off"' in finding["fix"]


@pytest.mark.parametrize("extra", [
    pytest.param('resource "aws_vpc_security_group_ingress_rule" "tls" {\n  security_group_id = aws_security_group.nlb.id\n'
                 '  ip_protocol = "tcp"\n  from_port = 443\n  to_port = 443\n  cidr_ipv4 = "10.0.0.0/8"\n}\n',
                 id="aws_vpc_security_group_ingress_rule"),
    pytest.param('resource "aws_security_group_rule" "all" {\n  type = "ingress"\n  security_group_id = '
                 'aws_security_group.nlb.id\n  protocol = "-1"\n  from_port = 0\n  to_port = 0\n'
                 '  cidr_blocks = ["10.0.0.0/8"]\n}\n', id="aws_security_group_rule, every protocol"),
    pytest.param('resource "aws_vpc_security_group_ingress_rule" "elsewhere" {\n  security_group_id = var.group\n'
                 '  ip_protocol = "tcp"\n  from_port = 443\n  to_port = 443\n  cidr_ipv4 = "10.0.0.0/8"\n}\n'
                 'variable "group" {\n  type = string\n}\n', id="a rule for a group nobody names"),
    pytest.param('resource "aws_security_group_rule" "range" {\n  type = var.direction\n  security_group_id = '
                 'aws_security_group.nlb.id\n  protocol = "tcp"\n  from_port = 400\n  to_port = 500\n'
                 '  self = true\n}\nvariable "direction" {\n  type = string\n}\n', id="a rule of unknown direction"),
])
def test_w9517_v1_is_quiet_when_a_rule_opens_the_port(terraform, extra):
    _, findings = terraform(TF_NLB_WITH_GROUP + TF_NLB_GROUP + extra)
    assert findings == []


@pytest.mark.parametrize("change", [
    pytest.param({'load_balancer_type = "network"': 'load_balancer_type = "network"\n'
                  '  enforce_security_group_inbound_rules_on_private_link_traffic = "off"'},
                 id="enforcement off for PrivateLink traffic"),
    pytest.param({"[aws_security_group.nlb.id]": "[data.aws_security_group.shared.id]"}, id="a group from a data source"),
    pytest.param({"from_port   = 8443": "from_port   = 443"}, id="the port is open"),
])
def test_w9517_v1_is_quiet_when_the_files_do_not_shut_the_port(terraform, change):
    text = edit(TF_NLB_WITH_GROUP + TF_NLB_GROUP, change) + 'data "aws_security_group" "shared" {\n  name = "shared"\n}\n'
    _, findings = terraform(text)
    assert findings == []


def test_w9517_v1_egress_rules_open_nothing(terraform):
    egress = ('resource "aws_security_group_rule" "out" {\n  type = "egress"\n  security_group_id = '
              'aws_security_group.nlb.id\n  protocol = "-1"\n  from_port = 0\n  to_port = 0\n'
              '  cidr_blocks = ["0.0.0.0/0"]\n}\n')
    _, findings = terraform(TF_NLB_WITH_GROUP + TF_NLB_GROUP + egress)
    assert [f["rule"] for f in findings] == ["W9517"]


TF_HTTP_API = '''
resource "aws_apigatewayv2_integration" "orders" {
  api_id             = "api"
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  connection_type    = "VPC_LINK"
  connection_id      = aws_apigatewayv2_vpc_link.orders.id
  integration_uri    = aws_lb_listener.http.arn
}

resource "aws_apigatewayv2_vpc_link" "orders" {
  name               = "orders"
  subnet_ids         = ["subnet-1"]
  security_group_ids = [aws_security_group.link.id]
}

resource "aws_security_group" "link" {
  name = "link"
}

resource "aws_security_group" "alb" {
  name = "alb"

  ingress {
    from_port = 80
    to_port   = 80
    protocol  = "tcp"
    self      = true
  }
}

resource "aws_lb" "alb" {
  name            = "alb"
  security_groups = [aws_security_group.alb.id]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_target_group" "web" {
  port     = 8080
  protocol = "HTTP"
}
'''


def test_w9517_v2_in_terraform_fires_and_a_shared_group_with_self_admits(terraform):
    main, findings = terraform(TF_HTTP_API)
    assert [(f["rule"], f["line"]) for f in findings] == [("I9511", line_of(main, 'resource "aws_apigatewayv2_integration"')),
                                                          ("W9517", line_of(main, "security_groups = [aws_security_group.alb"))]
    _, findings = terraform(TF_HTTP_API.replace("security_group_ids = [aws_security_group.link.id]",
                                                "security_group_ids = [aws_security_group.alb.id]"))
    assert fired(findings, "W9517") == []


@pytest.mark.parametrize("enforcement, fires", [("", True), ("'on'", True), ("'off'", False), ("!Ref Shared", False)])
def test_w9517_v1_in_cloudformation_follows_the_private_link_enforcement(cfn, enforcement, fires):
    setting = f", EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: {enforcement}" if enforcement else ""
    template, findings = cfn(edit(CFN_PATH, {"Properties: {Type: network}":
                                             f"Properties: {{Type: network, SecurityGroups: [!Ref NlbGroup]{setting}}}"})
                             + "  NlbGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: nlb}\n")
    assert [(f["rule"], f["line"]) for f in findings] == ([("W9517", line_of(template, "SecurityGroups:"))] if fires else [])
    if fires:
        assert 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off"' in findings[0]["fix"]


# ------------------------------------------------------------------------------------------------ E9516

TF_PROVIDERS = '''
variable "region" {
  type    = string
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}
'''


def test_e9516_fires_on_a_certificate_made_with_another_regions_provider(terraform):
    main, findings = terraform(TF_PROVIDERS + clean_rest_path().replace(
        'resource "aws_acm_certificate" "cert" {\n', 'resource "aws_acm_certificate" "cert" {\n  provider = aws.us_east_1\n'))
    finding, = findings
    assert (finding["rule"], finding["line"]) == ("E9516", line_of(main, "provider = aws.us_east_1"))
    assert finding["resource"] == "aws_acm_certificate.cert"
    assert "region us-east-1 (provider aws.us_east_1" in finding["message"]
    assert "region eu-west-1 (provider aws" in finding["message"] and "ACM certificates are regional" in finding["message"]
    assert "provider configuration of 'aws_lb.nlb'" in finding["fix"]


def in_region(text: str, region: str) -> str:
    """Every resource of ``text`` placed by its own ``region`` argument (AWS provider v6)."""
    return re.sub(r'(resource "aws_\w+" "\w+" \{\n)', rf'\1  region = "{region}"\n', text)


def test_e9516_fires_on_a_certificate_placed_by_its_own_region_argument(tlspath, write):
    """AWS provider v6: a resource's top-level ``region`` wins over its provider configuration's."""
    main = write("terraform/main.tf", TF_PROVIDERS + clean_rest_path().replace(
        'resource "aws_acm_certificate" "cert" {\n', 'resource "aws_acm_certificate" "cert" {\n  region = "us-east-1"\n'))
    result = tlspath(main.parent, "--format", "json")
    finding, = result.findings
    assert (result.code, finding["rule"], finding["level"]) == (1, "E9516", "error")
    line = line_of(main, 'resource "aws_acm_certificate" "cert"') + 1
    assert (finding["line"], finding["resource"]) == (line, "aws_acm_certificate.cert")
    assert f"region us-east-1 (its region argument, {main}:{line})" in finding["message"]
    assert "load balancer 'aws_lb.nlb' is in region eu-west-1 (provider aws" in finding["message"]
    assert finding["fix"] == "Put certificate 'aws_acm_certificate.cert' in region eu-west-1: set region = \"eu-west-1\""


def test_e9516_fix_changes_the_variable_that_gives_a_region_argument(tlspath, write):
    main = write("terraform/main.tf", TF_PROVIDERS + 'variable "certificate_region" {\n  type = string\n}\n' +
                 clean_rest_path().replace('resource "aws_acm_certificate" "cert" {\n',
                                           'resource "aws_acm_certificate" "cert" {\n  region = var.certificate_region\n'))
    tfvars = write("terraform/terraform.tfvars", 'certificate_region = "us-east-1"\n')
    finding, = tlspath(main.parent, "--format", "json").findings
    assert finding["rule"] == "E9516"
    assert finding["fix"] == ("Put certificate 'aws_acm_certificate.cert' in region eu-west-1: change the value of "
                              f"variable 'certificate_region', set in {tfvars}:1, to \"eu-west-1\"")


@pytest.mark.parametrize("path", [
    pytest.param(clean_rest_path().replace('resource "aws_acm_certificate" "cert" {\n',
                                           'resource "aws_acm_certificate" "cert" {\n  provider = aws.us_east_1\n'
                                           '  region   = "eu-west-1"\n'), id="region argument over the provider's"),
    pytest.param(in_region(rest_integration() + vpc_link() + nlb() + tls_listener(), "us-east-1") +
                 acm_certificate(extra="  provider = aws.us_east_1"), id="everything in us-east-1, two ways"),
    pytest.param(clean_rest_path().replace('resource "aws_acm_certificate" "cert" {\n',
                                           'resource "aws_acm_certificate" "cert" {\n  region = var.elsewhere\n')
                 + 'variable "elsewhere" {\n  type = string\n}\n', id="a region argument nobody gives"),
])
def test_e9516_is_quiet_where_region_arguments_put_the_path_in_one_region(tlspath, write, path):
    main = write("terraform/main.tf", TF_PROVIDERS + path)
    result = tlspath(main.parent, "--format", "json")
    assert (result.code, result.findings) == (0, [])


def test_e9516_follows_providers_passed_to_a_module(tlspath, write):
    module = write("terraform/modules/edge/main.tf", nlb() + tls_listener() + acm_certificate() +
                   'output "arn" {\n  value = aws_lb.nlb.arn\n}\n')
    main = write("terraform/main.tf", TF_PROVIDERS + rest_integration() + vpc_link("module.edge.arn") +
                 'module "edge" {\n  source    = "./modules/edge"\n  providers = { aws = aws.us_east_1 }\n}\n')
    finding, = tlspath(main.parent, "--format", "json").findings
    assert (finding["rule"], finding["resource"]) == ("E9516", "module.edge.aws_lb.nlb")
    assert (finding["file"], finding["line"]) == (str(module), line_of(module, 'resource "aws_lb" "nlb"'))
    assert "VPC link v1 reaches a Network Load Balancer of the API's own region" in finding["message"]


def test_e9516_compares_the_accounts_of_assumed_roles(terraform):
    providers = ('provider "aws" {\n  region = "eu-west-1"\n  assume_role {\n    role_arn = '
                 '"arn:aws:iam::111122223333:role/deploy"\n  }\n}\nprovider "aws" {\n  alias = "network"\n'
                 '  region = "eu-west-1"\n  assume_role {\n    role_arn = "arn:aws:iam::444455556666:role/deploy"\n  }\n}\n')
    main, findings = terraform(providers + clean_rest_path().replace(
        'load_balancer_type = "network"', 'load_balancer_type = "network"\n  provider           = aws.network'))
    finding, = fired(findings, "E9516")
    assert "account 444455556666" in finding["message"] and "account 111122223333" in finding["message"]
    assert finding["line"] == line_of(main, "provider           = aws.network")


def test_e9516_reads_a_v1_links_literal_target_arn(terraform):
    providers = 'provider "aws" {\n  region = "eu-west-1"\n}\n'
    arn = '"arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/orders/50dc6c495c0c9188"'
    main, findings = terraform(providers + clean_rest_path().replace("target_arns = [aws_lb.nlb.arn]",
                                                                     f"target_arns = [{arn}]"))
    finding, = fired(findings, "E9516")
    assert finding["line"] == line_of(main, "target_arns") and "region us-west-2 (its ARN)" in finding["message"]
    assert fired(findings, "I9513")  # the NLB itself is still not in the files


def test_e9516_compares_literal_arns_in_cloudformation(cfn):
    template, findings = cfn(edit(CFN_HTTP_API_PATH, {
        "LoadBalancerArn: !Ref Alb": "LoadBalancerArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:"
                                     "loadbalancer/app/shared/50dc6c495c0c9188",
        "Protocol: HTTP\n      Port: 80": "Protocol: HTTPS\n      Port: 443\n      Certificates: [{CertificateArn: "
                                          "'arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d'}]"}))
    finding, = fired(findings, "E9516")
    assert finding["line"] == line_of(template, "CertificateArn") and "this ARN names us-east-1" in finding["fix"]


@pytest.mark.parametrize("providers, certificate_provider", [
    pytest.param(TF_PROVIDERS.replace('  default = "eu-west-1"\n', ""), "aws.us_east_1", id="a region nobody states"),
    pytest.param(TF_PROVIDERS, "aws", id="one provider"),
    pytest.param(TF_PROVIDERS.replace('region = "us-east-1"', 'region = "eu-west-1"'), "aws.us_east_1",
                 id="two providers, one region"),
])
def test_e9516_is_quiet_unless_the_files_state_two_places(terraform, providers, certificate_provider):
    _, findings = terraform(providers + clean_rest_path().replace(
        'resource "aws_acm_certificate" "cert" {\n',
        f'resource "aws_acm_certificate" "cert" {{\n  provider = {certificate_provider}\n'))
    assert findings == []


def test_e9516_is_quiet_on_an_iam_certificate_made_with_another_regions_provider(terraform):
    """IAM is global: a server certificate serves listeners in every region, whichever provider created it (teams
    often manage IAM through a us-east-1 provider)."""
    iam = ('resource "aws_iam_server_certificate" "cert" {\n  provider         = aws.us_east_1\n  name             = '
           '"orders"\n  certificate_body = var.certificate_pem\n  private_key      = var.private_key_pem\n}\n'
           'variable "certificate_pem" {\n  type = string\n}\nvariable "private_key_pem" {\n  type = string\n}\n')
    _, findings = terraform(TF_PROVIDERS + iam + clean_rest_path().replace(
        "aws_acm_certificate.cert.arn", "aws_iam_server_certificate.cert.arn"))
    assert fired(findings, "E9516") == []


@pytest.mark.parametrize("certificate", [
    "arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d",  # the stack's own region is unknown
    "arn:aws:iam::111122223333:server-certificate/legacy",  # IAM certificates have no region
])
def test_e9516_is_quiet_on_a_stacks_unknown_region(cfn, certificate):
    _, findings = cfn(edit(CFN_PATH, {"[{CertificateArn: !Ref Certificate}]": f"[{{CertificateArn: '{certificate}'}}]"}))
    assert fired(findings, "E9516") == []


CDK_MANIFEST = """{
  "version": "36.0.0",
  "artifacts": {
    "ApiStack": {
      "type": "aws:cloudformation:stack",
      "environment": "ENVIRONMENT",
      "properties": {"templateFile": "ApiStack.template.json"}
    }
  }
}
"""


@pytest.mark.parametrize("environment, fires", [("aws://111122223333/eu-west-1", True),
                                                ("aws://unknown-account/unknown-region", False)])
def test_e9516_reads_a_cdk_stacks_environment_from_its_manifest(tlspath, write, environment, fires):
    template = {"Resources": {
        "Link": {"Type": "AWS::ApiGateway::VpcLink", "Properties": {"Name": "l", "TargetArns": [{"Ref": "Nlb"}]}},
        "Get": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET", "Integration": {
            "Type": "HTTP_PROXY", "ConnectionType": "VPC_LINK", "ConnectionId": {"Ref": "Link"},
            "Uri": "https://api.example.com/"}}},
        "Nlb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network"}},
        "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
            "LoadBalancerArn": {"Ref": "Nlb"}, "Protocol": "TLS", "Port": 443,
            "Certificates": [{"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d"}],
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Targets"}}]}},
        "Targets": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Protocol": "TCP", "Port": 443}}}}
    stack = write("cdk.out/ApiStack.template.json", json.dumps(template, indent=1))
    manifest = write("cdk.out/manifest.json", CDK_MANIFEST.replace("ENVIRONMENT", environment))
    found = fired(tlspath(stack.parent, "--format", "json").findings, "E9516")
    assert len(found) == fires
    if fires:
        assert found[0]["line"] == line_of(stack, "\"Certificates\"")
        assert f"region eu-west-1 (the CDK stack's environment, {manifest}:{line_of(manifest, 'environment')})" \
            in found[0]["message"]


# ------------------------------------------------------------------------------------------------ plan JSON

PLAN = ROOT / "tests" / "fixtures" / "terraform" / "plan-outage-rules"


def test_plan_json_gives_the_four_outages_at_the_hcl_lines(tlspath, tmp_path):
    main = PLAN / "main.tf"
    from_hcl = tlspath(main, "--format", "json").findings
    assert sorted((f["rule"], f["line"]) for f in from_hcl) == [
        ("E9515", line_of(main, "network_load_balancer_arns")), ("E9516", line_of(main, "provider          = aws.us_east_1")),
        ("W9517", line_of(main, "security_groups    =")), ("W9518", line_of(main, 'validation_method = "DNS"'))]
    from_plan = tlspath(PLAN / "plan.json", "--format", "json").findings
    assert [(f["rule"], f["line"], f["message"]) for f in from_plan] == [(f["rule"], f["line"], f["message"]) for f in from_hcl]
    alone = tmp_path / "plan.json"
    alone.write_text((PLAN / "plan.json").read_text())
    assert sorted(f["rule"] for f in tlspath(alone, "--format", "json").findings) == ["E9515", "E9516", "W9517", "W9518"]


def provider_v6_plan(plan: dict, certificate_region: str, certificate_provider: str) -> dict:
    """``plan`` as AWS provider v6 writes it when the certificate has ``region = certificate_region`` and
    the given provider configuration: the argument under ``configuration``, and the effective region of every
    resource among its planned values. (Only provider 5.100.0 is in the offline mirror that made the fixture,
    and it has no such argument, so the v6 shape is written into a real plan.)"""
    for resource in plan["configuration"]["root_module"]["resources"]:
        if resource["address"] == "aws_acm_certificate.cert":
            resource["provider_config_key"] = certificate_provider
            resource["expressions"]["region"] = {"constant_value": certificate_region}
    planned = [*plan["planned_values"]["root_module"]["resources"], *(
        {"address": change["address"], "values": change["change"]["after"]} for change in plan["resource_changes"])]
    for resource in planned:
        resource["values"]["region"] = certificate_region if resource["address"] == "aws_acm_certificate.cert" \
            else "eu-west-1"
    return plan


@pytest.mark.parametrize("region, provider, fires", [("us-east-1", "aws", True), ("eu-west-1", "aws.us_east_1", False)])
def test_plan_json_reads_a_resources_region_argument(tlspath, tmp_path, region, provider, fires):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(provider_v6_plan(json.loads((PLAN / "plan.json").read_text()), region, provider)))
    result = tlspath(plan, "--format", "json")
    assert sorted(f["rule"] for f in result.findings) == ["E9515", *(["E9516"] if fires else []), "W9517", "W9518"]
    assert result.code == 1
    if fires:
        finding, = fired(result.findings, "E9516")
        assert f"certificate 'aws_acm_certificate.cert' is in region us-east-1 (its region argument, {plan})" \
            in finding["message"]
        assert finding["fix"] == "Put certificate 'aws_acm_certificate.cert' in region eu-west-1: set region = \"eu-west-1\""


def with_validation(plan: dict, listener_depends_on: list[str]) -> dict:
    """``plan`` with an ``aws_acm_certificate_validation.cert`` of the certificate planned, as terraform writes one
    (its ``certificate_arn`` a reference, known after apply), and the listener's ``depends_on``."""
    address = "aws_acm_certificate_validation.cert"
    entry = {"address": address, "mode": "managed", "type": "aws_acm_certificate_validation", "name": "cert",
             "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0}
    plan["planned_values"]["root_module"]["resources"].append({**entry, "values": {}, "sensitive_values": {}})
    plan["resource_changes"].append({**entry, "change": {"actions": ["create"], "before": None, "after": {},
                                                         "after_unknown": {"certificate_arn": True, "id": True}}})
    resources = plan["configuration"]["root_module"]["resources"]
    resources.append({"address": address, "mode": "managed", "type": "aws_acm_certificate_validation", "name": "cert",
                      "provider_config_key": "aws.us_east_1", "schema_version": 0, "expressions": {
                          "certificate_arn": {"references": ["aws_acm_certificate.cert.arn", "aws_acm_certificate.cert"]}}})
    for resource in resources:
        if resource["address"] == "aws_lb_listener.tls" and listener_depends_on:
            resource["depends_on"] = listener_depends_on
    return plan


@pytest.mark.parametrize("depends_on, fires", [([], True), (["aws_acm_certificate_validation.cert"], False)])
def test_plan_json_says_whether_the_listener_waits_for_the_validation(tlspath, tmp_path, depends_on, fires):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(with_validation(json.loads((PLAN / "plan.json").read_text()), depends_on)))
    result = tlspath(plan, "--format", "json")
    found = fired(result.findings, "W9518")
    assert len(found) == fires
    if fires:
        assert found[0]["resource"] == "aws_lb_listener.tls"
        assert "nothing orders it after aws_acm_certificate_validation.cert" in found[0]["message"]
