"""Public HTTP/HTTP_PROXY integrations (no VPC link): API Gateway resolves the URI's host through public DNS,
connects over the internet and verifies that name. The host is followed into the files -- Route 53 records, a
load balancer's listener on the URI's port, an instance (its public DNS name, an Elastic IP) -- and judged by
the same rules as a private path; a host the files do not define is an unchecked endpoint for --probe."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from cloudformation_snippets import NLB_TLS
from conftest import edit, line_of
from pki import AT, issue
from tls_servers import LOOPBACK, TlsServer

ALB = """
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: application, Scheme: internet-facing}
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: "*.example.com", ValidationMethod: DNS}
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Protocol: HTTPS
      Port: 443
      Certificates: [{CertificateArn: !Ref Certificate}]
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: HTTP, Port: 8080, TargetType: ip}
"""

RECORD = """
  Record:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: Z0123456789ABCDEFGHIJ
      Name: api.example.com.
      Type: A
      AliasTarget: {DNSName: !GetAtt Alb.DNSName, HostedZoneId: Z32O12XQLNTSW2}
"""

SELF_SIGNING = """
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0c1b2d3e4f5a6b7c8
      UserData: !Base64 |
        #!/bin/bash
        openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=api.example.com -keyout k.pem -out c.pem
"""


def rest(uri: str, integration_type: str = "HTTP_PROXY") -> str:
    return f"""
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration:
        Type: {integration_type}
        IntegrationHttpMethod: GET
        Uri: {uri}
"""


def http_api(uri: str) -> str:
    return f"""
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api-1
      IntegrationType: HTTP_PROXY
      IntegrationMethod: GET
      IntegrationUri: {uri}
"""


@pytest.fixture
def lint(tlspath, write):
    def run(resources: str, *args: str, header: str = ""):
        path = write("template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\n' + textwrap.dedent(header)
                     + "Resources:\n" + resources)
        return path, tlspath(path, "--format", "json", *args)
    return run


def roles(finding: dict) -> list[tuple[str, str]]:
    return [(step["role"], step["resource"]) for step in finding["trace"]]


# ------------------------------------------------------------------------------------- load balancers


def test_the_load_balancers_own_dns_name_is_on_no_certificate(lint):
    path, run = lint(rest('!Sub "https://${Alb.DNSName}/orders"') + ALB)
    finding, = run.findings
    assert finding["rule"] == "E9503" and finding["line"] == line_of(path, "Uri:")
    assert roles(finding) == [("integration", "Method"), ("load_balancer", "Alb"), ("listener", "Https"),
                              ("target_group", "Targets"), ("certificate", "Certificate")]
    assert "Route 53 alias" in finding["fix"] and "VPC link" not in finding["fix"]


def test_a_load_balancer_name_written_out_is_on_no_certificate_either(lint):
    path, run = lint(rest("https://shared-alb-1234567890.eu-west-1.elb.amazonaws.com/orders"))
    finding, = run.findings  # a load balancer the files do not define: its certificate is unknown, its name is not
    assert finding["rule"] == "E9503" and finding["line"] == line_of(path, "Uri:")
    assert "a load balancer DNS name" in finding["message"]


def test_a_route53_alias_the_certificate_covers_is_clean_and_traced(lint):
    _, run = lint(rest('!Sub "https://${Record}/orders"') + RECORD + ALB)
    assert run.findings == [] and run.report["summary"]["paths"] == 1
    other = edit(RECORD + ALB, {'DomainName: "*.example.com"': "DomainName: api.other.example"})
    _, run = lint(rest('!Sub "https://${Record}/orders"') + other)
    finding, = run.findings
    assert finding["rule"] == "E9503" and "verifies host 'api.example.com'" in finding["message"]
    assert roles(finding)[:3] == [("integration", "Method"), ("dns_record", "Record"), ("load_balancer", "Alb")]
    assert "DNS record that points it at the load balancer" in finding["fix"]


def test_the_text_report_draws_the_dns_record_hop(tlspath, write):
    path = write("template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + rest('!Sub "https://${Record}/"')
                 + edit(RECORD + ALB, {'DomainName: "*.example.com"': "DomainName: other.example.com"}))
    assert f"  ->  DNS record Record (line {line_of(path, 'Record:')})" in tlspath(path).out


def test_a_written_host_that_a_record_answers_for_is_followed(lint):
    _, run = lint(rest("https://API.example.com/orders") + edit(RECORD + ALB, {
        "AliasTarget: {DNSName: !GetAtt Alb.DNSName,": 'AliasTarget: {DNSName: !Join ["", ["dualstack.", !GetAtt Alb.DNSName]],',
        "ValidationMethod: DNS}": "ValidationMethod: DNS, CertificateAuthorityArn: arn:aws:acm-pca:eu-west-1:1:certificate-authority/x}"}))
    finding, = run.findings  # the CDK's dualstack. alias still names the ALB, whose certificate is private
    assert finding["rule"] == "E9501"
    assert roles(finding)[:3] == [("integration", "Method"), ("dns_record", "Record"), ("load_balancer", "Alb")]


def test_a_record_set_group_entry_and_a_cname_to_the_load_balancer(lint):
    group = """
  Records:
    Type: AWS::Route53::RecordSetGroup
    Properties:
      HostedZoneName: example.com.
      RecordSets:
        - {Name: www.example.com, Type: TXT, ResourceRecords: ['"v=spf1 -all"']}
        - {Name: api.example.com, Type: CNAME, TTL: "60", ResourceRecords: [!GetAtt Alb.DNSName]}
"""
    _, run = lint(rest("https://api.example.com:8443/") + group + ALB)
    finding, = run.findings  # the CNAME is followed to the ALB, which has no listener on 8443
    assert finding["rule"] == "E9507" and "connects to port 8443 of 'Alb'" in finding["message"]
    assert roles(finding)[1] == ("dns_record", "Records api.example.com")


def test_a_record_in_a_private_zone_is_not_what_public_dns_answers(lint):
    private = edit(RECORD, {"HostedZoneId: Z0123456789ABCDEFGHIJ": "HostedZoneId: !Ref Zone"}) + """
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: example.com, VPCs: [{VPCId: vpc-1, VPCRegion: eu-west-1}]}
"""
    _, run = lint(rest("https://api.example.com/") + private + ALB)
    assert run.findings == [] and run.report["unchecked_endpoints"] == [
        {"host": "api.example.com", "port": 443, "instance": None}]


def test_plain_http_to_an_https_listener_is_a_scheme_mismatch_and_crosses_the_internet(lint):
    path, run = lint(http_api('!Sub "http://${Record}:443/"') + RECORD + ALB)
    assert run.ids() == ["E9506", "I9519"]
    mismatch = next(f for f in run.findings if f["rule"] == "E9506")
    assert mismatch["line"] == line_of(path, "IntegrationUri:") and "an http:// URI" in mismatch["message"]


def test_an_http_api_public_integration_verifies_its_uri_host(lint):
    path, run = lint(http_api('!Sub "https://${Alb.DNSName}/"') + ALB)
    finding, = run.findings
    assert finding["rule"] == "E9503" and finding["line"] == line_of(path, "IntegrationUri:")


def quick_create(target: str, more: str = "") -> str:
    return f"""
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP{more}
      Target: {target}
"""


def test_an_http_api_quick_create_target_is_its_default_routes_public_integration(lint):
    path, run = lint(quick_create('!Sub "https://${Alb.DNSName}/"') + ALB)
    finding, = run.findings  # the same verdict as an explicit integration with that IntegrationUri
    assert (finding["rule"], finding["level"], finding["line"]) == ("E9503", "error", line_of(path, "Target:"))
    assert run.code == 1 and finding["resource"] == "Api $default"
    assert roles(finding)[:2] == [("integration", "Api $default"), ("load_balancer", "Alb")]
    assert finding["fix"].endswith("use that name as the host of Target")


def test_a_quick_create_target_over_http_a_partner_or_a_lambda_function(lint):
    path, run = lint(quick_create("http://orders.example.com/"))
    finding, = run.findings
    assert (finding["rule"], finding["level"], finding["line"], run.code) == ("I9519", "info", line_of(path, "Target:"), 0)
    _, run = lint(quick_create("https://rates.partner.example.net/v1", "\n      RouteKey: GET /rates"))
    assert run.findings == [] and run.report["unchecked_endpoints"] == [
        {"host": "rates.partner.example.net", "port": 443, "instance": None}]
    lambda_function = "\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.12}\n"
    _, run = lint(quick_create("!GetAtt Fn.Arn") + lambda_function)  # AWS_PROXY: no TLS path of ours
    assert run.findings == [] and run.report["summary"]["paths"] == 0
    _, run = lint(quick_create("http://x.example.com/").replace("ProtocolType: HTTP", "ProtocolType: WEBSOCKET"))
    assert run.report["summary"]["paths"] == 0  # quick create is for HTTP APIs only


def test_a_quick_create_target_only_known_at_deploy_time_names_what_is_missing(lint):
    path, run = lint(quick_create("!Ref Backend"), header="Parameters:\n  Backend: {Type: String}\n")
    finding, = run.findings
    assert (finding["rule"], finding["line"], run.code) == ("I9513", line_of(path, "Target:"), 0)
    assert "parameter 'Backend' has no Default" in finding["message"] and "--parameter Backend=" in finding["fix"]


def test_an_openapi_http_proxy_without_a_vpc_link_is_followed(lint):
    body = """
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionBody:
        openapi: "3.0.1"
        info: {title: api, version: "1"}
        paths:
          /orders:
            get:
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: GET
                uri: !Sub "https://${Alb.DNSName}/orders"
"""
    _, run = lint(body + ALB, header="Transform: AWS::Serverless-2016-10-31\n")
    finding, = run.findings
    assert finding["rule"] == "E9503" and finding["resource"] == "Api GET /orders"


def test_lambda_mock_and_aws_integrations_are_not_paths(lint):
    _, run = lint(rest('!Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/functions/f/invocations"', "AWS_PROXY")
                  + edit(rest("https://api.example.com/", "MOCK"), {"\n  Method:\n": "\n  Mock:\n"}))
    assert run.findings == [] and run.report["summary"]["paths"] == 0


def test_an_internal_load_balancer_cannot_be_reached_from_the_internet(lint):
    internal = edit(RECORD + ALB, {"Scheme: internet-facing": "Scheme: internal"})
    path, run = lint(rest('!Sub "https://${Record}/orders"') + internal)
    finding, = run.findings  # the name, the listener and the certificate match: only the scheme is wrong
    assert (finding["rule"], finding["level"], finding["line"]) == ("W9524", "warning", line_of(path, "Uri:"))
    assert "'api.example.com' through public DNS" in finding["message"]
    assert "internal load balancer 'Alb' (Scheme: internal)" in finding["message"]
    assert roles(finding)[:3] == [("integration", "Method"), ("dns_record", "Record"), ("load_balancer", "Alb")]
    assert "ConnectionType: VPC_LINK" in finding["fix"] and "IntegrationTarget set to 'Alb'" in finding["fix"]
    assert "(Scheme: internet-facing)" in finding["fix"]


def test_an_http_api_to_an_internal_load_balancers_own_name(lint):
    path, run = lint(http_api('!Sub "https://${Alb.DNSName}/"')
                     + edit(ALB, {"Scheme: internet-facing": "Scheme: internal"}))
    assert run.ids() == ["E9503", "W9524"]  # the name is on no certificate, and it cannot be reached either
    finding = next(f for f in run.findings if f["rule"] == "W9524")
    assert finding["line"] == line_of(path, "IntegrationUri:") and "the host of IntegrationUri" in finding["message"]
    assert "IntegrationUri set to a listener of 'Alb'" in finding["fix"]


@pytest.mark.parametrize("scheme", ["{Type: application}", "{Type: application, Scheme: internet-facing}",
                                    "{Type: application, Scheme: !Ref LbScheme}"])
def test_an_internet_facing_or_undetermined_scheme_is_not_judged(lint, scheme):
    _, run = lint(rest('!Sub "https://${Record}/orders"') + edit(RECORD + ALB, {
        "{Type: application, Scheme: internet-facing}": scheme}), header="Parameters:\n  LbScheme: {Type: String}\n")
    assert run.findings == []  # internet-facing is the default; a scheme known only at deploy time is no failure


def test_a_conditional_scheme_is_judged_where_it_is_internal(lint):
    header = "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
    _, run = lint(rest('!Sub "https://${Record}/orders"') + edit(RECORD + ALB, {
        "Scheme: internet-facing": "Scheme: !If [IsProd, internet-facing, internal]"}), header=header)
    finding, = run.findings
    assert finding["rule"] == "W9524" and "IsProd is false" in finding["message"], finding["message"]


def test_a_private_integration_to_an_internal_load_balancer_is_how_it_is_done(lint):
    """Through a VPC link an internal NLB is the usual backend: its scheme says nothing."""
    _, run = lint(edit(NLB_TLS, {"Properties: {Type: network}": "Properties: {Type: network, Scheme: internal}"}) + """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: !Ref Link
        Uri: https://api.example.com/
""")
    assert run.findings == []


# ----------------------------------------------------------------------------------------- instances


@pytest.mark.parametrize("uri", ['!Sub "https://${Server.PublicDnsName}/"', '!Sub "https://${Server.PublicIp}/"',
                                 '!Sub "https://${Address}/"'])
def test_tls_ends_at_an_instance_whose_user_data_makes_its_own_certificate(lint, uri):
    address = """
  Address:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Association:
    Type: AWS::EC2::EIPAssociation
    Properties: {AllocationId: !GetAtt Address.AllocationId, InstanceId: !Ref Server}
"""
    path, run = lint(rest(uri) + SELF_SIGNING + address)
    finding, = run.findings
    assert finding["rule"] == "E9501" and finding["line"] == line_of(path, "openssl req -x509")
    assert "Method (GET /) connects over the internet to EC2 instance 'Server'" in finding["message"]
    assert roles(finding)[-1] == ("endpoint", "Server")
    if "Address}" in uri:
        assert roles(finding) == [("integration", "Method"), ("elastic_ip", "Address"), ("endpoint", "Server")]


def test_an_instance_without_a_sign_of_its_certificate_is_an_unchecked_endpoint(lint):
    quiet = edit(SELF_SIGNING, {"openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=api.example.com -keyout k.pem "
                                "-out c.pem": "systemctl start nginx"})
    _, run = lint(rest('!Sub "https://${Server.PublicDnsName}:8443/"') + quiet)
    assert run.findings == [] and run.code == 0
    assert run.report["unchecked_endpoints"] == [{"host": None, "port": 8443, "instance": "Server"}]


def test_skip_verification_in_a_public_openapi_body_lets_a_self_signed_instance_pass(lint):
    body = """
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        info: {title: api, version: "1"}
        paths:
          /:
            get:
              x-amazon-apigateway-integration:
                type: http
                httpMethod: GET
                uri: !Sub "https://${Server.PublicDnsName}/"
                tlsConfig: {insecureSkipVerification: true}
"""
    _, run = lint(body + SELF_SIGNING)
    assert run.ids() == ["W9510"]


# ------------------------------------------------------------------------------------ names, unknowns


def test_a_host_the_files_do_not_give_is_a_gap_not_an_endpoint(lint):
    path, run = lint(rest('!Sub "https://${BackendHost}/"'), header="Parameters:\n  BackendHost: {Type: String}\n")
    gap, = run.findings
    assert gap["rule"] == "I9513" and "parameter 'BackendHost' has no Default" in gap["message"]
    assert gap["line"] == line_of(path, "Uri:") and run.report["unchecked_endpoints"] == []


def test_a_host_built_from_a_parameter_follows_the_record_built_from_it(lint):
    header = "Parameters:\n  Domain: {Type: String}\n"
    named = edit(RECORD + ALB, {"Name: api.example.com.": 'Name: !Sub "api.${Domain}"',
                                'DomainName: "*.example.com"': 'DomainName: !Sub "*.${Domain}"'})
    _, run = lint(rest('!Sub "https://api.${Domain}/"') + named, header=header)
    assert run.findings == []  # record and certificate are named from the same parameter: nothing is missing


def test_a_private_uri_host_that_is_a_record_is_the_records_name(lint):
    """The host is the record's name (what Ref returns), never "the DNS name of 'NlbRecord'" judged as a
    mismatch."""
    private = """
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      Integration:
        Type: HTTP_PROXY
        ConnectionType: VPC_LINK
        ConnectionId: !Ref Link
        Uri: !Sub "https://${NlbRecord}/"
  NlbRecord:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneName: internal.example.com.
      Name: orders.internal.example.com
      Type: CNAME
      ResourceRecords: [!GetAtt Nlb.DNSName]
""" + edit(NLB_TLS, {"DomainName: api.example.com": 'DomainName: "*.internal.example.com"'})
    _, run = lint(private)
    assert run.findings == []
    _, run = lint(edit(private, {'"*.internal.example.com"': "other.example.com"}))
    finding, = run.findings
    assert finding["rule"] == "E9503" and "verifies host 'orders.internal.example.com'" in finding["message"]


def test_a_host_that_is_another_resources_attribute_is_not_known(lint):
    _, run = lint(rest('!Sub "https://${Cdn.DomainName}/"') + """
  Cdn:
    Type: Custom::Endpoint
    Properties: {ServiceToken: x}
""")
    gap, = run.findings
    assert gap["rule"] == "I9513" and "the host name is the DomainName of 'Cdn', which only AWS knows" in gap["message"]


# -------------------------------------------------------------------------------- reports and --probe


def test_the_text_summary_counts_the_public_endpoints_not_checked(tlspath, write):
    path = write("template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                 + rest("https://rates.partner.example.net/v2") + edit(rest("https://rates.partner.example.net/v2"),
                                                                        {"\n  Method:\n": "\n  Other:\n"}))
    run = tlspath(path)
    assert run.out.strip().splitlines()[-1] == ("1 file, 2 paths: 0 errors, 0 warnings, 0 info; 1 public endpoint not "
                                                "checked (the files do not show their certificates; --probe reads them)")


def test_sarif_carries_the_public_hops_and_the_unchecked_endpoints(tlspath, write):
    path = write("template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                 + rest('!Sub "https://${Address}/"') + SELF_SIGNING.replace("Server:", "Server:", 1) + """
  Address:
    Type: AWS::EC2::EIP
    Properties: {InstanceId: !Ref Server}
""" + edit(rest("https://rates.partner.example.net/"), {"\n  Method:\n": "\n  Partner:\n"}))
    run = tlspath(path, "--format", "sarif")
    sarif = __import__("json").loads(run.out)["runs"][0]
    flow = sarif["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [step["location"]["message"]["text"] for step in flow] == [
        "integration Method", "Elastic IP Address", "endpoint Server"]
    assert sarif["properties"]["uncheckedEndpoints"] == [
        {"host": "rates.partner.example.net", "port": 443, "instance": None}]


@pytest.mark.parametrize("make, uri, field", [
    (rest, "https://rates.partner.example.net:1000/v1", "Uri"),
    (http_api, "https://rates.partner.example.net:22/v1", "IntegrationUri"),
    (quick_create, "http://rates.partner.example.net:1023/", "Target"),
    (rest, "https://rates.partner.example.net:0/", "Uri"),
], ids=["rest-1000", "http-api-22", "quick-create-1023", "port-0"])
def test_a_port_api_gateway_does_not_connect_to_is_an_error_and_never_probed(lint, make, uri, field):
    path, run = lint(make(uri), "--probe")
    port = uri.split(":")[2].split("/")[0]
    finding = next(f for f in run.findings if f["rule"] == "E9525")
    assert (finding["level"], finding["line"], run.code) == ("error", line_of(path, f"{field}:"), 1)
    assert finding["message"].endswith(f"connects over the internet to port {port} of 'rates.partner.example.net', "
                                       "but API Gateway connects to HTTP endpoints only on ports 80, 443 and "
                                       "1024-65535: every request fails")
    assert finding["fix"] == ("Serve the endpoint on port 443 (or 80, or one from 1024 to 65535) and write that port "
                              f"in {field}")
    assert run.err == "" and run.report["unchecked_endpoints"] == []  # --probe did not even try to connect


@pytest.mark.parametrize("port, rules", [(444, ["I9525"]), (1000, ["I9525"]), (443, []), (8443, [])])
def test_a_private_uri_port_outside_the_http_range_is_only_a_note(lint, port, rules):
    """[S27] documents the range for HTTP integrations; for VPC links it is unverified: an info, exit 0."""
    listener = edit(NLB_TLS, {"Port: 443": f"Port: {port}"})
    method = edit(rest(f"https://api.example.com:{port}/"),
                  {"        Type: HTTP_PROXY\n": "        Type: HTTP_PROXY\n        ConnectionType: VPC_LINK\n"
                                                 "        ConnectionId: !Ref Link\n"})
    path, run = lint(method + listener)
    assert run.ids() == rules and run.code == 0
    if rules:
        finding, = run.findings
        assert (finding["level"], finding["line"]) == ("info", line_of(path, "Uri:"))
        assert finding["message"] == (f"Method (GET /) connects through its VPC link to port {port}, outside the "
                                      "ports API Gateway documents for HTTP integrations (80, 443 and 1024-65535); "
                                      "whether they apply to private integrations is not documented")
        assert finding["fix"] == "Give the listener port 443 (or one from 1024 to 65535) and use it in Uri"


@pytest.mark.parametrize("port", [80, 443, 1024, 65535])
def test_the_ports_api_gateway_connects_to_are_not_judged(lint, port):
    _, run = lint(rest(f"https://rates.partner.example.net:{port}/"))
    assert run.findings == [] and run.report["unchecked_endpoints"][0]["port"] == port


@pytest.mark.parametrize("host, kind", [
    ("10.0.1.5", "a private address"), ("172.16.0.9", "a private address"), ("192.168.1.10", "a private address"),
    ("127.0.0.1", "a loopback address"), ("169.254.169.254", "the instance metadata address (link-local)"),
    ("[::1]", "a loopback address"), ("[fd00::5]", "a unique-local address"), ("[fe80::1]", "a link-local address"),
    ("ip-10-0-1-5.eu-west-1.compute.internal", "an AWS-internal name (it resolves only inside a VPC)"),
    ("ip-10-0-1-5.ec2.internal", "an AWS-internal name (it resolves only inside a VPC)"),
])
def test_a_public_integration_to_an_address_off_the_internet_is_w9524_and_never_probed(lint, host, kind):
    path, run = lint(rest(f'"https://{host}/v1"'), "--probe")
    finding, = run.findings
    assert (finding["rule"], finding["level"], finding["line"], run.code) == ("W9524", "warning", line_of(path, "Uri:"), 1)
    assert finding["message"] == (f"Method (GET /) has no VPC link: API Gateway connects over the internet to "
                                  f"'{host.strip('[]')}', which is {kind}: API Gateway cannot reach it, so requests "
                                  "time out or fail with a 5xx")
    assert finding["fix"] == ("Reach the backend through a VPC link -- Integration: {ConnectionType: VPC_LINK}, "
                              "ConnectionId set to the link, IntegrationTarget set to the load balancer in front of "
                              "it -- or put a public name of an internet-facing endpoint in Uri")
    assert run.err == "" and run.report["unchecked_endpoints"] == []  # --probe did not connect


def test_an_http_api_to_a_private_address_is_told_in_its_own_words(lint):
    path, run = lint(http_api("https://10.0.1.5:8443/{proxy}"))
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("W9524", line_of(path, "IntegrationUri:"))
    assert "IntegrationUri set to its load balancer's listener" in finding["fix"]


def test_a_connection_id_without_vpc_link_is_an_ignored_link(lint):
    link = "\n  Link:\n    Type: AWS::ApiGateway::VpcLink\n    Properties: {Name: l, TargetArns: [nlb]}\n"
    method = edit(rest("https://orders.internal.example.com/orders"),
                  {"        Type: HTTP_PROXY\n": "        Type: HTTP_PROXY\n        ConnectionId: !Ref Link\n"})
    path, run = lint(method + link)
    finding, = run.findings
    assert (finding["rule"], finding["level"], finding["line"], run.code) == (
        "W9509", "warning", line_of(path, "ConnectionId:"), 1)
    assert finding["message"] == ("Method (GET /) sets ConnectionId to 'Link', but its connection type is not VPC_LINK, "
                                  "so the link is not used: API Gateway connects over the internet to the host of "
                                  "Uri, or refuses the integration")
    assert finding["fix"] == ("Set Integration: {ConnectionType: VPC_LINK} (or remove ConnectionId if the integration "
                              "is meant to be public)")
    _, run = lint(edit(method, {"ConnectionId: !Ref Link": "ConnectionType: INTERNET\n        ConnectionId: !Ref Link"})
                  + link)
    assert run.ids() == ["W9509"]
    _, run = lint(edit(method, {"ConnectionId: !Ref Link": "ConnectionId: !Ref LinkId"}),
                  header="Parameters:\n  LinkId: {Type: String}\n")
    assert run.ids() == []  # a connection id the files do not give may be empty: not judged


def test_terraform_connection_id_without_vpc_link(tlspath, write, tmp_path):
    main = write("main.tf", '''
resource "aws_apigatewayv2_integration" "orders" {
  api_id             = "abc123"
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  connection_id      = aws_apigatewayv2_vpc_link.orders.id
  integration_uri    = "https://orders.example.com/{proxy}"
}

resource "aws_apigatewayv2_vpc_link" "orders" {
  name               = "orders"
  subnet_ids         = ["subnet-1"]
  security_group_ids = []
}
''')
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["line"], run.code) == ("W9509", line_of(main, "connection_id"), 1)
    assert finding["message"].startswith("aws_apigatewayv2_integration.orders sets connection_id to "
                                         "'aws_apigatewayv2_vpc_link.orders', but its connection type is not VPC_LINK")
    assert finding["fix"] == ('Set connection_type = "VPC_LINK" (or remove connection_id if the integration is meant '
                              "to be public)")


def test_probe_does_not_connect_where_a_public_name_resolves_off_the_internet(lint, tmp_path, monkeypatch):
    """A name API Gateway resolves through public DNS to a loopback address: the prober's own machine is never
    connected to on a template's word; an address pinned with --probe-resolve is (the person running said so)."""
    import socket

    host = "rates.partner.test"
    leaf = issue(host, sans=(host,))
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem) as server:
        monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (LOOPBACK, server.port))])
        _, run = lint(rest(f"https://{host}:{server.port}/v2"), "--at", AT.date().isoformat(), "--probe")
        assert server.accepted == 0
        assert run.err == (f"tlspath: warning: --probe: {host}:{server.port} not probed: it resolves to 127.0.0.1, a "
                           "loopback address, which API Gateway cannot reach over the internet; its path stays "
                           "unresolved (I9513)\n")
        finding, = run.findings
        assert finding["rule"] == "I9513" and finding["fix"] == (
            "give the integration a host API Gateway can reach, or pin the address to probe with --probe-resolve "
            "HOST:PORT:ADDRESS")
        _, run = lint(rest(f"https://{host}:{server.port}/v2"), "--at", AT.date().isoformat(), "--probe",
                      "--probe-resolve", f"{host}:{server.port}:{LOOPBACK}")
    assert server.accepted == 1 and run.ids() == ["E9501"]


def test_probe_reads_the_certificate_of_a_public_endpoint_outside_the_files(lint, tmp_path):
    host = "rates.partner.test"
    leaf = issue(host, sans=(host,))
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem) as server:
        path, run = lint(rest(f"https://{host}:{server.port}/v2"), "--at", AT.date().isoformat(), "--probe",
                         "--probe-resolve", f"{host}:{server.port}:{LOOPBACK}")
    assert server.server_names == [host]
    finding, = run.findings
    assert finding["rule"] == "E9501" and finding["line"] == line_of(path, "Uri:")
    assert finding["message"].startswith(f"the certificate seen at {host}:{server.port} is self-signed")
    assert run.report["unchecked_endpoints"] == []  # --probe checked it


# ------------------------------------------------------------------------------------------ Terraform


TF_ALB = '''
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate_validation.web.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_target_group" "web" {
  port     = 8080
  protocol = "HTTP"
}

resource "aws_acm_certificate" "web" {
  domain_name       = "*.${var.domain}"
  validation_method = "EMAIL"
}

resource "aws_acm_certificate_validation" "web" {
  certificate_arn = aws_acm_certificate.web.arn
}
'''


def tf_rest(uri: str) -> str:
    return f'''
variable "domain" {{
  type = string
}}

resource "aws_api_gateway_integration" "get" {{
  rest_api_id             = "abc123"
  resource_id             = "def456"
  http_method             = "GET"
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = {uri}
}}
'''


@pytest.mark.parametrize(("zone", "record"), [
    ('resource "aws_route53_zone" "main" {\n  name = var.domain\n}\n', '"api"'),
    ('resource "aws_route53_zone" "main" {\n  name = var.domain\n}\n', '"api.${var.domain}"'),
    ('resource "aws_route53_zone" "main" {\n  name = "${var.domain}."\n}\n', '"api.${aws_route53_zone.main.name}"'),
])
def test_terraform_alias_record_in_a_zone_named_by_a_variable(tlspath, write, tmp_path, zone, record):
    write("main.tf", tf_rest('"https://${aws_route53_record.api.fqdn}/"') + TF_ALB + zone + f'''
resource "aws_route53_record" "api" {{
  zone_id = aws_route53_zone.main.zone_id
  name    = {record}
  type    = "A"

  alias {{
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = false
  }}
}}
''')
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings == [] and run.report["summary"]["paths"] == 1


TF_ALIAS = '''
resource "aws_route53_zone" "main" {
  name = var.domain
}

resource "aws_route53_record" "api" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "api"
  type    = "A"

  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = false
  }
}
'''


@pytest.mark.parametrize(("internal", "fires"), [("true", True), ("false", False), ("var.internal", False),
                                                 (None, False)])
def test_terraform_internal_load_balancer_behind_a_public_integration(tlspath, write, tmp_path, internal, fires):
    written = "" if internal is None else f"\n  internal           = {internal}"
    main = write("main.tf", 'variable "internal" {\n  type = bool\n}\n' + tf_rest('"https://api.${var.domain}/"')
                 + edit(TF_ALB, {'  name               = "web"': '  name               = "web"' + written}) + TF_ALIAS)
    run = tlspath(tmp_path, "--format", "json")
    assert run.ids() == (["W9524"] if fires else [])  # a scheme the files do not give is neither judged nor missing
    if fires:
        finding, = run.findings
        assert finding["line"] == line_of(main, "uri     ") and "(internal = true)" in finding["message"]
        assert 'connection_type = "VPC_LINK"' in finding["fix"] and "(internal = false)" in finding["fix"]
        assert roles(finding)[:3] == [("integration", "aws_api_gateway_integration.get"),
                                      ("dns_record", "aws_route53_record.api"), ("load_balancer", "aws_lb.web")]


def test_terraform_record_in_a_zone_read_by_a_data_source_names_what_is_missing(tlspath, write, tmp_path):
    main = write("main.tf", tf_rest('"https://${aws_route53_record.api.fqdn}/"') + TF_ALB + '''
data "aws_route53_zone" "main" {
  zone_id = "Z0123456789ABCDEFGHIJ"
}

resource "aws_route53_record" "api" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "api.example.com"
  type    = "CNAME"
  records = [aws_lb.web.dns_name]
  ttl     = 60
}
''')
    run = tlspath(tmp_path, "--format", "json")
    gap = next(f for f in run.findings if f["line"] == line_of(main, "uri  "))
    assert run.ids() == ["I9513", "I9513"]  # the host's zone, and the certificate's variable: two things missing
    assert "the hosted zone of aws_route53_record.api is not managed in the scanned files" in gap["message"]


def test_terraform_elastic_ip_association_to_a_self_signing_instance(tlspath, write, tmp_path):
    main = write("main.tf", tf_rest('"https://${aws_eip.web.public_ip}/"') + '''
resource "aws_instance" "web" {
  ami       = "ami-0c1b2d3e4f5a6b7c8"
  user_data = "openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=web -keyout k.pem -out c.pem"
}

resource "aws_eip" "web" {
  domain = "vpc"
}

resource "aws_eip_association" "web" {
  allocation_id = aws_eip.web.id
  instance_id   = aws_instance.web.id
}
''')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9501" and finding["line"] == line_of(main, "user_data")
    assert roles(finding) == [("integration", "aws_api_gateway_integration.get"), ("elastic_ip", "aws_eip.web"),
                              ("endpoint", "aws_instance.web")]


def test_terraform_http_api_public_integration_to_a_partner_is_unchecked(tlspath, write, tmp_path):
    write("main.tf", '''
resource "aws_apigatewayv2_integration" "partner" {
  api_id             = "abc123"
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://rates.partner.example.net/{proxy}"
}
''')
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings == [] and run.report["summary"]["unchecked_endpoints"] == 1


def test_terraform_http_api_quick_create_target(tlspath, write, tmp_path):
    main = write("main.tf", '''
resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
  target        = "https://${aws_lb.orders.dns_name}/"
}

resource "aws_lb" "orders" {
  load_balancer_type = "application"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.orders.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.orders.arn
}

resource "aws_acm_certificate" "orders" {
  domain_name       = "orders.example.com"
  validation_method = "EMAIL"
}
''')
    run = tlspath(tmp_path, "--format", "json")
    finding = run.findings[0]  # and W9518: nothing waits for the certificate's issuance
    assert run.code == 1 and run.ids() == ["E9503", "W9518"]
    assert (finding["rule"], finding["level"], finding["line"]) == ("E9503", "error", line_of(main, "target "))
    assert finding["resource"] == "aws_apigatewayv2_api.orders $default"
    assert finding["fix"].endswith("use that name as the host of target")
    write("main.tf", main.read_text().replace("https://${aws_lb.orders.dns_name}/", "http://orders.example.com/"))
    run = tlspath(tmp_path, "--format", "json")
    assert run.ids() == ["I9519"] and run.code == 0


def test_plan_json_follows_the_alias_record_to_the_load_balancer(tlspath):
    from conftest import ROOT
    from linter.rule import Settings
    from linter.scan import Options, scan

    plan = ROOT / "tests" / "fixtures" / "terraform" / "public-route53-alias-plan" / "plan.json"
    result = scan([str(plan)], Options(Settings(at=dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))))
    assert result.findings == () and result.errors == ()
    route, = result.paths
    assert [(hop.step.role, hop.step.resource) for hop in route.hops] == [
        ("integration", "aws_api_gateway_integration.create_shipment"), ("dns_record", "aws_route53_record.shipping"),
        ("load_balancer", "aws_lb.shipping"), ("listener", "aws_lb_listener.https"),
        ("target_group", "aws_lb_target_group.shipping"), ("certificate", "aws_acm_certificate.wildcard")]
    assert [hop.tls_ends for hop in route.hops].index(True) == 3


# ------------------------------------------------------------------------------- endpoints AWS names

_AWS_ENDPOINTS = """
  Backend:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: back}
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties: {DistributionConfig: {Enabled: true}}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
  FnUrl:
    Type: AWS::Lambda::Url
    Properties: {TargetFunctionArn: !Ref Fn, AuthType: NONE}
  Bucket:
    Type: AWS::S3::Bucket
"""
_AWS_FIX = ("nothing in the files sets that certificate; to have this hop checked, call the endpoint by a name the "
            "files define, with a certificate they hold -- or, relying on AWS's certificate, suppress I9513 on this "
            "integration")


@pytest.mark.parametrize("uri, whose", [
    ('!Sub "https://${Backend}.execute-api.${AWS::Region}.amazonaws.com/prod"',
     "the host name is the execute-api endpoint of API 'Backend'"),
    ('!Sub "https://${Dist.DomainName}/orders"', "the host name is the DomainName of CloudFront distribution 'Dist'"),
    ("!GetAtt FnUrl.FunctionUrl", "the URI is the FunctionUrl of Lambda function URL 'FnUrl'"),
    ('!Sub "https://${Bucket.RegionalDomainName}/index.html"',
     "the host name is the RegionalDomainName of S3 bucket 'Bucket'"),
])
def test_an_endpoint_aws_names_is_said_to_be_one_in_the_templates_words(lint, uri, whose):
    """Another API's execute-api name, a CloudFront distribution, a Lambda function URL, an S3 bucket: the
    certificate is AWS's, for a name AWS assigns -- an I9513 that says so, not 'hard-code the region', 'use a
    Route 53 record' or a Terraform plan's wording in a CloudFormation finding."""
    path, run = lint(rest(uri) + _AWS_ENDPOINTS)
    finding, = run.findings
    assert (run.code, finding["rule"], finding["line"]) == (0, "I9513", line_of(path, "Uri:"))
    assert finding["message"] == (f"Method (GET /): cannot resolve the host name: {whose}, a name AWS assigns; the "
                                  "certificate served for it is AWS's, not one the files hold, so tlspath cannot "
                                  "check it")
    assert finding["fix"] == _AWS_FIX


def test_a_uri_that_is_another_resources_attribute_is_said_in_the_templates_words(lint):
    _, run = lint(rest("!GetAtt Custom.Url") + "  Custom:\n    Type: Custom::Endpoint\n    Properties: {ServiceToken: x}\n")
    finding, = run.findings
    assert finding["message"].endswith("the URI is the Url of 'Custom', only known once deployed: scheme, host and "
                                       "port are not known")
    assert finding["fix"] == "write the URI as https://host[:port]/path" and "Terraform" not in finding["message"]


@pytest.mark.parametrize("uri, host, port", [("https://[2606:4700:4700::1111]/orders", "2606:4700:4700::1111", 443),
                                             ("https://[2606:4700:4700::1111]:8443/", "2606:4700:4700::1111", 8443)])
def test_an_ipv6_literal_host_is_read_as_rfc_3986_writes_it(lint, uri, host, port):
    """The brackets hold the address; the port follows them (was 'the URI port ':5]' is not a number')."""
    _, run = lint(rest(f'"{uri}"'))
    assert (run.code, run.findings) == (0, [])
    assert run.report["unchecked_endpoints"] == [{"host": host, "port": port, "instance": None}]
