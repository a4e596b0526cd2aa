"""Stage variables the scanned stages set: an integration whose URI or connection id reads
``${stageVariables.NAME}`` is one path per stage of its API (a finding says which: "when on stage green"); a
variable no scanned stage sets, or an API whose stages the files do not declare, is an I9513 that says so."""

from __future__ import annotations

import textwrap

from cloudformation_snippets import NLB_TLS
from conftest import edit, line_of
from terraform_snippets import acm_certificate, nlb, rest_integration, tls_listener, vpc_link

PORT_URI = '"https://api.example.com:$${stageVariables.port}/"'


def tf_stage(name: str, variables: str = "") -> str:
    return f'''
resource "aws_api_gateway_stage" "{name}" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d-1"
  stage_name    = "{name}"
  {variables}
}}
'''


def tf_run(tlspath, write, tmp_path, *stages: str, uri: str = PORT_URI, extra: str = ""):
    main = write("main.tf", rest_integration(uri=uri) + vpc_link() + nlb() + tls_listener() + acm_certificate()
                 + "".join(stages) + extra)
    return main, tlspath(tmp_path, "--format", "json")


def test_a_stage_whose_port_nothing_listens_on_is_e9507_on_that_stage_only(tlspath, write, tmp_path):
    main, run = tf_run(tlspath, write, tmp_path, tf_stage("blue", 'variables = { port = "443" }'),
                       tf_stage("green", 'variables = { port = "8443" }'))
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("E9507", line_of(main, "uri "))
    assert finding["message"].endswith("connects to port 8443 of 'aws_lb.nlb', but nothing listens there "
                                       "(listeners: 443/TLS) (when on stage green)")
    assert run.report["summary"]["paths"] == 2 and run.code == 1


def test_a_problem_on_every_stage_is_said_once_without_a_stage(tlspath, write, tmp_path):
    _, run = tf_run(tlspath, write, tmp_path, tf_stage("blue", 'variables = { port = "8443" }'),
                    tf_stage("green", 'variables = { port = "8443" }'))
    finding, = run.findings
    assert finding["rule"] == "E9507" and finding["message"].endswith("(listeners: 443/TLS)"), finding["message"]


def test_every_stage_setting_a_listened_port_is_clean(tlspath, write, tmp_path):
    _, run = tf_run(tlspath, write, tmp_path, tf_stage("blue", 'variables = { port = "443" }'),
                    tf_stage("green", 'variables = { port = "443", other = "x" }'))
    assert run.findings == [] and run.report["summary"]["paths"] == 2 and run.code == 0


def test_a_stage_that_does_not_set_the_variable_is_an_unresolved_hop_on_that_stage(tlspath, write, tmp_path):
    main, run = tf_run(tlspath, write, tmp_path, tf_stage("blue", 'variables = { port = "443" }'), tf_stage("green"))
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("I9513", line_of(main, "uri "))
    assert finding["message"].endswith("cannot resolve the listener: stage 'green' does not set stage variable "
                                       "'port' (when on stage green)")
    assert finding["fix"].startswith("set 'port' in the variables of aws_api_gateway_stage.green")
    assert run.code == 0


def test_a_variable_no_scanned_stage_sets_says_so(tlspath, write, tmp_path):
    _, run = tf_run(tlspath, write, tmp_path, tf_stage("blue", 'variables = { other = "443" }'), tf_stage("green"))
    finding, = run.findings
    assert finding["rule"] == "I9513" and finding["message"].endswith(
        "no scanned stage of API 'aws_api_gateway_rest_api.api' sets stage variable 'port'")
    assert finding["fix"].startswith("set 'port' in the variables of its stages (aws_api_gateway_stage.blue, "
                                     "aws_api_gateway_stage.green)")
    assert run.report["summary"]["paths"] == 1 and run.code == 0


def test_stages_outside_the_scanned_files_are_said_to_be(tlspath, write, tmp_path):
    _, run = tf_run(tlspath, write, tmp_path)
    finding, = run.findings
    assert finding["rule"] == "I9513" and finding["message"].endswith(
        "stage variable 'port' is set by the stages of API 'aws_api_gateway_rest_api.api', which are created "
        "outside the scanned files")
    assert "deploy time" not in finding["fix"] and finding["fix"].startswith("scan the files that create its stages")


def test_a_value_the_stage_sets_from_an_unknown_stays_unknown(tlspath, write, tmp_path):
    _, run = tf_run(tlspath, write, tmp_path, tf_stage("blue", "variables = { port = var.port }"),
                    extra='variable "port" {}\n')
    finding, = run.findings
    assert finding["rule"] == "I9513" and finding["message"].endswith("variable 'port' has no value")
    assert not any(f["rule"].startswith("E") for f in run.findings)


def test_the_host_and_the_connection_id_come_from_the_stage(tlspath, write, tmp_path):
    """Host, port and VPC link all set by the stage: the host is checked against the certificate (E9503)."""
    uri = '"https://$${stageVariables.host}:$${stageVariables.port}/v1"'
    integration = edit(rest_integration(uri=uri), {"aws_api_gateway_vpc_link.link.id": '"$${stageVariables.link}"'})
    variables = 'variables = { host = "other.example.org", port = "443", link = aws_api_gateway_vpc_link.link.id }'
    write("main.tf", integration + vpc_link() + nlb() + tls_listener() + acm_certificate() + tf_stage("prod", variables))
    run = tlspath(tmp_path, "--format", "json")
    assert run.ids() == ["E9503"] and "other.example.org" in run.findings[0]["message"]
    assert [step["role"] for step in run.findings[0]["trace"]][:4] == ["integration", "vpc_link", "load_balancer",
                                                                      "listener"]


# ------------------------------------------------------------------------------------------ CloudFormation


def cfn(tlspath, write, resources: str, header: str = ""):
    text = 'AWSTemplateFormatVersion: "2010-09-09"\n' + textwrap.dedent(header) + "Resources:\n" + resources
    path = write("template.yaml", text)
    return path, tlspath(path, "--format", "json")


METHOD = """
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: api}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      ResourceId: !GetAtt Api.RootResourceId
      RestApiId: !Ref Api
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: "${stageVariables.vpcLinkId}"
        Uri: "https://api.example.com:${stageVariables.port}/"
"""


def cfn_stage(name: str, variables: str) -> str:
    return f"""
  {name.capitalize()}:
    Type: AWS::ApiGateway::Stage
    Properties: {{RestApiId: !Ref Api, DeploymentId: d-1, StageName: {name}, Variables: {variables}}}
"""


def test_cloudformation_stages_fork_the_path(tlspath, write):
    path, run = cfn(tlspath, write, METHOD + NLB_TLS + cfn_stage("prod", "{vpcLinkId: !Ref Link, port: '443'}")
                    + cfn_stage("canary", "{vpcLinkId: !Ref Link, port: '8443'}"))
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("E9507", line_of(path, "Uri:"))
    assert finding["message"].endswith("(when on stage canary)")
    assert [step["resource"] for step in finding["trace"]] == ["Get", "Link", "Nlb"]
    assert run.report["summary"]["paths"] == 2 and run.code == 1


def test_cloudformation_stage_without_the_variable(tlspath, write):
    path, run = cfn(tlspath, write, METHOD + NLB_TLS + cfn_stage("prod", "{vpcLinkId: !Ref Link, port: '443'}")
                    + cfn_stage("canary", "{port: '443'}"))
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("I9513", line_of(path, "ConnectionId:"))
    assert finding["message"].endswith("stage 'canary' does not set stage variable 'vpcLinkId' (when on stage canary)")
    assert finding["fix"].startswith("set 'vpcLinkId' in the Variables of Canary")
    assert run.code == 0


def test_a_sam_api_sets_the_variables_of_its_own_stage(tlspath, write):
    body = """
        swagger: "2.0"
        info: {title: api, version: "1"}
        paths:
          /orders:
            get:
              x-amazon-apigateway-integration:
                type: http_proxy
                connectionType: VPC_LINK
                connectionId: "${stageVariables.vpcLinkId}"
                uri: https://api.example.com:8443/orders
    """
    api = f"""
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      Variables: {{vpcLinkId: !Ref Link}}
      DefinitionBody:
{textwrap.indent(textwrap.dedent(body).strip(), ' ' * 8)}
"""
    _, run = cfn(tlspath, write, api + NLB_TLS, header="Transform: AWS::Serverless-2016-10-31\n")
    assert run.ids() == ["E9507"] and run.code == 1  # through the link the stage names, to the missing listener


def test_an_http_api_stage_sets_the_vpc_link(tlspath, write):
    http_api = """
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: api, ProtocolType: HTTP}
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {Name: l, SubnetIds: [subnet-1]}
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: HTTP_PROXY
      ConnectionType: VPC_LINK
      ConnectionId: "${stageVariables.link}"
      IntegrationUri: !Ref Listener
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: TCP
      Port: 443
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 443, TargetType: ip}
"""
    stage = """
  Default:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref Api, StageName: $default, StageVariables: {link: !Ref Link}}
"""
    _, unstaged = cfn(tlspath, write, http_api)
    assert "I9513" in unstaged.ids() and any("vpc" in f["message"].lower() and "created outside the scanned files"
                                             in f["message"] for f in unstaged.findings), unstaged.findings
    _, staged = cfn(tlspath, write, http_api + stage)
    assert not any("stage variable" in f["message"] for f in staged.findings), staged.findings


def test_more_stages_than_followed_are_one_unresolved_hop(tlspath, write, tmp_path):
    """Stages fork like conditions, bounded: past MAX_STAGES the variables are one I9513, not a path each."""
    stages = [tf_stage(f"s{i}", f'variables = {{ port = "{8000 + i}" }}') for i in range(17)]
    _, run = tf_run(tlspath, write, tmp_path, *stages)
    finding, = run.findings
    assert finding["rule"] == "I9513" and finding["message"].endswith(
        "API 'aws_api_gateway_rest_api.api' has more than 16 stages, more than tlspath follows one path each")
    assert run.report["summary"]["paths"] == 1 and run.code == 0
