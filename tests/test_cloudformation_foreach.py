"""``Fn::ForEach`` (``Transform: AWS::LanguageExtensions``) is expanded as CloudFormation expands it -- over a list
written out or a parameter's -- so the resources it makes are on paths; a collection only known at deploy time
is an I9513 at the loop, never a silent gap; hostile collections end at the evaluation budget."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from conftest import edit, line_of
from linter.rule import Settings
from linter.scan import Options, scan

HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::LanguageExtensions\n'

PATH = """
  Fn::ForEach::Methods:
    - Verb
    - [GET, POST]
    - Payments${Verb}:
        Type: AWS::ApiGateway::Method
        Properties:
          HttpMethod: !Ref Verb
          Integration:
            Type: HTTP_PROXY
            ConnectionType: VPC_LINK
            ConnectionId: !Ref Link
            Uri: !Sub "https://payments.example.com/${Verb}"
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {Name: l, TargetArns: [!Ref Nlb]}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, Scheme: internal}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: TCP
      Port: 443
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 443, Targets: [{Id: !Ref Backend}]}
  Backend:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData: !Base64 |
        #!/bin/bash
        openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=payments -keyout /k -out /c
"""


def on_paths(path, role: str) -> set[str]:
    """The resources of ``role`` on the paths of a scan of ``path``."""
    result = scan([str(path)], Options(Settings(at=dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))))
    return {hop.step.resource for route in result.paths for hop in route.hops if hop.step.role == role}


@pytest.fixture
def lint(tlspath, write):
    def run(resources: str, *args: str, parameters: str = ""):
        path = write("template.yaml", HEADER + textwrap.dedent(parameters) + "Resources:\n" + resources)
        return path, tlspath(path, "--format", "json", *args)
    return run


def test_methods_a_loop_makes_are_on_the_path(lint):
    path, run = lint(PATH)
    finding, = run.findings  # one finding for the shared listener, on the path of both methods
    assert (finding["rule"], finding["level"], run.code) == ("E9501", "error", 1)
    assert finding["line"] == line_of(path, "openssl req -x509")
    assert run.report["summary"]["paths"] == 2
    assert on_paths(path, "integration") == {"PaymentsGET", "PaymentsPOST"}


def test_listeners_a_loop_makes_are_the_load_balancers(lint):
    listeners = edit(PATH, {"""  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: TCP
      Port: 443
""": """  Fn::ForEach::Listeners:
    - Port
    - ["443", "8443"]
    - Listener${Port}:
        Type: AWS::ElasticLoadBalancingV2::Listener
        Properties:
          LoadBalancerArn: !Ref Nlb
          Protocol: TCP
          Port: !Ref Port
"""}).replace("      DefaultActions: [{Type: forward", "          DefaultActions: [{Type: forward")
    path, run = lint(listeners)
    assert run.ids() == ["E9501"]  # not I9513 "no listener of load balancer 'Nlb' is among the scanned resources"
    assert on_paths(path, "listener") == {"Listener443"}


@pytest.mark.parametrize("given", [(), ("--parameter", "Verbs=GET,POST")], ids=["default", "given"])
def test_a_collection_a_parameter_gives(lint, given):
    default = "" if given else ", Default: 'GET,POST'"
    parameters = f"Parameters:\n  Verbs: {{Type: CommaDelimitedList{default}}}\n"
    _, run = lint(PATH.replace("[GET, POST]", "!Ref Verbs"), *given, parameters=parameters)
    assert run.ids() == ["E9501"] and run.report["summary"]["paths"] == 2


def test_a_collection_only_known_at_deploy_time_is_an_i9513_at_the_loop(lint):
    path, run = lint(PATH.replace("[GET, POST]", "!Ref Verbs"), parameters="Parameters:\n  Verbs: {Type: CommaDelimitedList}\n")
    finding, = run.findings  # no path of the methods: no error is claimed, and the gap is not silent
    assert (finding["rule"], finding["level"], run.code) == ("I9513", "info", 0)
    assert finding["line"] == line_of(path, "Fn::ForEach::Methods:")
    assert "AWS::ApiGateway::Method" in finding["message"] and "parameter 'Verbs' has no Default" in finding["message"]
    assert "--parameter Verbs=" in finding["fix"]


def test_a_loop_of_resources_no_path_runs_through_is_not_reported(lint):
    _, run = lint("""
  Fn::ForEach::Buckets:
    - Name
    - !Ref Names
    - Bucket${Name}:
        Type: AWS::S3::Bucket
""", parameters="Parameters:\n  Names: {Type: CommaDelimitedList}\n")
    assert run.findings == [] and run.code == 0


def test_nested_loops_ampersand_keys_and_sub_variables(lint):
    nested = """
  Fn::ForEach::Hosts:
    - Host
    - [pay.example.com, refunds.example.com]
    - Fn::ForEach::Verbs:
        - Verb
        - [GET, POST]
        - Api&{Host}${Verb}:
            Type: AWS::ApiGateway::Method
            Properties:
              HttpMethod: !Ref Verb
              Integration:
                Type: HTTP_PROXY
                ConnectionType: VPC_LINK
                ConnectionId: !Ref Link
                Uri: !Sub ["https://${Host}/${Path}", {Path: !Ref Verb}]
"""
    path, run = lint(nested + "  Link:\n" + PATH.split("  Link:\n")[1])
    assert run.ids() == ["E9501"] and run.report["summary"]["paths"] == 4
    assert on_paths(path, "integration") == {"ApipayexamplecomGET", "ApipayexamplecomPOST", "ApirefundsexamplecomGET",
                                             "ApirefundsexamplecomPOST"}


def test_a_loop_that_makes_one_name_twice_is_not_guessed(lint):
    path, run = lint(PATH.replace("Payments${Verb}:", "Payments:"))
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("I9513", line_of(path, "Fn::ForEach::Methods:"))
    assert "'Payments' more than once" in finding["message"]


def test_an_export_a_loop_makes_is_imported(lint, tlspath, write):
    write("network.yaml", HEADER + """Resources:
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {Name: l, TargetArns: [arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/n/1]}
Outputs:
  Fn::ForEach::Exports:
    - Env
    - [dev, prod]
    - LinkFor${Env}:
        Value: !Ref Link
        Export: {Name: !Sub "link-${Env}"}
""")
    path = write("api.yaml", HEADER + """Resources:
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !ImportValue link-prod, Uri: "https://a.example.com/"}
""")
    run = tlspath(path.parent, "--format", "json")
    assert "no scanned template exports" not in str(run.findings)
    assert on_paths(path.parent, "vpc_link") == {"Link"}


HUGE = ",".join(f"v{i}" for i in range(90_000))


@pytest.mark.parametrize("collection", [
    f'!Split [",", "{HUGE}"]',  # a huge collection
    "[a, b, c, d, e, f, g, h, i, j]",  # loops over loops (below): 10^6 copies
], ids=["huge-collection", "loops-over-loops"])
def test_hostile_loops_end_at_the_evaluation_budget(lint, collection):
    deep = f"""
  Fn::ForEach::A:
    - A
    - {collection}
    - Fn::ForEach::B:
        - B
        - [a, b, c, d, e, f, g, h, i, j]
        - Fn::ForEach::C:
            - C
            - [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z]
            - Fn::ForEach::D:
                - D
                - [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z]
                - Method${{A}}${{B}}${{C}}${{D}}:
                    Type: AWS::ApiGateway::Method
                    Properties:
                      HttpMethod: GET
                      Integration: {{Type: HTTP_PROXY, Uri: "https://a.example.com/"}}
"""
    path, run = lint(deep)
    finding, = run.findings
    assert (finding["rule"], finding["line"], run.code) == ("I9513", line_of(path, "Fn::ForEach::A:"), 0)
    assert "evaluation steps" in finding["message"]
