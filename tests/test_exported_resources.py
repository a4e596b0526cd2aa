"""A load balancer or security group a template exports (or publishes in an SSM parameter) may get listeners or inbound rules from stacks that
import it: scanned without any of them (a pre-commit hook's one file, a per-stack CI job), nothing is claimed
absent about it -- an I9513 names the export and says to scan the importing stacks -- and scanned with them,
the verdict is what the stacks together say."""

from __future__ import annotations

from cloudformation_snippets import rest_method
from conftest import edit, line_of

NETWORK = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:""" + rest_method("https://orders.example.com/") + """
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {Name: link, TargetArns: [!Ref Nlb]}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, Scheme: internal, Subnets: [subnet-1]}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Port: 80
      Protocol: TCP
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Plain}]
  Plain:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 8080, VpcId: vpc-1, TargetType: ip}
Outputs:
  NlbArn:
    Value: !Ref Nlb
    Export: {Name: shared-nlb-arn}
"""

SERVICE = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: orders.example.com, ValidationMethod: DNS}
  Tls:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !ImportValue shared-nlb-arn
      Port: 443
      Protocol: TLS
      SslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
      Certificates: [{CertificateArn: !Ref Certificate}]
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 8443, VpcId: vpc-1, TargetType: ip}
"""


def summary(run) -> list[tuple[str, str, str, int]]:
    return sorted((f["rule"], f["level"], f["file"], f["line"]) for f in run.findings)


def test_an_exported_nlb_scanned_without_its_importers_is_no_absence_claim(tlspath, write, tmp_path):
    network = write("network.yaml", NETWORK)
    run = tlspath("network.yaml", "--format", "json", cwd=tmp_path)
    assert run.code == 0
    assert summary(run) == [("I9513", "info", "network.yaml", line_of(network, "Uri:"))]
    finding, = run.findings
    assert finding["message"] == (
        f"Get (GET /): cannot resolve the listener: no scanned listener of 'Nlb' takes port 443, and 'Nlb' is exported "
        f"as 'shared-nlb-arn' (network.yaml:{line_of(network, 'NlbArn:')}), which no scanned template imports: the "
        "stacks that import 'shared-nlb-arn' may attach one")
    assert finding["fix"] == "scan the stacks that import 'shared-nlb-arn' together with this one"


def test_scanned_with_its_importer_the_path_goes_on_into_the_importers_listener(tlspath, write, tmp_path):
    write("network.yaml", NETWORK)
    service = write("service.yaml", SERVICE)
    run = tlspath(".", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert summary(run) == [("E9508", "error", "service.yaml", line_of(service, "SslPolicy:"))]


def test_an_importer_without_the_listener_leaves_the_port_empty(tlspath, write, tmp_path):
    network = write("network.yaml", NETWORK)
    write("service.yaml", edit(SERVICE, {"Port: 443": "Port: 8443"}))
    run = tlspath(".", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert summary(run) == [("E9507", "error", "network.yaml", line_of(network, "Uri:"))]
    assert "nothing listens there (listeners: 80/TCP, 8443/TLS)" in run.findings[0]["message"]


def test_exporting_only_the_dns_name_hands_no_one_the_load_balancer(tlspath, write, tmp_path):
    network = write("network.yaml", edit(NETWORK, {"Value: !Ref Nlb": "Value: !GetAtt Nlb.DNSName"}))
    run = tlspath("network.yaml", "--format", "json", cwd=tmp_path)
    assert summary(run) == [("E9507", "error", "network.yaml", line_of(network, "Uri:"))]


PUBLISHED_IN_SSM = {"Outputs:\n  NlbArn:\n    Value: !Ref Nlb\n    Export: {Name: shared-nlb-arn}\n": (
    "  NlbArnParameter:\n    Type: AWS::SSM::Parameter\n"
    "    Properties: {Name: /shared/nlb-arn, Type: String, Value: !Ref Nlb}\n")}


def test_an_nlb_published_in_an_ssm_parameter_is_no_absence_claim_either(tlspath, write, tmp_path):
    """The CDK's way to share a resource without an export's lock: any stack may read the parameter."""
    network = write("network.yaml", edit(NETWORK, PUBLISHED_IN_SSM))
    run = tlspath("network.yaml", "--format", "json", cwd=tmp_path)
    assert run.code == 0
    assert summary(run) == [("I9513", "info", "network.yaml", line_of(network, "Uri:"))]
    finding, = run.findings
    assert finding["message"] == (
        "Get (GET /): cannot resolve the listener: no scanned listener of 'Nlb' takes port 443, and 'Nlb' is "
        f"published in SSM parameter '/shared/nlb-arn' (network.yaml:{line_of(network, 'NlbArnParameter:')}): the "
        "stacks that read SSM parameter '/shared/nlb-arn' may attach one")
    assert finding["fix"] == "scan the stacks that read SSM parameter '/shared/nlb-arn' together with this one"


def test_publishing_only_the_dns_name_in_ssm_hands_no_one_the_load_balancer(tlspath, write, tmp_path):
    network = write("network.yaml", edit(edit(NETWORK, PUBLISHED_IN_SSM), {"Value: !Ref Nlb": "Value: !GetAtt Nlb.DNSName"}))
    run = tlspath("network.yaml", "--format", "json", cwd=tmp_path)
    assert summary(run) == [("E9507", "error", "network.yaml", line_of(network, "Uri:"))]


ALB_STACK = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:""" + edit(rest_method("https://orders.example.com/"), {"Uri:": "IntegrationTarget: !Ref Alb\n        Uri:"}) + """
  LinkGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: link, VpcId: vpc-1}
  AlbGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: alb, VpcId: vpc-1}
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {Name: link, SubnetIds: [subnet-1], SecurityGroupIds: [!Ref LinkGroup]}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Subnets: [subnet-1, subnet-2], SecurityGroups: [!Ref AlbGroup]}
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: orders.example.com, ValidationMethod: DNS}
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 443
      Protocol: HTTPS
      Certificates: [{CertificateArn: !Ref Certificate}]
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: "200"}}]
Outputs:
  AlbGroup:
    Value: !GetAtt AlbGroup.GroupId
    Export: {Name: orders-alb-group}
  LinkGroup:
    Value: !GetAtt LinkGroup.GroupId
    Export: {Name: orders-link-group}
"""

INGRESS_STACK = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  FromLink:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !ImportValue orders-alb-group
      SourceSecurityGroupId: !ImportValue orders-link-group
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
"""


def test_an_exported_security_group_scanned_without_its_importers_is_no_absence_claim(tlspath, write, tmp_path):
    alb = write("alb.yaml", ALB_STACK)
    run = tlspath("alb.yaml", "--format", "json", cwd=tmp_path)
    assert run.code == 0
    assert summary(run) == [("I9513", "info", "alb.yaml", line_of(alb, "SecurityGroups: [!Ref AlbGroup]"))]
    finding, = run.findings
    assert finding["message"] == (
        "Get (GET /): cannot resolve the security group: the scanned inbound rules of security group 'AlbGroup' let "
        "nothing from VPC link 'Link' in on TCP port 443 of 'Alb', and 'AlbGroup' is exported as 'orders-alb-group' "
        f"(alb.yaml:{line_of(alb, 'Value: !GetAtt AlbGroup.GroupId') - 1}), which no scanned template imports: the stacks that import "
        "'orders-alb-group' may add the rule")
    assert finding["fix"] == "scan the stacks that import 'orders-alb-group' together with this one"


def test_scanned_with_its_importer_the_rules_it_adds_are_judged(tlspath, write, tmp_path):
    alb = write("alb.yaml", ALB_STACK)
    write("ingress.yaml", INGRESS_STACK)
    run = tlspath(".", "--format", "json", cwd=tmp_path)
    assert (run.code, run.findings) == (0, [])
    write("ingress.yaml", edit(INGRESS_STACK, {"FromPort: 443\n      ToPort: 443": "FromPort: 80\n      ToPort: 80"}))
    run = tlspath(".", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert summary(run) == [("W9517", "warning", "alb.yaml", line_of(alb, "SecurityGroups: [!Ref AlbGroup]"))]
