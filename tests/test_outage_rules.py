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
