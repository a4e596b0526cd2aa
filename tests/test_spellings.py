"""Messages and fixes name fields the way the user's file does: a Terraform user is told to set
``integration_target`` and ``protocol = "TLS"``, a CloudFormation user ``IntegrationTarget`` and ``Protocol: TLS``
(``"Protocol": "TLS"`` in a JSON template) -- the same rule, the same finding, in each user's own words."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, SAMPLES
from terraform_snippets import (
    SELF_SIGNING_SCRIPT, acm_certificate, instance, nlb, pass_through_path, rest_integration, tcp_listener,
    tls_listener, vpc_link,
)

CLOUDFORMATION_ONLY = ("IntegrationTarget", "IntegrationUri", "TlsConfig", "ServerNameToVerify", "Protocol:",
                       "Protocol TLS", "CertificateAuthorityArn", "CertificateChain", "SslPolicy", "KeyAlgorithm",
                       "AWS::", "!Ref", "template")
TERRAFORM_ONLY = ("integration_target", "integration_uri", "tls_config", "server_name_to_verify", "protocol =",
                  "certificate_authority_arn", "certificate_chain", "ssl_policy", "key_algorithm",
                  "insecure_skip_verification")

CFN_REST = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      ResourceId: root
      RestApiId: api
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: !Ref Link
        Uri: https://api.example.com/{target}
  Link:
    Type: {link}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {{Type: network}}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: {protocol}
      Port: 443{certificates}
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref Targets}}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {{Protocol: TCP, Port: 443, Targets: [{{Id: !Ref Web}}]}}
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0c1b2d3e4f5a6b7c8
      UserData: {user_data}
"""


V1_LINK = "AWS::ApiGateway::VpcLink\n    Properties: {Name: link, TargetArns: [!Ref Nlb]}"
V2_LINK = "AWS::ApiGatewayV2::VpcLink\n    Properties: {Name: link, SubnetIds: [subnet-1]}"


def cfn_rest(target: str = "", user_data: str = "!Base64 echo", protocol: str = "TCP", certificates: str = "",
             link: str = V1_LINK) -> str:
    """REST Method -> VPC link -> NLB listener -> an instance with the given user data."""
    return CFN_REST.format(target=target, user_data=user_data, protocol=protocol, certificates=certificates,
                           link=link)


SELF_SIGNING_USER_DATA = '!Base64 "openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=api.example.com"'


@pytest.fixture
def cloudformation(tlspath, write):
    def run(resources: str):
        text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + resources
        return tlspath(write("template.yaml", text), "--format", "json").findings
    return run


@pytest.fixture
def terraform(tlspath, write, tmp_path):
    def run(hcl: str):
        return tlspath(write("terraform/main.tf", hcl).parent, "--format", "json").findings
    return run


def only(findings: list[dict], rule: str) -> dict:
    matching = [f for f in findings if f["rule"] == rule]
    assert len(matching) == 1, findings
    return matching[0]


def words(finding: dict) -> str:
    return f"{finding['message']} / {finding['fix']}"


def test_w9502_names_the_listener_protocol_as_each_user_writes_it(cloudformation, terraform):
    cfn = only(cloudformation(cfn_rest()), "W9502")
    assert cfn["fix"].startswith("Set Protocol: TLS on listener 'Listener'")
    tf = only(terraform(pass_through_path('"echo"')), "W9502")
    assert tf["fix"].startswith("Set protocol = \"TLS\" on listener 'aws_lb_listener.tcp'")
    assert not any(word in words(tf) for word in CLOUDFORMATION_ONLY)


def test_w9502_in_a_json_template_is_spelled_in_json(tlspath, write):
    template = {"Resources": {
        "Method": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET", "Integration": {
            "Type": "HTTP_PROXY", "ConnectionType": "VPC_LINK", "ConnectionId": {"Ref": "Link"},
            "Uri": "https://api.example.com/"}}},
        "Link": {"Type": "AWS::ApiGateway::VpcLink", "Properties": {"Name": "l", "TargetArns": [{"Ref": "Nlb"}]}},
        "Nlb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network"}},
        "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
            "LoadBalancerArn": {"Ref": "Nlb"}, "Protocol": "TCP", "Port": 443,
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Targets"}}]}},
        "Targets": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Protocol": "TCP", "Port": 443}},
    }}
    finding = only(tlspath(write("template.json", json.dumps(template, indent=2)), "--format", "json").findings, "W9502")
    assert finding["fix"].startswith('Set "Protocol": "TLS" on listener \'Listener\'')


def test_e9501_pass_through_fix_sets_the_protocol_in_each_syntax(cloudformation, terraform):
    cfn = only(cloudformation(cfn_rest(user_data=SELF_SIGNING_USER_DATA)), "E9501")
    assert cfn["fix"].startswith("Set Protocol: TLS on listener 'Listener' with a public ACM certificate")
    tf = only(terraform(pass_through_path(SELF_SIGNING_SCRIPT)), "E9501")
    assert tf["fix"].startswith("Set protocol = \"TLS\" on listener 'aws_lb_listener.tcp' with a public ACM certificate")
    assert not any(word in words(tf) for word in CLOUDFORMATION_ONLY)


def test_e9501_private_ca_fix_names_the_authority_and_the_skip_flag_as_each_user_writes_them(cloudformation,
                                                                                           terraform):
    authority = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/1"
    resources = cfn_rest(protocol="TLS", certificates="\n      Certificates: [{CertificateArn: !Ref Certificate}]") + f"""
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {{DomainName: api.example.com, CertificateAuthorityArn: "{authority}"}}
"""
    cfn = only(cloudformation(resources), "E9501")
    assert "requested without CertificateAuthorityArn" in cfn["fix"]
    assert "insecureSkipVerification" in cfn["fix"]  # a Method cannot skip: only an OpenAPI body can
    hcl = (rest_integration() + vpc_link() + nlb() + tls_listener()
           + acm_certificate(extra=f'  certificate_authority_arn = "{authority}"'))
    tf = only(terraform(hcl), "E9501")
    assert "requested without certificate_authority_arn" in tf["fix"]
    assert "set tls_config { insecure_skip_verification = true } on the integration" in tf["fix"]
    assert not any(word in words(tf) for word in CLOUDFORMATION_ONLY)


def test_e9509_names_the_integration_target_as_each_user_writes_it(cloudformation, terraform):
    cfn = only(cloudformation(cfn_rest(link=V2_LINK)), "E9509")
    assert "without IntegrationTarget" in cfn["message"] and cfn["fix"].startswith("Set IntegrationTarget to")
    hcl = rest_integration(link="aws_apigatewayv2_vpc_link.link.id") + '''
resource "aws_apigatewayv2_vpc_link" "link" {
  name       = "link"
  subnet_ids = ["subnet-1"]
}
'''
    tf = only(terraform(hcl), "E9509")
    assert "without integration_target" in tf["message"] and tf["fix"].startswith("Set integration_target to")
    assert "'IntegrationTarget is required for VpcLinkV2'" in tf["message"]  # API Gateway's own words, quoted


def test_e9509_on_a_v1_link_tells_each_user_to_drop_the_target_they_wrote(cloudformation, terraform):
    resources = cfn_rest(target="\n        IntegrationTarget: !Ref Nlb")
    cfn = only(cloudformation(resources), "E9509")
    assert "sets IntegrationTarget" in cfn["message"] and cfn["fix"].startswith("Drop IntegrationTarget")
    hcl = (rest_integration(extra="  integration_target      = aws_lb.nlb.arn") + vpc_link() + nlb()
           + tcp_listener() + instance('"echo"'))
    tf = only(terraform(hcl), "E9509")
    assert "sets integration_target" in tf["message"] and tf["fix"].startswith("Drop integration_target")
    assert not any(word in words(tf) for word in CLOUDFORMATION_ONLY)


@pytest.mark.parametrize("front_end, foreign", [("cloudformation", TERRAFORM_ONLY), ("terraform", CLOUDFORMATION_ONLY)])
def test_no_sample_report_speaks_the_other_formats_words(tlspath, front_end, foreign):
    """Every finding on the samples of one format, in that format's words only."""
    findings = tlspath(SAMPLES / front_end, "--format", "json").findings
    assert findings
    spoken = [(f["rule"], word) for f in findings for word in foreign if word in words(f)]
    assert spoken == []


def http_api_cfn(tls: str = "") -> str:
    """A private HTTP API integration -> NLB TLS listener with a certificate for api.example.com."""
    return """
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {Name: l, SubnetIds: [subnet-1]}
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: api, IntegrationType: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link,
                 IntegrationUri: !Ref Listener%s}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Nlb, Protocol: TLS, Port: 443, Certificates: [{CertificateArn: !Ref Cert}]}
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: api.example.com}
""" % (f", TlsConfig: {{ServerNameToVerify: {tls}}}" if tls else "")


def http_api_tf(tls: str = "") -> str:
    """The same in Terraform."""
    block = f"\n  tls_config {{\n    server_name_to_verify = {tls}\n  }}" if tls else ""
    return f'''
resource "aws_apigatewayv2_vpc_link" "v2" {{
  name       = "v2"
  subnet_ids = ["subnet-1"]
}}

resource "aws_apigatewayv2_integration" "proxy" {{
  api_id           = "api"
  integration_type = "HTTP_PROXY"
  integration_uri  = aws_lb_listener.tls.arn
  connection_type  = "VPC_LINK"
  connection_id    = aws_apigatewayv2_vpc_link.v2.id{block}
}}
''' + nlb() + tls_listener() + acm_certificate()


def test_an_http_api_is_told_to_add_the_tls_block_it_would_write(cloudformation, terraform):
    cfn = only(cloudformation(http_api_cfn()), "E9506")
    assert "has no TlsConfig" in cfn["message"] and cfn["fix"].startswith("Add TlsConfig with ServerNameToVerify")
    tf = only(terraform(http_api_tf()), "E9506")
    assert "has no tls_config" in tf["message"] and tf["fix"].startswith("Add tls_config with server_name_to_verify")
    assert not any(word in words(tf) for word in CLOUDFORMATION_ONLY)


def test_an_openapi_body_in_terraform_is_spelled_as_written_inside_jsonencode(terraform):
    body = '''
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/" = {
        get = {
          "x-amazon-apigateway-integration" = {
            type           = "http_proxy"
            uri            = "https://api.example.com/"
            connectionType = "VPC_LINK"
            connectionId   = aws_api_gateway_vpc_link.link.id
          }
        }
      }
    }
  })
}
'''
    authority = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/1"
    hcl = body + vpc_link() + nlb() + tls_listener() + acm_certificate(extra=f'  certificate_authority_arn = "{authority}"')
    finding = only(terraform(hcl), "E9501")
    assert ('set "x-amazon-apigateway-integration" = { tlsConfig = { insecureSkipVerification = true } } on the '
            "integration") in finding["fix"]


def test_a_plan_is_spelled_as_the_configuration_it_was_made_from(tlspath):
    findings = tlspath(ROOT / "tests" / "fixtures" / "terraform" / "plan-with-modules" / "plan.json",
                       "--format", "json").findings
    fixes = {f["fix"] for f in findings if f["rule"] == "E9501"}
    assert fixes and all(fix.startswith('Set protocol = "TLS" on listener') for fix in fixes)



@pytest.mark.parametrize("name", ["other.example.com", "nlb-1.elb.eu-west-1.amazonaws.com"])
def test_an_http_api_host_name_mismatch_is_fixed_in_the_name_it_verifies(cloudformation, terraform, name):
    """A private HTTP API verifies ServerNameToVerify; its integration URI is the listener ARN, which must stay."""
    cfn = only(cloudformation(http_api_cfn(name)), "E9503")
    assert cfn["fix"].startswith("Set ServerNameToVerify to ") and "URI" not in cfn["fix"], cfn["fix"]
    tf = only(terraform(http_api_tf(f'"{name}"')), "E9503")
    assert tf["fix"].startswith("Set server_name_to_verify to ") and "URI" not in tf["fix"], tf["fix"]
    assert not any(word in words(tf) for word in CLOUDFORMATION_ONLY)


def test_a_missing_alb_listener_is_an_http_or_https_one(cloudformation):
    """E9507 on an ALB (a v2 link's IntegrationTarget): ALBs have HTTP/HTTPS listeners, never TCP/TLS."""
    findings = cloudformation("""
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      ResourceId: root
      RestApiId: api
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: !Ref Link
        IntegrationTarget: !Ref Alb
        Uri: https://api.example.com:8443/
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {Name: link, SubnetIds: [subnet-1]}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: application}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, Protocol: HTTPS, Port: 443, Certificates: [{CertificateArn: !Ref Cert}]}
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: api.example.com}
""")
    fix = only(findings, "E9507")["fix"]
    assert "TCP" not in fix and "TLS listener" not in fix and "an HTTPS listener on port 8443" in fix, fix
    assert "port 443" in fix, fix  # the port it does listen on
