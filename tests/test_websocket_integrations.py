"""WebSocket APIs: a private integration of an ``AWS::ApiGatewayV2::Api`` / ``aws_apigatewayv2_api`` with
``ProtocolType: WEBSOCKET`` goes through a VPC link v1 to an NLB with a URL ``IntegrationUri``, as a REST
integration does (redteam R5-5: it was judged as an HTTP API integration, two false E9509 on a healthy setup).
Each test says what a user sees: rule ids, levels, lines, fixes in the user's own field names, exit codes."""

from __future__ import annotations

import textwrap

import pytest

from cloudformation_snippets import NLB_TLS
from conftest import edit, line_of
from terraform_snippets import acm_certificate, nlb, tls_listener, vpc_link

CFN_WEBSOCKET = """
  Chat:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Chat
      IntegrationType: HTTP_PROXY
      IntegrationMethod: POST
      IntegrationUri: https://api.example.com/messages
      ConnectionType: VPC_LINK
      ConnectionId: !Ref Link
  SendRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Chat, RouteKey: sendmessage, Target: !Sub "integrations/${Send}"}
""" + NLB_TLS

TF_WEBSOCKET = '''
resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "send" {
  api_id             = aws_apigatewayv2_api.chat.id
  integration_type   = "HTTP_PROXY"
  integration_method = "POST"
  integration_uri    = "https://api.example.com/messages"
  connection_type    = "VPC_LINK"
  connection_id      = aws_api_gateway_vpc_link.link.id
}
''' + vpc_link() + nlb() + tls_listener() + acm_certificate()


@pytest.fixture
def cfn(tlspath, write):
    """Lint a template made of the given resources: (template path, run)."""
    def run(resources: str):
        path = write("template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + resources)
        result = tlspath(path, "--format", "json")
        assert result.report["errors"] == []
        return path, result
    return run


@pytest.fixture
def terraform(tlspath, write):
    """Lint a root module made of the given HCL: (main.tf path, run)."""
    def run(text: str):
        path = write("terraform/main.tf", text)
        result = tlspath(path.parent, "--format", "json")
        assert result.report["errors"] == []
        return path, result
    return run


def found(run) -> list[tuple[str, str, int]]:
    return sorted((f["rule"], f["level"], f["line"]) for f in run.findings)


def test_a_healthy_websocket_private_integration_is_clean(cfn, terraform):
    for lint, text in ((cfn, CFN_WEBSOCKET), (terraform, TF_WEBSOCKET)):
        _, run = lint(text)
        assert run.findings == []
        assert run.code == 0
        assert run.report["summary"]["paths"] == 1


def test_a_websocket_api_in_another_template_is_found_through_its_export(tlspath, write):
    api = write("stacks/api.yaml", """
        Resources:
          Chat:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
        Outputs:
          ChatId: {Value: !Ref Chat, Export: {Name: chat-api-id}}
        """)
    write("stacks/routes.yaml", "Resources:\n" + edit(CFN_WEBSOCKET, {
        "ApiId: !Ref Chat\n      IntegrationType": "ApiId: !ImportValue chat-api-id\n      IntegrationType",
        "  Chat:\n    Type: AWS::ApiGatewayV2::Api\n": "  Unrelated:\n    Type: AWS::SNS::Topic\n",
        "Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}":
            "Properties: {}",
        "ApiId: !Ref Chat, RouteKey": "ApiId: !ImportValue chat-api-id, RouteKey"}))
    run = tlspath(api.parent, "--format", "json")
    assert run.report["errors"] == [] and run.findings == [] and run.code == 0
    assert run.report["summary"]["paths"] == 1


def test_an_http_api_with_the_same_wiring_is_still_refused(cfn, terraform):
    path, run = cfn(edit(CFN_WEBSOCKET, {"ProtocolType: WEBSOCKET": "ProtocolType: HTTP"}))
    assert found(run) == [("E9509", "error", line_of(path, "IntegrationUri:")),
                          ("E9509", "error", line_of(path, "ConnectionId:"))]
    path, run = terraform(edit(TF_WEBSOCKET, {'"WEBSOCKET"': '"HTTP"'}))
    assert found(run) == [("E9509", "error", line_of(path, "integration_uri ")),
                          ("E9509", "error", line_of(path, "connection_id "))]
    assert run.code == 1


def test_an_integration_whose_api_is_not_scanned_is_an_unresolved_hop_not_an_error(cfn, terraform):
    """A URL IntegrationUri on a VPC link v1 is a WebSocket API's wiring and an HTTP API's mistake: with the API
    in no scanned file (an ApiId written out, from a parameter or a variable), neither is claimed -- one I9513 names the API."""
    path, run = cfn(edit(CFN_WEBSOCKET, {
        "  Chat:\n    Type: AWS::ApiGatewayV2::Api\n": "  Unrelated:\n    Type: AWS::SNS::Topic\n",
        "Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}":
            "Properties: {}",
        "ApiId: !Ref Chat\n      IntegrationType": "ApiId: chat-api-id\n      IntegrationType",
        "ApiId: !Ref Chat, RouteKey": "ApiId: chat-api-id, RouteKey"}))
    assert found(run) == [("I9513", "info", line_of(path, "IntegrationUri:"))]
    message = run.findings[0]["message"]
    assert "IntegrationUri 'https://api.example.com/messages' is a URL" in message and "ApiId" in message
    assert "ProtocolType" in run.findings[0]["fix"] and run.code == 0
    path, run = terraform(edit(TF_WEBSOCKET, {
        'resource "aws_apigatewayv2_api" "chat" {': 'resource "aws_sns_topic" "chat" {',
        '  protocol_type              = "WEBSOCKET"\n': "",
        '  route_selection_expression = "$request.body.action"\n': "",
        "api_id             = aws_apigatewayv2_api.chat.id": 'api_id             = "a1b2c3"'}))
    assert found(run) == [("I9513", "info", line_of(path, "integration_uri "))]
    assert "integration_uri" in run.findings[0]["message"] and "protocol_type" in run.findings[0]["fix"]


def test_an_integration_whose_api_is_not_scanned_on_a_vpc_link_v2_is_wrong_either_way(cfn):
    """A URL on a VPC link v2 is an HTTP API's mistake and a WebSocket API's too (no v2 links): E9509 stands."""
    path, run = cfn(edit(CFN_WEBSOCKET, {
        "  Chat:\n    Type: AWS::ApiGatewayV2::Api\n": "  Unrelated:\n    Type: AWS::SNS::Topic\n",
        "Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}":
            "Properties: {}",
        "ApiId: !Ref Chat\n      IntegrationType": "ApiId: chat-api-id\n      IntegrationType",
        "ApiId: !Ref Chat, RouteKey": "ApiId: chat-api-id, RouteKey",
        "\n  Link:\n    Type: AWS::ApiGateway::VpcLink\n    Properties: {Name: link, TargetArns: [!Ref Nlb]}\n":
            V2_LINK_CFN}))
    assert ("E9509", "error", line_of(path, "IntegrationUri:")) in found(run)


V2_LINK_CFN = """
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {Name: link, SubnetIds: [subnet-1]}
"""

V2_LINK_TF = '''
resource "aws_apigatewayv2_vpc_link" "link" {
  name               = "link"
  subnet_ids         = ["subnet-1"]
  security_group_ids = ["sg-1"]
}
'''


def test_a_websocket_integration_on_a_vpc_link_v2_is_e9509_in_the_users_words(cfn, terraform):
    text = edit(CFN_WEBSOCKET, {"""
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {Name: link, TargetArns: [!Ref Nlb]}
""": V2_LINK_CFN})
    path, run = cfn(text)
    assert found(run) == [("E9509", "error", line_of(path, "ConnectionId:"))]
    (finding,) = run.findings
    assert "WebSocket API integration on VPC link v2 'Link'" in finding["message"]
    assert finding["fix"].startswith("Point ConnectionId at a VPC link v1 that targets the NLB")
    assert run.code == 1

    text = edit(TF_WEBSOCKET, {"aws_api_gateway_vpc_link.link.id": "aws_apigatewayv2_vpc_link.link.id"})
    path, run = terraform(text + V2_LINK_TF)
    assert [f["rule"] for f in run.findings if f["rule"] == "E9509"] == ["E9509"]
    (finding,) = [f for f in run.findings if f["rule"] == "E9509"]
    assert finding["line"] == line_of(path, "connection_id ")
    assert finding["fix"].startswith("Point connection_id at a VPC link v1")


def test_the_uri_host_is_what_api_gateway_verifies(cfn, terraform):
    path, run = cfn(edit(CFN_WEBSOCKET, {"https://api.example.com/": "https://chat.example.com/"}))
    assert found(run) == [("E9503", "error", line_of(path, "IntegrationUri:"))]
    assert "IntegrationUri" in run.findings[0]["fix"]
    path, run = terraform(edit(TF_WEBSOCKET, {"https://api.example.com/": "https://chat.example.com/"}))
    assert found(run) == [("E9503", "error", line_of(path, "integration_uri "))]
    assert "integration_uri" in run.findings[0]["fix"]
    assert run.code == 1


def test_the_uri_port_selects_the_listener(cfn):
    path, run = cfn(edit(CFN_WEBSOCKET, {"https://api.example.com/": "https://api.example.com:8443/"}))
    assert found(run) == [("E9507", "error", line_of(path, "IntegrationUri:"))]


def test_the_uri_scheme_decides_tls(cfn):
    path, run = cfn(edit(CFN_WEBSOCKET, {"https://api.example.com/": "http://api.example.com:443/"}))
    assert found(run) == [("E9506", "error", line_of(path, "IntegrationUri:"))]
    assert "has an http:// URI" in run.findings[0]["message"]


def test_tls_passed_through_to_a_self_signed_backend_cannot_be_skipped(cfn):
    pass_through = edit(CFN_WEBSOCKET, {
        "      Protocol: TLS\n      Port: 443\n      Certificates: [{CertificateArn: !Ref Certificate}]\n":
            "      Protocol: TCP\n      Port: 443\n",
        "Properties: {Protocol: TCP, Port: 8443, TargetType: ip}": "Properties: {Protocol: TCP, Port: 8443, "
        "TargetType: instance, Targets: [{Id: !Ref Backend}]}"})
    path, run = cfn(pass_through + textwrap.dedent("""
      Backend:
        Type: AWS::EC2::Instance
        Properties:
          ImageId: ami-1
          UserData:
            Fn::Base64: |
              #!/bin/bash
              openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=api.example.com -keyout k -out c
    """).replace("\n", "\n  "))
    errors = [f for f in run.findings if f["rule"] == "E9501"]
    assert [f["line"] for f in errors] == [line_of(path, "openssl req -x509")]
    assert "(WebSocket APIs cannot skip verification)" in errors[0]["message"]
    assert "insecureSkipVerification" not in errors[0]["fix"]
    assert run.code == 1
