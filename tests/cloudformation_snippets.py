"""CloudFormation building blocks for the tests: a private integration's path from the VPC link on, so each
test writes only the part it is about."""

from __future__ import annotations

# A v1 VPC link to an NLB whose TLS listener presents a DNS-validated ACM certificate for api.example.com.
NLB_TLS = """
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


def rest_method(uri: str) -> str:
    """A REST API private integration (GET) through the VPC link ``Link`` to ``uri``."""
    return f"""
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      ResourceId: root
      RestApiId: api
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: !Ref Link
        Uri: {uri}
"""
