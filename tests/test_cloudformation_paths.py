"""How the CloudFormation front end and the graph follow paths: OpenAPI bodies, HTTP APIs, SNI lists,
weighted forwards, alb-type target groups, targets and their boot scripts."""

from __future__ import annotations

import textwrap

import pytest

from cloudformation_snippets import NLB_TLS, rest_method
from conftest import column_of, edit, line_of


@pytest.fixture
def lint(tlspath, write):
    def run(resources: str, name: str = "template.yaml", header: str = ""):
        text = 'AWSTemplateFormatVersion: "2010-09-09"\n' + textwrap.dedent(header) + "Resources:\n" + resources
        path = write(name, text)
        return path, tlspath(path, "--format", "json")
    return run


def openapi_api(body: str, kind: str = "AWS::ApiGateway::RestApi", key: str = "Body") -> str:
    return f"""
  Api:
    Type: {kind}
    Properties:
      Name: api
      {key}:
{textwrap.indent(textwrap.dedent(body).strip(), ' ' * 8)}
"""


SWAGGER_TLS_SKIP = """
swagger: "2.0"
info: {title: api, version: "1"}
paths:
  /orders/{id}:
    get:
      x-amazon-apigateway-integration:
        type: http_proxy
        connectionType: VPC_LINK
        connectionId: !Ref Link
        uri: https://api.example.com/orders/{id}
        tlsConfig:
          insecureSkipVerification: true
"""


def test_swagger_body_integration_with_skip_verification(lint):
    private_ca = "DomainName: api.example.com, CertificateAuthorityArn: arn:aws:acm-pca:x"
    path, run = lint(openapi_api(SWAGGER_TLS_SKIP) + edit(NLB_TLS, {"DomainName: api.example.com": private_ca}))
    finding, = run.findings  # the private CA is accepted with skip: W9510 instead of E9501
    assert finding["rule"] == "W9510" and finding["line"] == line_of(path, "insecureSkipVerification")
    assert finding["resource"] == "Api GET /orders/{id}"
    assert finding["trace"][0] == {"role": "integration", "resource": "Api GET /orders/{id}", "file": str(path),
                                   "line": line_of(path, "x-amazon-apigateway-integration"),
                                   "column": column_of(path, "x-amazon-apigateway-integration"), "seen_at": None}


def test_openapi3_sam_definition_body_host_mismatch_still_fires_with_skip(lint):
    body = edit(SWAGGER_TLS_SKIP, {'swagger: "2.0"': 'openapi: "3.0.1"',
                                   "https://api.example.com": "https://other.example.com"})
    _, run = lint(openapi_api(body, "AWS::Serverless::Api", "DefinitionBody") + NLB_TLS,
                  header="Transform: AWS::Serverless-2016-10-31\n")
    assert run.ids() == ["E9503", "W9510"]


def test_stage_variable_connection_id_is_an_unresolved_hop(lint):
    body = edit(SWAGGER_TLS_SKIP, {"connectionId: !Ref Link": 'connectionId: "${stageVariables.vpcLinkId}"'})
    path, run = lint(openapi_api(body) + NLB_TLS)
    gap = next(f for f in run.findings if f["rule"] == "I9513")
    assert "stage variable" in gap["message"] and gap["line"] == line_of(path, "connectionId:")
    assert "W9510" in run.ids()  # known facts are still judged


def test_sam_definition_uri_is_read_inside_the_tree_only(tlspath, write, tmp_path):
    write("api/openapi.yaml", edit(SWAGGER_TLS_SKIP, {"!Ref Link": "not-a-link-id"}))
    template = write("api/template.yaml", 'Transform: AWS::Serverless-2016-10-31\nResources:\n'
                     "  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n"
                     "      DefinitionUri: ./openapi.yaml\n  Link:\n    Type: AWS::ApiGateway::VpcLink\n"
                     "    Properties: {Name: l, TargetArns: [arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/x/y]}\n")
    run = tlspath(template.parent, "--format", "json")
    assert "W9510" in run.ids()
    assert {f["file"] for f in run.findings} == {str(tmp_path / "api" / "openapi.yaml")}
    outside = write("other/template.yaml", edit(template.read_text(), {"./openapi.yaml": "../api/openapi.yaml"}))
    run = tlspath(outside.parent, "--format", "json")
    finding, = run.findings
    assert finding["rule"] == "I9513" and "outside the scanned tree" in finding["message"]


S3_DEFINITIONS = """
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      BodyS3Location: {Bucket: specs, Key: rest.yaml}
  Sam:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: s3://specs/sam.yaml
  SamHttp:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: {Bucket: !Sub "specs-${AWS::AccountId}", Key: http.yaml}
  Included:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://specs/included.yaml}}
  V2:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      BodyS3Location: {Bucket: specs, Key: v2.yaml}
"""


def test_an_api_whose_definition_is_in_s3_is_an_unresolved_hop_naming_the_location(lint):
    """Whatever else the template holds (no VPC link here: it may be in another stack, or a literal id in the
    definition), the integrations in S3 cannot be seen: one I9513 per API, at the property naming the file."""
    path, run = lint(S3_DEFINITIONS, header="Transform: AWS::Serverless-2016-10-31\n")
    found = {f["resource"]: f for f in run.findings}
    assert run.ids() == ["I9513"] * 5 and run.code == 0
    expected = {  # API -> (property, its line's needle, S3 location, where the local path would be named, inline key)
        "Rest": ("BodyS3Location", "Bucket: specs, Key: rest", "s3://specs/rest.yaml", "BodyS3Location", "Body"),
        "Sam": ("DefinitionUri", "DefinitionUri: s3", "s3://specs/sam.yaml", "DefinitionUri", "DefinitionBody"),
        "SamHttp": ("DefinitionUri", "DefinitionUri: {Bucket", "s3://specs-${AWS::AccountId}/http.yaml",
                    "DefinitionUri", "DefinitionBody"),
        "Included": ("DefinitionBody", "DefinitionBody:", "s3://specs/included.yaml", "the AWS::Include Location",
                     "DefinitionBody"),
        "V2": ("BodyS3Location", "Key: v2.yaml", "s3://specs/v2.yaml", "BodyS3Location", "Body")}
    for api, (field, needle, location, named_in, inline) in expected.items():
        finding = found[api]
        assert (finding["level"], finding["line"]) == ("info", line_of(path, needle))
        assert finding["message"] == (f"'{api}': the API definition in {field} is in S3 ({location}), not in the "
                                      "scanned files, so its private integrations cannot be checked")
        assert finding["fix"] == (f"keep the definition uploaded to {location} in the scanned tree and name its local "
                                  f"path in {named_in} (aws cloudformation package and sam deploy upload it), or "
                                  f"inline it as {inline}")


def test_a_local_body_s3_location_is_read_as_aws_cloudformation_package_uploads_it(tlspath, write, tmp_path):
    spec = write("api/openapi.yaml", edit(SWAGGER_TLS_SKIP, {"!Ref Link": "abc123"}))
    template = write("api/template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                     "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      BodyS3Location: openapi.yaml\n")
    run = tlspath(template.parent, "--format", "json")
    assert [(f["rule"], f["file"], f["line"]) for f in run.findings if f["rule"] == "W9510"] == [
        ("W9510", str(spec), line_of(spec, "insecureSkipVerification"))]


HTTP_API = """
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {{Name: l, SubnetIds: [subnet-1]}}
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api
      IntegrationType: HTTP_PROXY
      ConnectionType: VPC_LINK
      ConnectionId: !Ref Link
      IntegrationUri: {uri}
{tls}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {{Scheme: internal}}
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {{DomainName: "*.example.com"}}
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Protocol: HTTPS
      Port: 443
      Certificates: [{{CertificateArn: !Ref Certificate}}]
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref Targets}}]
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Protocol: HTTP
      Port: 80
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref Targets}}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {{Protocol: HTTP, Port: 8080, TargetType: ip}}
"""
TLS_CONFIG = "      TlsConfig:\n        ServerNameToVerify: api.example.com"
TLS13_ONLY = "      SslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06\n"


@pytest.mark.parametrize("uri,tls,expected", [
    ("!Ref Https", TLS_CONFIG, []),
    ("!Ref Http", "", ["I9511"]),
    ("!Ref Https", "", ["E9506"]),
    ("!Ref Http", TLS_CONFIG, ["E9506"]),
    ("!Ref Alb", TLS_CONFIG, ["E9509"]),
    ("http://backend.internal/", TLS_CONFIG, ["E9509"]),
    ("arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-abc", TLS_CONFIG, ["I9513"]),
    ("arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/x/y/z", TLS_CONFIG, ["I9513"]),
])
def test_http_api_paths(lint, uri, tls, expected):
    _, run = lint(HTTP_API.format(uri=uri, tls=tls))
    assert run.ids() == expected


@pytest.mark.parametrize("uri, named", [
    ("arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-abc", "srv-abc"),
    ("!GetAtt Orders.Arn", "Orders"),
])
def test_an_integration_to_a_cloud_map_service_says_where_it_goes(lint, uri, named):
    """Not a listener missing from the scan, and never passed in silence: the instances register at run time."""
    _, run = lint(HTTP_API.format(uri=uri, tls=TLS_CONFIG) + "  Orders:\n    Type: AWS::ServiceDiscovery::Service\n")
    finding, = run.findings
    assert finding["rule"] == "I9513"
    assert (f"the integration goes to the AWS Cloud Map service '{named}': API Gateway connects to the instances it "
            "registers at run time") in finding["message"]
    assert "the name API Gateway verifies (ServerNameToVerify)" in finding["fix"]
    assert "scan" not in finding["fix"]


def test_a_reference_to_a_resource_tlspath_does_not_follow_names_its_type(lint):
    _, run = lint(HTTP_API.format(uri="!Ref Queue", tls=TLS_CONFIG) + "  Queue:\n    Type: AWS::SQS::Queue\n")
    finding, = run.findings
    assert finding["rule"] == "I9513" and "'Queue' is of type AWS::SQS::Queue, not a listener" in finding["message"]


def test_a_server_name_partly_unknown_is_a_gap_not_a_mismatch(lint):
    """A name assembled from a parameter without default cannot be compared with the certificate's names."""
    tls = '      TlsConfig:\n        ServerNameToVerify: !Sub "api.${Domain}"'
    _, run = lint(HTTP_API.format(uri="!Ref Https", tls=tls), header="Parameters:\n  Domain: {Type: String}\n")
    finding, = run.findings
    assert finding["rule"] == "I9513" and "parameter 'Domain' has no Default" in finding["message"]


def test_http_api_listener_is_judged_behind_a_link_the_files_do_not_give(lint):
    """IntegrationUri names the listener: an unresolved VPC link is its own I9513 and holds back only what
    needs the link; the listener, its certificate and its targets are still judged."""
    tls = "      TlsConfig:\n        ServerNameToVerify: other.example.org"
    path, run = lint(edit(HTTP_API.format(uri="!Ref Https", tls=tls), {"ConnectionId: !Ref Link": "ConnectionId: !Ref LinkId"}),
                     header="Parameters:\n  LinkId: {Type: String}\n")
    assert run.ids() == ["E9503", "I9513"]
    gap = next(f for f in run.findings if f["rule"] == "I9513")
    assert "cannot resolve the VPC link: parameter 'LinkId' has no Default" in gap["message"]
    assert gap["line"] == line_of(path, "ConnectionId:")
    mismatch = next(f for f in run.findings if f["rule"] == "E9503")
    assert [s["role"] for s in mismatch["trace"]] == ["integration", "load_balancer", "listener", "target_group",
                                                      "certificate"]


@pytest.mark.parametrize("uri,expected", [
    ("!Ref Alb", ["E9509", "I9513"]),  # names a load balancer: wrong whatever the link is
    ("!Ref Http", ["I9511", "I9513"]),
    ("!ImportValue shared-listener-arn", ["I9513", "I9513"]),
    ("arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/x/y/z", ["I9513", "I9513"]),
])
def test_what_an_http_api_names_is_followed_without_its_link(lint, uri, expected):
    resources = edit(HTTP_API.format(uri=uri, tls=""), {"ConnectionId: !Ref Link": 'ConnectionId: "${stageVariables.link}"'})
    _, run = lint(resources)
    assert run.ids() == expected
    listener_gaps = [f["message"] for f in run.findings if "cannot resolve the listener" in f["message"]]
    assert len(listener_gaps) == (1 if uri.startswith(("!Import", "arn")) else 0), run.findings


def test_a_listener_that_exists_under_a_condition_is_missing_on_the_other_side(lint):
    """Where the condition does not hold, nothing listens on the URI's port: E9507 for that case only; a
    listener on another port whose protocol a condition chooses is listed, and forks nothing."""
    method = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}
  Plain:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Nlb, Protocol: !If [Debug, TCP, TLS], Port: 80}
"""
    resources = edit(NLB_TLS, {"  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n":
                               "  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Condition: Tls\n"})
    header = ("Parameters:\n  Mode: {Type: String}\n  Trace: {Type: String}\nConditions:\n"
              "  Tls: !Equals [!Ref Mode, tls]\n  Debug: !Equals [!Ref Trace, 'on']\n")
    _, run = lint(method + resources, header=header)
    finding, = run.findings
    assert finding["rule"] == "E9507" and finding["message"].endswith(
        "connects to port 443 of 'Nlb', but nothing listens there (listeners: 80/?) (when Tls is false)")
    assert run.report["summary"]["paths"] == 2


def test_paths_past_the_cap_are_never_dropped_silently(lint):
    """Seven SNI certificates, each under its own undecided condition, fork 128 ways: 64 are checked and the
    finding says the rest are not."""
    extra = "".join(f"""
  Sni{i}:
    Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
    Condition: C{i}
    Properties: {{ListenerArn: !Ref Listener, Certificates: [{{CertificateArn: !Ref Certificate}}]}}
""" for i in range(7))
    method = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}
"""
    header = ("Parameters:\n" + "".join(f"  P{i}: {{Type: String}}\n" for i in range(7)) + "Conditions:\n"
              + "".join(f"  C{i}: !Equals [!Ref P{i}, 'yes']\n" for i in range(7)))
    _, run = lint(method + NLB_TLS + extra, header=header)
    finding, = run.findings
    assert finding["rule"] == "I9513" and "fork more than 64 paths; only the first 64 are checked" in finding["message"]
    assert run.report["summary"]["paths"] == 64


def test_rest_integration_target_is_followed_without_its_link(lint):
    """IntegrationTarget is only used with a v2 link: an unresolved link hides nothing behind it."""
    method = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: "${stageVariables.vpcLinkV2Id}"
        IntegrationTarget: !Ref Nlb
        Uri: "https://api.example.com:8443/"
"""
    _, run = lint(method + NLB_TLS)
    assert run.ids() == ["E9507", "I9513"]


def test_an_unknown_connection_type_holds_back_every_listener_verdict(lint):
    """Whether the integration is private at all is unknown: nothing behind the link is claimed."""
    tls = "      TlsConfig:\n        ServerNameToVerify: other.example.org"
    _, run = lint(edit(HTTP_API.format(uri="!Ref Https", tls=tls), {"ConnectionType: VPC_LINK": "ConnectionType: !Ref Kind"}),
                  header="Parameters:\n  Kind: {Type: String}\n")
    finding, = run.findings
    assert finding["rule"] == "I9513" and finding["message"].endswith(
        "cannot resolve the integration: whether it goes through a VPC link is not known (parameter 'Kind' has no Default)")


def test_http_api_on_a_v1_link_is_miswired(lint):
    resources = edit(HTTP_API.format(uri="!Ref Https", tls=TLS_CONFIG), {
        "    Type: AWS::ApiGatewayV2::VpcLink\n    Properties: {Name: l, SubnetIds: [subnet-1]}":
        "    Type: AWS::ApiGateway::VpcLink\n    Properties: {Name: l, TargetArns: [!Ref Alb]}"})
    _, run = lint(resources)
    assert run.ids() == ["E9509"] and "VPC links v2" in run.findings[0]["message"]


def test_sni_list_certificate_covers_the_host(lint):
    resources = edit(NLB_TLS, {"DomainName: api.example.com": "DomainName: www.example.com"}) + """
  Extra:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: api.example.com}
  ExtraCertificates:
    Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
    Properties:
      ListenerArn: !Ref Listener
      Certificates: [{CertificateArn: !Ref Extra}]
"""
    method = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}
"""
    _, run = lint(method + resources)
    assert run.ids() == ["I9523"]  # covered, no E9503; but only on the SNI list (REST SNI is unverified)
    _, run = lint(method + edit(resources, {"Properties: {DomainName: api.example.com}":
                                            "Properties: {DomainName: x.example.com}"}))
    finding, = run.findings
    assert finding["rule"] == "E9503" and "www.example.com, x.example.com" in finding["message"]


def test_wildcard_covers_exactly_one_label(lint):
    method = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {{Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://{host}/"}}
"""
    resources = edit(NLB_TLS, {"DomainName: api.example.com": 'DomainName: "*.example.com"'})
    assert lint(method.format(host="api.example.com") + resources)[1].findings == []
    assert lint(method.format(host="a.b.example.com") + resources)[1].ids() == ["E9503"]
    assert lint(method.format(host="example.com") + resources)[1].ids() == ["E9503"]


ALB_BEHIND_NLB = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {{Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "{uri}"}}
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {{Name: l, TargetArns: [!Ref Nlb]}}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {{Type: network}}
  NlbListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: TCP
      Port: 443
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref AlbTargets}}]
  AlbTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Protocol: TCP
      Port: 443
      TargetType: alb
      Targets: [{{Id: !Ref Alb}}]
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {{Type: application, Scheme: internal}}
  AlbCertificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {{DomainName: api.example.com, CertificateAuthorityArn: {authority}}}
  AlbListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Protocol: {protocol}
      Port: 443
      SslPolicy: {policy}
      Certificates: [{{CertificateArn: !Ref AlbCertificate}}]
"""


@pytest.mark.parametrize("uri,protocol,authority,policy,expected", [
    ("https://api.example.com/", "HTTPS", "!Ref AWS::NoValue", "ELBSecurityPolicy-2016-08", []),
    ("https://api.example.com/", "HTTPS", "arn:aws:acm-pca:x", "ELBSecurityPolicy-2016-08", ["E9501"]),
    ("https://api.example.com/", "HTTPS", "!Ref AWS::NoValue", "ELBSecurityPolicy-TLS13-1-3-2021-06", ["E9508"]),
    ("http://api.example.com:443/", "HTTPS", "!Ref AWS::NoValue", "ELBSecurityPolicy-2016-08", ["E9506"]),
    ("https://api.example.com/", "HTTP", "!Ref AWS::NoValue", "!Ref AWS::NoValue", ["E9506"]),
])
def test_alb_target_group_continues_into_the_alb_listener(lint, uri, protocol, authority, policy, expected):
    _, run = lint(ALB_BEHIND_NLB.format(uri=uri, protocol=protocol, authority=authority, policy=policy))
    assert run.ids() == expected
    assert run.report["summary"]["paths"] == 1
    for finding in run.findings:
        roles = [(s["role"], s["resource"]) for s in finding["trace"]]
        assert ("load_balancer", "Alb") in roles and ("listener", "AlbListener") in roles


ALB_GROUP_PORT = "      Protocol: TCP\n      Port: 443\n      TargetType: alb"
ALB_OK = {"uri": "https://api.example.com/", "protocol": "HTTPS", "authority": "!Ref AWS::NoValue",
          "policy": "ELBSecurityPolicy-2016-08"}


def test_alb_target_group_on_a_port_the_alb_does_not_listen_on_is_e9507(lint):
    resources = edit(ALB_BEHIND_NLB.format(**ALB_OK), {ALB_GROUP_PORT: ALB_GROUP_PORT.replace("443", "8443")})
    path, run = lint(resources)
    finding, = run.findings
    assert (finding["rule"], finding["level"]) == ("E9507", "error")
    assert finding["line"] == line_of(path, "Port: 8443")
    assert finding["message"].startswith("listener 'NlbListener' forwards through alb-type target group 'AlbTargets' "
                                         "to port 8443 of 'Alb', but nothing listens there (listeners: 443/HTTPS)")
    assert "Set Port of 'AlbTargets' to the port of a listener of 'Alb' (443)" in finding["fix"]
    assert [s["resource"] for s in finding["trace"]][-2:] == ["AlbTargets", "Alb"]


@pytest.mark.parametrize("change,reason", [
    ({"  AlbListener:\n    Type: AWS::ElasticLoadBalancingV2::Listener":
      "  AlbListener:\n    Type: AWS::ElasticLoadBalancingV2::ListenerRule"},
     "no listener of load balancer 'Alb' is among the scanned resources"),
    ({ALB_GROUP_PORT: ALB_GROUP_PORT.replace("Port: 443", "Port: !Ref GroupPort")},
     "parameter 'GroupPort' has no Default"),
    ({"      Protocol: {protocol}\n      Port: 443": "      Protocol: {protocol}\n      Port: !Ref AlbPort"},
     "parameter 'AlbPort' has no Default"),
])
def test_an_alb_port_the_files_do_not_give_is_an_unresolved_hop(lint, change, reason):
    """No error on a value nobody knows: the ALB's listeners or a port the files leave open."""
    resources = edit(ALB_BEHIND_NLB, change).format(**ALB_OK)
    _, run = lint(resources, header="Parameters:\n  GroupPort: {Type: Number}\n  AlbPort: {Type: Number}\n")
    finding, = run.findings
    assert finding["rule"] == "I9513" and finding["message"].endswith(reason)


def test_weighted_forward_config_reaches_every_target_group(lint):
    _, run = lint("""
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {Name: l, TargetArns: [!Ref Nlb]}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: TCP
      Port: 443
      DefaultActions:
        - Type: forward
          ForwardConfig:
            TargetGroups:
              - {TargetGroupArn: !Ref Blue, Weight: 90}
              - {TargetGroupArn: !Ref Green, Weight: 10}
  Blue:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 8443}
  Green:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 80}
""")
    finding, = run.findings
    assert finding["rule"] == "W9506" and finding["resource"] == "Green"
    assert [s["resource"] for s in finding["trace"] if s["role"] == "target_group"] == ["Blue", "Green"]


TCP_TO_TARGET = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {{Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}}
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {{Name: l, TargetArns: [!Ref Nlb]}}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {{Type: network}}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: {protocol}
      Port: 443
      Certificates: [{{CertificateArn: !Ref Certificate}}]
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref Targets}}]
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {{DomainName: api.example.com}}
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {{Protocol: TCP, Port: 8443{targets}}}
{backend}
"""

INSTANCE = """
  Backend:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64: !Join
          - ""
          - - "#!/bin/bash\\n"
            - "keytool -genkeypair -alias app -keyalg RSA -keystore /app/keystore.jks\\n"
"""
LAUNCH_CONFIGURATION = """
  Backend:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchConfigurationName: !Ref Config
      TargetGroupARNs: [!Ref Targets]
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-1
      InstanceType: t3.micro
      UserData: !Base64 |
        #!/bin/bash
        make-ssl-cert generate-default-snakeoil --force-overwrite
"""
ECS = """
  Backend:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      LoadBalancers: [{ContainerName: app, ContainerPort: 8443, TargetGroupArn: !Ref Targets}]
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx:1.27
          Command: ["sh", "-c", "openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=app -keyout k -out c && nginx -g 'daemon off;'"]
"""


@pytest.mark.parametrize("backend,targets,needle", [
    (INSTANCE, ", Targets: [{Id: !Ref Backend}]", "keytool -genkeypair"),
    (LAUNCH_CONFIGURATION, "", "make-ssl-cert"),
    (ECS, "", "Command:"),
])
def test_self_signed_backends_behind_tcp_are_e9501_and_fine_behind_tls(lint, backend, targets, needle):
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=targets, backend=backend))
    finding, = run.findings
    assert finding["rule"] == "E9501" and finding["line"] == line_of(path, needle)
    assert finding["trace"][-1]["role"] == "target" and finding["trace"][-1]["resource"] == "Backend"
    _, run = lint(TCP_TO_TARGET.format(protocol="TLS", targets=targets, backend=backend))
    assert run.findings == []  # the NLB terminates TLS and does not validate the target's certificate


SIDECAR = """
        - Name: metrics
          Image: prom/node-exporter
          Command: ["sh", "-c", "openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=metrics -keyout k -out c && exec node_exporter"]
"""
PLAIN_APP = 'Command: ["sh", "-c", "nginx -g \'daemon off;\'"]'
SELF_SIGNED_APP = ('Command: ["sh", "-c", "openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=app -keyout k -out c '
                   '&& nginx -g \'daemon off;\'"]')


@pytest.mark.parametrize("change", [
    pytest.param({}, id="the sidecar is not the container the load balancer targets"),
    pytest.param({"ContainerName: app": "ContainerName: !Ref Container"}, id="which container is not known"),
])
def test_only_the_load_balanced_containers_commands_are_evidence(lint, change):
    backend = edit(ECS, {SELF_SIGNED_APP: PLAIN_APP, **change}) + SIDECAR
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets="", backend=backend),
                     header="Parameters:\n  Container: {Type: String}\n")
    assert [(f["rule"], f["level"], f["line"]) for f in run.findings if f["rule"] != "I9513"] == [
        ("W9502", "warning", line_of(path, "Protocol: TCP"))]
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets="", backend=ECS + SIDECAR))
    assert [(f["rule"], f["line"]) for f in run.findings] == [("E9501", line_of(path, "/CN=app"))]


CFN_INIT = """
  Backend:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash -xe
          /opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource Backend --region ${AWS::Region}
          openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=${Name}" -keyout /k -out /c
          /opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Backend --region ${AWS::Region}
"""
CDK_JOIN = """
  Backend:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64:
          Fn::Join:
            - ""
            - - "#!/bin/bash\\n/opt/aws/bin/cfn-init -v --stack "
              - Ref: AWS::StackName
              - " --region "
              - Ref: AWS::Region
              - "\\n"
              - "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=api -keyout /k -out /c\\n"
"""
FOLDED = """
  Backend:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64: >
          #!/bin/bash

          yum install -y nginx

          echo start
          && openssl req -x509 -newkey rsa:2048
          -nodes -subj /CN=api -keyout /k -out /c
"""


@pytest.mark.parametrize("backend", [
    CFN_INIT.replace("${Name}", "api"),  # pseudo parameters on the lines around the command
    CFN_INIT.replace("!Sub |", "!Sub\n          - |").replace("--resource Backend --region ${AWS::Region}\n          openssl",
                                                      "--resource Backend --region ${AWS::Region}\n            openssl")
    .replace("\n          /opt/aws/bin/cfn-signal", "\n            /opt/aws/bin/cfn-signal")
    .replace("\n          /opt/aws/bin/cfn-init", "\n            /opt/aws/bin/cfn-init")
    .replace("\n          #!/bin/bash -xe", "\n            #!/bin/bash -xe") + "          - Name: api\n",
    CDK_JOIN,
    FOLDED,
], ids=["sub", "sub-list-form", "cdk-join", "folded-with-blank-lines"])
def test_deploy_time_values_in_user_data_are_unknown_only_where_they_stand(lint, backend):
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]", backend=backend))
    finding, = run.findings  # not W9502 "the files cannot show": the command is written out
    assert (finding["rule"], finding["level"], run.code) == ("E9501", "error", 1)
    assert finding["line"] == line_of(path, "openssl req -x509")
    assert "openssl req -x509" in finding["message"]


def _boot_script(*lines: str) -> str:
    return ("\n  Backend:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n"
            "      UserData: !Base64\n        Fn::Sub: |\n" + "".join(f"          {line}\n" for line in lines))


@pytest.mark.parametrize("lines", [
    ["#!/bin/bash", "# Old way: openssl req -x509 -newkey rsa:2048 -nodes -days 365",
     "aws secretsmanager get-secret-value --secret-id orders/tls > /etc/nginx/tls/bundle.pem"],
    ["#!/bin/bash", 'echo "To test locally: openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c" > /etc/motd'],
    ["#!/bin/bash", "printf '%s\\n' 'keytool -genkeypair -alias app' >> /etc/motd"],
    ["#!/bin/bash", "cat > /etc/motd <<'EOF'", "openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c", "EOF"],
    ["#cloud-config", "runcmd:", "  # - openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c", "  - systemctl start app"],
    ["<powershell>", "<#", "New-SelfSignedCertificate -DnsName api.example.com", "#>", "Import-PfxCertificate C:\\c.pfx",
     "</powershell>"],
    ["#!/bin/bash", "aws s3 cp s3://orders-tls/fullchain.pem /etc/nginx/tls/server.crt",
     'openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=health" -keyout /etc/hc/k.pem -out /etc/hc/c.pem'],
    ["#!/bin/bash", 'openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout /etc/hc/k.pem -out /etc/hc/c.pem'],
], ids=["comment", "echo", "printf", "heredoc-to-motd", "cloud-config-comment", "powershell-block-comment",
        "beside-a-real-certificate", "for-localhost"])
def test_certificate_commands_that_do_not_make_the_served_certificate_are_no_evidence(lint, lines):
    _, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]",
                                       backend=_boot_script(*lines)))
    finding, = run.findings  # the files cannot show the certificate served: a warning, never E9501
    assert (finding["rule"], finding["level"], run.code) == ("W9502", "warning", 1)
    assert "the files cannot show" in finding["message"]


@pytest.mark.parametrize("lines", [
    ["#!/bin/bash", "echo start && openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c  # self-signed"],
    ["#!/bin/bash", "cat > /opt/tls.sh <<'EOF'", "openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c", "EOF",
     "bash /opt/tls.sh"],
    ["#!/bin/bash", "sudo bash <<'EOF'", "openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c", "EOF"],
    ["#cloud-config", "runcmd:", '  - [sh, -c, "openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c"]'],
], ids=["after-echo", "heredoc-script-run", "heredoc-to-a-shell", "cloud-config-runcmd"])
def test_certificate_commands_that_run_stay_e9501_at_their_line(lint, lines):
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]",
                                          backend=_boot_script(*lines)))
    finding, = run.findings
    assert (finding["rule"], finding["level"], run.code) == ("E9501", "error", 1)
    assert finding["line"] == line_of(path, "openssl req -x509")


def _cfn_init(init: str, call: str = "--resource Backend", holder: str = "Backend") -> str:
    """An instance set up by cfn-init the way AWS's samples do it: UserData only calls cfn-init (with ``call``)
    and cfn-signal; ``init`` is the ``AWS::CloudFormation::Init`` metadata of resource ``holder``."""
    metadata = "    Metadata:\n      AWS::CloudFormation::Init:\n" + textwrap.indent(textwrap.dedent(init).strip("\n"),
                                                                                     " " * 8) + "\n"
    other = "" if holder == "Backend" else f"  {holder}:\n    Type: AWS::CloudFormation::WaitConditionHandle\n{metadata}"
    return (f"\n  Backend:\n    Type: AWS::EC2::Instance\n{metadata if holder == 'Backend' else ''}    Properties:\n"
            "      ImageId: ami-1\n      UserData: !Base64\n        Fn::Sub: |\n          #!/bin/bash\n"
            f"          /opt/aws/bin/cfn-init -v --stack ${{AWS::StackName}} {call} --region ${{AWS::Region}}\n"
            "          /opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Backend\n" + other)


_MAKE_CERT = 'openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=api.example.com" -keyout /k -out /c'
_INIT_COMMAND = f"""
config:
  packages: {{yum: {{nginx: []}}}}
  commands:
    01_make_cert:
      command: {_MAKE_CERT}
  services: {{sysvinit: {{nginx: {{enabled: true, ensureRunning: true}}}}}}
"""
_INIT_CONFIGSETS = f"""
configSets:
  setup: [{{ConfigSet: base}}, tls]
  base: [install]
install:
  packages: {{yum: {{nginx: []}}}}
tls:
  commands:
    02_start: {{command: systemctl start nginx}}
    01_make_cert: {{command: [sh, -c, '{_MAKE_CERT}']}}
"""
_INIT_SCRIPT_FILE = f"""
config:
  files:
    /opt/tls/make-cert.sh:
      mode: "000755"
      content: |
        #!/bin/bash
        {_MAKE_CERT}
  commands:
    01_make_cert: {{command: /opt/tls/make-cert.sh}}
"""


_LAUNCH_TEMPLATE_INIT = f"""
  Backend:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchTemplate: {{LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}}
      TargetGroupARNs: [!Ref Targets]
  Template:
    Type: AWS::EC2::LaunchTemplate
    Metadata:
      AWS::CloudFormation::Init:
        config:
          commands:
            01_make_cert: {{command: {_MAKE_CERT}}}
    Properties:
      LaunchTemplateData:
        ImageId: ami-1
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            /opt/aws/bin/cfn-init -v --stack ${{AWS::StackName}} --resource Template --region ${{AWS::Region}}
"""


@pytest.mark.parametrize("backend, at", [
    (_cfn_init(_INIT_COMMAND), "openssl req"),
    (_LAUNCH_TEMPLATE_INIT, "openssl req"),
    (_cfn_init(_INIT_COMMAND, call="-r Settings", holder="Settings"), "openssl req"),
    (_cfn_init(_INIT_CONFIGSETS, call="--resource Backend --configsets setup"), "'openssl req"),  # the quoted string
    (_cfn_init(_INIT_SCRIPT_FILE), "openssl req"),
], ids=["config-commands", "launch-template", "another-resources-metadata", "configsets",
        "script-file-run-by-a-command"])
def test_certificate_commands_cfn_init_runs_are_e9501_at_their_line(lint, backend, at):
    targets = "" if "AutoScalingGroup" in backend else ", Targets: [{Id: !Ref Backend}]"
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=targets, backend=backend))
    finding, = run.findings  # as if UserData made it: cfn-init runs it at boot
    assert (finding["rule"], finding["level"], run.code) == ("E9501", "error", 1)
    assert (finding["line"], finding["column"]) == (line_of(path, "openssl req -x509"), column_of(path, at))
    target = "Auto Scaling group" if "AutoScalingGroup" in backend else "EC2 instance"
    assert finding["message"] == (f"TCP listener 'Listener' passes TLS through to {target} 'Backend', which presents "
                                  "a certificate of its own making (openssl req -x509 (a self-signed certificate)); "
                                  "API Gateway (Method (GET /)) rejects it")


@pytest.mark.parametrize("backend", [
    _cfn_init(_INIT_COMMAND, call="--resource Backend").replace("/opt/aws/bin/cfn-init", "# /opt/aws/bin/cfn-init"),
    _cfn_init(_INIT_COMMAND, call="--resource Other"),
    _cfn_init(_INIT_COMMAND, call="--resource $RESOURCE"),
    _cfn_init(_INIT_COMMAND, call="--resource Backend -c $1"),
    _cfn_init(_INIT_COMMAND, call="--resource Backend --configsets tls"),
    _cfn_init(_INIT_CONFIGSETS, call="--resource Backend"),
    _cfn_init(_INIT_CONFIGSETS, call="--resource Backend -c base"),
    _cfn_init(_INIT_SCRIPT_FILE.replace("{command: /opt/tls/make-cert.sh}", "{command: systemctl start nginx}")),
    _cfn_init(edit(_INIT_COMMAND, {f"command: {_MAKE_CERT}": f"command: echo '{_MAKE_CERT}' > /etc/motd"})),
    _cfn_init(edit(_INIT_COMMAND, {"    01_make_cert:": "    00_fetch: {command: aws s3 cp s3://tls/fullchain.pem "
                                                        "/etc/nginx/tls/server.crt}\n    01_make_cert:"})),
], ids=["cfn-init-commented-out", "another-resource", "resource-known-on-the-instance", "configset-known-on-the-instance",
        "configset-not-defined", "default-configset-not-defined", "configset-without-the-command",
        "script-file-nothing-runs", "echo", "beside-a-real-certificate"])
def test_cfn_init_steps_that_do_not_make_the_served_certificate_are_no_evidence(lint, backend):
    _, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]", backend=backend))
    finding, = run.findings  # what cfn-init does is not known, or does not show the certificate served
    assert (finding["rule"], finding["level"], run.code) == ("W9502", "warning", 1)


def test_a_tls13_only_server_configured_by_a_cfn_init_file_is_e9508_at_its_directive(lint):
    init = """
        config:
          files:
            /etc/nginx/conf.d/tls.conf:
              content: |
                server {
                  listen 8443 ssl;
                  ssl_protocols TLSv1.3;
                }
          services: {sysvinit: {nginx: {enabled: true, ensureRunning: true}}}
    """
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]",
                                          backend=_cfn_init(init)))
    finding, = run.findings  # a configuration file counts wherever it is written, like one UserData writes
    assert (finding["rule"], finding["level"], run.code) == ("E9508", "error", 1)
    assert finding["line"] == line_of(path, "ssl_protocols TLSv1.3")


_NGINX_TLS13 = ["#!/bin/bash", "certbot certonly --standalone -n --agree-tos -m ops@example.com -d api.example.com",
                "cat > /etc/nginx/conf.d/tls.conf <<'NGINX'", "server {", "  listen 8443 ssl;",
                "  ssl_protocols TLSv1.3;", "}", "NGINX", "systemctl enable --now nginx"]


@pytest.mark.parametrize("lines, needle, server, allow", [
    (_NGINX_TLS13, "ssl_protocols TLSv1.3", "nginx ssl_protocols TLSv1.3", "nginx: ssl_protocols TLSv1.2 TLSv1.3;"),
    (["#!/bin/bash", "echo 'SSLProtocol -all +TLSv1.3' >> /etc/httpd/conf.d/ssl.conf"], "SSLProtocol",
     "Apache SSLProtocol TLSv1.3", "Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3"),
    (["#!/bin/bash", "cat >> /etc/haproxy/haproxy.cfg <<'EOF'", "frontend api",
      "  bind :8443 ssl crt /etc/haproxy/api.pem ssl-min-ver TLSv1.3", "EOF"], "bind :8443",
     "HAProxy ssl-min-ver TLSv1.3", "HAProxy: ssl-min-ver TLSv1.2"),
    (["#!/bin/bash", "cat >> /etc/haproxy/haproxy.cfg <<'EOF'", "frontend api",
      "  bind :8443 ssl crt /etc/haproxy/api.pem force-tlsv13", "EOF"], "bind :8443",
     "HAProxy force-tlsv13", "HAProxy: remove force-tlsv13; ssl-min-ver TLSv1.2"),
    (["#!/bin/bash", "cat > /etc/envoy/envoy.yaml <<'EOF'", "transport_socket:",
      "  typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext,",
      "    common_tls_context: {tls_params: {tls_minimum_protocol_version: TLSv1_3}}}", "EOF"],
     "tls_minimum_protocol_version", "Envoy tls_minimum_protocol_version TLSv1_3",
     "Envoy: tls_minimum_protocol_version: TLSv1_2"),
    (["#!/bin/bash", "cat > /etc/envoy/envoy.yaml <<'EOF'", "transport_socket:",
      "  typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext,",
      "    common_tls_context: {tls_params: {tls_minimum_protocol_version: TLSv1_3}}}", "clusters:",
      "- transport_socket:",
      "    typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext}",
      "EOF"],
     "tls_minimum_protocol_version", "Envoy tls_minimum_protocol_version TLSv1_3",
     "Envoy: tls_minimum_protocol_version: TLSv1_2"),
], ids=["nginx", "apache", "haproxy", "haproxy-force-tlsv13", "envoy", "envoy-with-an-upstream-cluster"])
def test_a_tls13_only_backend_behind_tcp_is_e9508_at_its_directive(lint, lines, needle, server, allow):
    path, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]",
                                          backend=_boot_script(*lines)))
    finding, = run.findings  # not W9502: whatever the certificate, the TLS 1.2 handshake fails
    assert (finding["rule"], finding["level"], run.code) == ("E9508", "error", 1)
    assert finding["line"] == line_of(path, needle)
    assert finding["message"] == (f"TCP listener 'Listener' passes TLS through to EC2 instance 'Backend', whose server "
                                  f"accepts only TLS 1.3 ({server}); API Gateway (Method (GET /)) connects with TLS "
                                  "1.2, so every handshake fails")
    assert finding["fix"].startswith(f"Let the server of 'Backend' accept TLS 1.2 as well ({allow}), or set Protocol: "
                                     "TLS on listener 'Listener'")


@pytest.mark.parametrize("lines", [
    [*_NGINX_TLS13[:5], "  # ssl_protocols TLSv1.3;  (once the partners move)", "  ssl_protocols TLSv1.2 TLSv1.3;",
     *_NGINX_TLS13[6:]],
    [*_NGINX_TLS13[:6], "}", "server {", "  listen 9443 ssl;", "  ssl_protocols TLSv1.2 TLSv1.3;", *_NGINX_TLS13[6:]],
    ["#!/bin/bash", "cat > /etc/envoy/envoy.yaml <<'EOF'", "transport_socket:",
     "  typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext,",
     "    common_tls_context: {tls_params: {tls_minimum_protocol_version: TLSv1_3}}}", "EOF"],
    ["#!/bin/bash", "cat >> /etc/haproxy/haproxy.cfg <<'EOF'", "  server app 10.0.0.5:443 ssl ssl-min-ver TLSv1.3", "EOF"],
    ["#!/bin/bash", "cat > /etc/envoy/envoy.yaml <<'EOF'", "transport_socket:",
     "  typed_config:", "    common_tls_context: {tls_params: {tls_minimum_protocol_version: TLSv1_3}}",
     "    '@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
     "listeners:", "- transport_socket:",
     "    typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext}",
     "EOF"],
    [*_NGINX_TLS13, "cat > /etc/envoy/envoy.yaml <<'EOF'", "transport_socket:",
     "  typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext}",
     "EOF"],
    [*_NGINX_TLS13[:4], "  listen 443 ssl;", "}", "server {", *_NGINX_TLS13[4:]],
    ["#!/bin/bash", "cat >> /etc/httpd/conf.d/ssl.conf <<'EOF'", "SSLProtocol all -SSLv3", "<VirtualHost *:9443>",
     "  SSLProtocol -all +TLSv1.3", "</VirtualHost>", "EOF"],
    ["#!/bin/bash", "cat >> /etc/haproxy/haproxy.cfg <<'EOF'", "frontend stats",
     "  bind :8404 ssl crt /etc/haproxy/stats.pem ssl-min-ver TLSv1.3", "frontend api",
     "  bind :443 ssl crt /etc/haproxy/site.pem", "EOF"],
    ["#!/bin/bash", "cat >> /etc/nginx/nginx.conf <<'EOF'", "stream { server { listen 853 ssl; ssl_protocols TLSv1.3; } }",
     "EOF"],
    ["#!/bin/bash", "sed -i '/ssl_protocols TLSv1.3;/d' /etc/nginx/nginx.conf", "systemctl restart nginx"],
    ["#!/bin/bash", "grep -q 'ssl_protocols TLSv1.3;' /etc/nginx/nginx.conf && echo hardened"],
], ids=["commented-out", "another-server-accepts-tls12", "envoy-upstream", "haproxy-to-its-servers",
        "envoy-upstream-type-written-last", "nginx-beside-an-envoy", "nginx-another-tls-server",
        "apache-virtual-host-beside-a-global-setting", "haproxy-stats-frontend", "nginx-stream-module",
        "sed-deletes-it", "grep-reads-it"])
def test_tls13_only_words_that_do_not_say_what_the_port_serves_are_no_evidence(lint, lines):
    """A directive proves what the target's port serves only where it is configuration (not a pattern sed or
    grep looks for) and the script runs no other TLS server the port may be (R7-1)."""
    _, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]",
                                       backend=_boot_script(*lines)))
    assert run.ids() == ["W9502"]


@pytest.mark.parametrize("runs, rule", [("bash ./make-cert.sh", "E9501"), ("bash /opt/remake-cert.sh", "W9502"),
                                         ("chmod +x make-cert.sh.bak", "W9502")])
def test_a_here_document_counts_only_where_the_file_it_writes_is_named_as_a_word(lint, runs, rule):
    _, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]", backend=_boot_script(
        "#!/bin/bash", "cat > make-cert.sh <<'EOF'", "openssl req -x509 -nodes -subj /CN=api.example.com -keyout /k -out /c",
        "EOF", runs)))
    assert run.ids() == [rule]


def test_a_tls13_only_backend_behind_a_tls_listener_is_fine(lint):
    _, run = lint(TCP_TO_TARGET.format(protocol="TLS", targets=", Targets: [{Id: !Ref Backend}]",
                                       backend=_boot_script(*_NGINX_TLS13)))
    assert run.findings == []  # the NLB ends API Gateway's TLS 1.2 session; the targets are its business


def test_plain_tcp_backend_without_evidence_is_a_warning(lint):
    backend = edit(INSTANCE, {"keytool -genkeypair": "echo"})
    _, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets="", backend=backend))
    assert run.ids() == ["W9502"]


def test_literal_certificate_arn_is_an_unresolved_hop_until_acm(lint):
    path, run = lint(edit(NLB_TLS, {"CertificateArn: !Ref Certificate":
                                    "CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/abc"}) + """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}
""")
    finding, = run.findings
    assert finding["rule"] == "I9513" and "--acm" in finding["fix"]
    assert finding["line"] == line_of(path, "Certificates:")


def test_an_internet_integration_to_a_host_outside_the_files_is_an_unchecked_endpoint(lint):
    _, run = lint("""
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, Uri: "https://self-signed.badssl.com/"}
""")
    assert run.findings == [] and run.report["summary"]["paths"] == 1  # nothing the files show to judge
    assert run.report["unchecked_endpoints"] == [{"host": "self-signed.badssl.com", "port": 443, "instance": None}]


def test_a_shared_listener_problem_is_one_finding(lint):
    methods = "".join(f"""
  Method{verb}:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: {verb}
      Integration: {{Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}}
""" for verb in ("GET", "PUT", "POST"))
    path, run = lint(methods + edit(NLB_TLS, {"Port: 443\n": f"Port: 443\n{TLS13_ONLY}"}))
    finding, = run.findings
    assert finding["rule"] == "E9508" and finding["line"] == line_of(path, "SslPolicy:")
    assert finding["message"].endswith("(also on the path of 2 other integrations)")
    assert run.report["summary"]["paths"] == 3


def test_aws_include_body_is_read_and_its_intrinsics_evaluated(tlspath, write, tmp_path):
    spec = write("svc/spec/openapi.yaml", edit(SWAGGER_TLS_SKIP, {"connectionId: !Ref Link": "connectionId: {Ref: Link}"}))
    template = write("svc/template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + openapi_api("""
        Fn::Transform:
          Name: AWS::Include
          Parameters: {Location: ./spec/openapi.yaml}
        """) + NLB_TLS)
    run = tlspath(template.parent, "--format", "json")
    finding, = run.findings
    assert finding["rule"] == "W9510" and finding["file"] == str(spec)
    assert (finding["line"], finding["column"]) == (line_of(spec, "insecureSkipVerification"),
                                                    column_of(spec, "insecureSkipVerification"))
    assert ("vpc_link", "Link") in [(s["role"], s["resource"]) for s in finding["trace"]]


def test_ignore_checks_on_a_listener_and_conditions_of_an_api_body(lint):
    listener = edit(NLB_TLS, {
        "    Type: AWS::ElasticLoadBalancingV2::Listener\n":
        "    Type: AWS::ElasticLoadBalancingV2::Listener\n    Metadata: {cfn-lint: {config: {ignore_checks: [E9508]}}}\n",
        "Port: 443\n": f"Port: 443\n{TLS13_ONLY}"})
    api = edit(openapi_api(SWAGGER_TLS_SKIP), {"    Type: AWS::ApiGateway::RestApi\n":
                                               "    Type: AWS::ApiGateway::RestApi\n    Condition: WithApi\n"})
    _, run = lint(api + listener, header="Parameters:\n  Env: {Type: String}\nConditions:\n  WithApi: !Equals [!Ref Env, x]\n")
    finding, = run.findings  # E9508 is silenced on the listener; W9510 holds only where the API exists
    assert finding["rule"] == "W9510" and finding["message"].endswith("(when WithApi is true)")


def test_a_command_in_a_branch_ruled_out_is_not_evidence(lint):
    backend = edit(INSTANCE, {
        'Fn::Base64: !Join\n          - ""\n          - - "#!/bin/bash\\n"\n            - "keytool -genkeypair -alias app -keyalg RSA -keystore /app/keystore.jks\\n"':
        'Fn::Base64: !If [Never, "keytool -genkeypair -alias app", "aws s3 cp s3://certs/app.jks /app/"]'})
    header = "Conditions:\n  Never: !Equals [a, b]\n"
    _, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]", backend=backend),
                  header=header)
    assert run.ids() == ["W9502"]
    _, run = lint(TCP_TO_TARGET.format(protocol="TCP", targets=", Targets: [{Id: !Ref Backend}]",
                                       backend=edit(backend, {"[Never,": "[Always,"})),
                  header="Conditions:\n  Always: !Equals [a, a]\n")
    assert run.ids() == ["E9501"]


def test_an_integration_chosen_by_a_condition_is_followed(lint):
    _, run = lint("""
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration: !If
        - IsProd
        - {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}
        - {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "http://api.example.com:443/"}
""" + NLB_TLS, header="Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n")
    finding, = run.findings
    assert finding["rule"] == "E9506" and finding["message"].endswith("(when IsProd is false)")


# ---------------------------------------------------------------- a security policy the files do not give

_PARAMETER = "Parameters:\n  PolicyParam: {Type: String}\n"
_REGION_MAP = """\
Mappings:
  RegionSettings:
    eu-west-1: {Policy: ELBSecurityPolicy-TLS13-1-3-2021-06}
    us-east-1: {Policy: %s}
"""
_BY_REGION = "      SslPolicy: !FindInMap [RegionSettings, !Ref AWS::Region, Policy]\n"


@pytest.mark.parametrize("policy, header, says", [
    ("      SslPolicy: !Ref PolicyParam\n", _PARAMETER, "(parameter 'PolicyParam' has no Default)"),
    ("      SslPolicy: '{{resolve:ssm:/net/tls-policy}}'\n", "", "the SSM parameter '/net/tls-policy'"),
    (_BY_REGION, _REGION_MAP % "ELBSecurityPolicy-TLS13-1-2-2021-06",
     "eu-west-1 > Policy: ELBSecurityPolicy-TLS13-1-3-2021-06; us-east-1 > Policy: ELBSecurityPolicy-TLS13-1-2-2021-06"),
])
def test_a_security_policy_only_known_at_deploy_time_is_an_i9513(lint, policy, header, says):
    """Whether the listener accepts API Gateway's TLS 1.2 (E9508) rests on the policy: one I9513 naming what
    decides it, at the SslPolicy line -- never a silent pass."""
    methods = "".join(f"""
  Method{verb}:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: {verb}
      Integration: {{Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}}
""" for verb in ("GET", "PUT"))
    path, run = lint(methods + edit(NLB_TLS, {"Port: 443\n": f"Port: 443\n{policy}"}), header=header)
    assert run.code == 0
    finding, = run.findings  # one per listener, however many integrations reach it
    assert (finding["rule"], finding["level"], finding["line"]) == ("I9513", "info", line_of(path, "SslPolicy:"))
    assert "whether listener 'Listener' accepts API Gateway's TLS 1.2 depends on its SslPolicy" in finding["message"]
    assert says in finding["message"]
    assert finding["fix"].endswith("deploy a policy that accepts TLS 1.2 (not an ELBSecurityPolicy-TLS13-1-3-* one)")


def test_a_region_map_with_one_policy_everywhere_is_that_policy(lint):
    """A deploy in a region the map has no entry for fails: every region it can be deployed in gets TLS13-1-3."""
    path, run = lint(rest_method("https://api.example.com/") + edit(NLB_TLS, {"Port: 443\n": f"Port: 443\n{_BY_REGION}"}),
                     header=_REGION_MAP % "ELBSecurityPolicy-TLS13-1-3-2021-06")
    finding, = run.findings
    assert (run.code, finding["rule"], finding["line"]) == (1, "E9508", line_of(path, "SslPolicy:"))


def test_a_policy_not_set_is_the_default_which_accepts_tls12(lint):
    assert lint(rest_method("https://api.example.com/") + NLB_TLS)[1].findings == []
