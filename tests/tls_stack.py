"""The CloudFormation stack certificate tests put certificates on: REST API -> VPC link v1 -> internal NLB with
a TLS listener -> TLS target group (or, for --probe, a TCP listener passing TLS through to a TCP target group).
Only the certificates (and a few knobs) change from test to test."""

from __future__ import annotations

HOST = "api.example.com"


def stack(*paths: str, parameters: str = "", resources: str = "", targets: str = "TLS") -> str:
    """A template with the given API paths (from :func:`api_path`), extra parameters and resources, and the
    target group every listener forwards to (``targets`` is its protocol)."""
    return (f'AWSTemplateFormatVersion: "2010-09-09"\n'
            f"{'Parameters:' + parameters if parameters else ''}"
            f"Resources:{''.join(paths)}{resources}"
            "  Targets:\n"
            "    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n"
            f"    Properties: {{Protocol: {targets}, Port: 443, VpcId: vpc-0a1b2c3d}}\n")


def api_path(*certificates: str, host: str = HOST, skip: bool = False, suffix: str = "", port: int = 443) -> str:
    """One API whose integration reaches listener ``Listener{suffix}`` presenting ``certificates`` (YAML
    values for ``CertificateArn``, default certificate first). ``skip`` sets insecureSkipVerification, which
    CloudFormation only allows in an OpenAPI body; otherwise the integration is a Method ``OrdersGet{suffix}``.
    Without certificates the listener is TCP: TLS passes through to the targets. ``port`` is the URI's and the
    listener's."""
    api, link, nlb, listener = (f"{name}{suffix}" for name in ("Api", "Link", "Nlb", "Listener"))
    uri = f"https://{host}{'' if port == 443 else f':{port}'}/orders"
    if skip:
        front = f"""
  {api}:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
      Body:
        openapi: "3.0.1"
        info: {{title: orders, version: "1"}}
        paths:
          /orders:
            get:
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: GET
                connectionType: VPC_LINK
                connectionId: !Ref {link}
                uri: {uri}
                tlsConfig:
                  insecureSkipVerification: true
"""
    else:
        front = f"""
  {api}:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: orders}}
  OrdersGet{suffix}:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref {api}
      ResourceId: !GetAtt {api}.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: GET
        ConnectionType: VPC_LINK
        ConnectionId: !Ref {link}
        Uri: {uri}
"""
    listed = "\n".join(f"        - CertificateArn: {certificate}" for certificate in certificates)
    terminate = f"Protocol: TLS\n      Port: {port}\n      Certificates:\n{listed}" if certificates else f"Protocol: TCP\n      Port: {port}"
    return front + f"""  {link}:
    Type: AWS::ApiGateway::VpcLink
    Properties: {{Name: link{suffix}, TargetArns: [!Ref {nlb}]}}
  {nlb}:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {{Type: network, Scheme: internal, Subnets: [subnet-0a1b2c3d]}}
  {listener}:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref {nlb}
      {terminate}
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref Targets}}]
"""
