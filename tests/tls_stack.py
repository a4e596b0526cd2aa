"""The CloudFormation stack certificate tests put certificates on: REST API -> VPC link v1 -> internal NLB with
a TLS listener -> TLS target group. Only the certificates (and a few knobs) change from test to test."""

from __future__ import annotations

HOST = "api.example.com"


def stack(*paths: str, parameters: str = "", resources: str = "") -> str:
    """A template with the given API paths (from :func:`api_path`), extra parameters and resources."""
    return (f'AWSTemplateFormatVersion: "2010-09-09"\n'
            f"{'Parameters:' + parameters if parameters else ''}"
            f"Resources:{''.join(paths)}{resources}"
            "  Targets:\n"
            "    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n"
            "    Properties: {Protocol: TLS, Port: 443, VpcId: vpc-0a1b2c3d}\n")


def api_path(*certificates: str, host: str = HOST, skip: bool = False, suffix: str = "") -> str:
    """One API whose integration reaches listener ``Listener{suffix}`` presenting ``certificates`` (YAML
    values for ``CertificateArn``, default certificate first). ``skip`` sets insecureSkipVerification, which
    CloudFormation only allows in an OpenAPI body; otherwise the integration is a Method ``OrdersGet{suffix}``."""
    api, link, nlb, listener = (f"{name}{suffix}" for name in ("Api", "Link", "Nlb", "Listener"))
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
                uri: https://{host}/orders
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
        Uri: https://{host}/orders
"""
    listed = "\n".join(f"        - CertificateArn: {certificate}" for certificate in certificates)
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
      Protocol: TLS
      Port: 443
      Certificates:
{listed}
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref Targets}}]
"""
