"""Intrinsic functions, conditions and cross-stack imports, observed through the findings they lead to.

Each test writes a template for one REST path (method -> VPC link v1 -> NLB -> listener -> target group)
whose crucial value is computed by the intrinsic under test, and checks what tlspath concludes.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import SAMPLES, edit, leaked, line_of


def rest_path(*, uri: str = "https://api.example.com/", protocol: str = "TLS", port: str = "443",
              parameters: str = "", conditions: str = "", mappings: str = "", certificate: str = "!Ref Certificate",
              link_targets: str = "[!Ref Nlb]", extra: str = "") -> str:
    """A complete template; each argument is YAML text for one property."""
    def block(name: str, body: str) -> str:
        return f"{name}:\n{textwrap.indent(textwrap.dedent(body).strip(), '  ')}\n" if body.strip() else ""

    return (
        'AWSTemplateFormatVersion: "2010-09-09"\n'
        + block("Parameters", parameters) + block("Conditions", conditions) + block("Mappings", mappings)
        + textwrap.dedent(f"""\
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: {{Name: api}}
          Method:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: GET
              AuthorizationType: NONE
              Integration:
                Type: HTTP_PROXY
                IntegrationHttpMethod: GET
                ConnectionType: VPC_LINK
                ConnectionId: !Ref Link
                Uri: {uri}
          Link:
            Type: AWS::ApiGateway::VpcLink
            Properties:
              Name: link
              TargetArns: {link_targets}
          Nlb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {{Type: network, Subnets: [subnet-1, subnet-2]}}
          Certificate:
            Type: AWS::CertificateManager::Certificate
            Properties: {{DomainName: api.example.com, ValidationMethod: DNS}}
          PrivateCertificate:
            Type: AWS::CertificateManager::Certificate
            Properties:
              DomainName: api.example.com
              CertificateAuthorityArn: arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/abc
          Listener:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Nlb
              Protocol: {protocol}
              Port: {port}
              Certificates:
                - CertificateArn: {certificate}
              DefaultActions:
                - Type: forward
                  TargetGroupArn: !Ref Targets
          Targets:
            Type: AWS::ElasticLoadBalancingV2::TargetGroup
            Properties: {{Protocol: TCP, Port: 8443, VpcId: vpc-1, TargetType: ip}}
        """)
        + textwrap.indent(textwrap.dedent(extra), "  ")
    )


@pytest.fixture
def lint(tlspath, write):
    def run(text: str, name: str = "template.yaml"):
        path = write(name, text)
        return path, tlspath(path, "--format", "json")
    return run


def test_baseline_is_clean(lint):
    _, run = lint(rest_path())
    assert run.findings == [] and run.report["summary"]["paths"] == 1


def test_ref_to_parameter_default(lint):
    _, run = lint(rest_path(parameters="ListenerProtocol: {Type: String, Default: TCP}", protocol="!Ref ListenerProtocol"))
    assert run.ids() == ["W9502"]


def test_ref_to_parameter_without_default_is_an_unresolved_hop(lint):
    path, run = lint(rest_path(parameters="ListenerPort: {Type: Number}", port="!Ref ListenerPort"))
    finding, = run.findings
    assert finding["rule"] == "I9513" and "parameter 'ListenerPort' has no Default" in finding["message"]
    assert finding["line"] == line_of(path, "Port: !Ref ListenerPort")
    assert run.code == 0  # info only: nothing is claimed past the gap


def test_list_parameter_is_split(lint):
    params = "Hosts: {Type: CommaDelimitedList, Default: 'other.example.com,api.example.com'}"
    _, run = lint(rest_path(parameters=params, uri='!Sub ["https://${H}/", {H: !Select [1, !Ref Hosts]}]'))
    assert run.findings == []
    _, run = lint(rest_path(parameters=params, uri='!Sub ["https://${H}/", {H: !Select [0, !Ref Hosts]}]'))
    assert run.ids() == ["E9503"]


def test_pseudo_parameter_is_unknown_not_guessed(lint):
    _, run = lint(rest_path(uri='!Sub "https://api.${AWS::Region}.example.com/"'))
    finding, = run.findings  # the host is unknown: no mismatch is claimed, the gap is named
    assert finding["rule"] == "I9513" and "pseudo parameter AWS::Region" in finding["message"]


def test_getatt_dns_name_in_sub(lint):
    _, run = lint(rest_path(uri='!Sub "https://${Nlb.DNSName}/"'))
    assert run.ids() == ["E9503"] and "DNS name of 'Nlb'" in run.findings[0]["message"]


def test_getatt_long_form_and_join(lint):
    _, run = lint(rest_path(uri='!Join ["", ["https://", !GetAtt [Nlb, DNSName], ":443/"]]'))
    assert run.ids() == ["E9503"]


def test_sub_escaped_literal_and_variable_map(lint):
    _, run = lint(rest_path(uri='!Sub ["https://${Host}/${!stageVariables.path}", {Host: api.example.com}]'))
    assert run.findings == []


def test_split_and_select(lint):
    _, run = lint(rest_path(uri='!Select [1, !Split [",", "http://x/,https://api.example.com:8443/"]]'))
    finding, = run.findings
    assert finding["rule"] == "E9507" and "port 8443" in finding["message"]


def test_find_in_map_with_parameter_key(lint):
    _, run = lint(rest_path(
        parameters="Env: {Type: String, Default: prod}",
        mappings="Protocols: {prod: {Listener: TCP}, dev: {Listener: TLS}}",
        protocol="!FindInMap [Protocols, !Ref Env, Listener]"))
    assert run.ids() == ["W9502"]


def test_if_with_condition_known_from_defaults(lint):
    _, run = lint(rest_path(
        parameters="Env: {Type: String, Default: prod}",
        conditions="IsProd: !Equals [!Ref Env, prod]",
        certificate="!If [IsProd, !Ref Certificate, !Ref PrivateCertificate]"))
    assert run.findings == []


def test_if_with_unknown_condition_follows_both_branches(lint):
    _, run = lint(rest_path(
        parameters="Env: {Type: String}",
        conditions="IsProd: !Equals [!Ref Env, prod]",
        certificate="!If [IsProd, !Ref Certificate, !Ref PrivateCertificate]"))
    finding, = run.findings
    assert finding["rule"] == "E9501" and finding["resource"] == "PrivateCertificate"
    assert finding["message"].endswith("(when IsProd is false)")


def test_and_or_not_conditions(lint):
    _, run = lint(rest_path(
        parameters="Env: {Type: String, Default: prod}\nTls: {Type: String, Default: 'no'}",
        conditions=("IsProd: !Equals [!Ref Env, prod]\nWantsTls: !Equals [!Ref Tls, 'yes']\n"
                    "PlainInProd: !And [!Condition IsProd, !Not [!Condition WantsTls]]\n"
                    "Either: !Or [!Condition PlainInProd, !Equals [a, b]]"),
        protocol="!If [Either, TCP, TLS]"))
    assert run.ids() == ["W9502"]


def test_conditions_built_from_conditions_never_state_an_impossible_combination(lint):
    """NotProd is !Not IsProd; IsDev tests the same parameter: no finding may assume IsProd and NotProd, or
    IsProd and IsDev, and each states its assumptions minimally in the user's names."""
    _, run = lint(rest_path(
        parameters="Env: {Type: String, AllowedValues: [prod, dev]}",
        conditions="IsProd: !Equals [!Ref Env, prod]\nIsDev: !Equals [dev, !Ref Env]\nNotProd: !Not [!Condition IsProd]",
        protocol="!If [NotProd, TCP, TLS]",
        certificate="!If [IsDev, !Ref PrivateCertificate, !Ref Certificate]"))
    # TCP when NotProd holds: with AllowedValues [prod, dev] that is simply IsDev
    assert [(f["rule"], f["message"].rsplit(" (when ", 1)[-1]) for f in run.findings] == [("W9502", "IsDev is true)")]
    assert run.report["summary"]["paths"] == 2  # prod: TLS with the public certificate; dev: TCP


def test_a_problem_found_whichever_way_a_condition_goes_is_one_unconditional_finding(lint):
    _, run = lint(rest_path(
        parameters="Tls: {Type: String}\nEnv: {Type: String}",
        conditions="WantsTls: !Equals [!Ref Tls, 'yes']\nIsProd: !Equals [!Ref Env, prod]\n"
                   "NoTls: !Not [!Condition WantsTls]",
        certificate="!If [WantsTls, !Ref PrivateCertificate, !If [NoTls, !Ref PrivateCertificate, !Ref Certificate]]",
        port="!If [IsProd, 443, 443]"))
    finding, = run.findings  # on every path that can exist, whatever IsProd: the private certificate
    assert finding["rule"] == "E9501" and "(when" not in finding["message"]


def test_allowed_values_decide_what_is_left(lint):
    """With AllowedValues [prod, dev], not prod is dev: a path that is neither does not exist."""
    _, run = lint(rest_path(
        parameters="Env: {Type: String, AllowedValues: [prod, dev]}",
        conditions="IsProd: !Equals [!Ref Env, prod]\nIsDev: !Equals [!Ref Env, dev]",
        certificate="!If [IsProd, !Ref Certificate, !If [IsDev, !Ref Certificate, !Ref PrivateCertificate]]"))
    assert run.findings == [] and run.report["summary"]["paths"] == 2


def test_conditions_of_the_same_name_in_two_templates_stay_apart(tlspath, write, tmp_path):
    """Two stacks' IsProd test their own Env parameters: neither relates the other's conditions."""
    write("a.yaml", rest_path(
        parameters="Env: {Type: String}",
        conditions="IsProd: !Equals [!Ref Env, prod]\nIsDev: !Equals [!Ref Env, dev]",
        certificate="!If [IsProd, !If [IsDev, !Ref PrivateCertificate, !Ref Certificate], !Ref Certificate]"))
    write("b.yaml", 'Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, live]\n'
                    'Resources:\n  Topic: {Type: AWS::SNS::Topic, Condition: IsProd}\n')
    assert tlspath(tmp_path / "a.yaml", "--format", "json").findings == []  # alone, IsProd excludes IsDev
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings  # IsProd means two things in this run: it no longer excludes IsDev
    assert finding["rule"] == "E9501" and finding["message"].endswith("(when IsDev is true and IsProd is true)")


def test_a_condition_that_chooses_a_whole_list_chooses_its_entries(lint):
    """``Certificates: !If [HasCert, [...], !Ref AWS::NoValue]``: with the condition the certificate is there
    and judged; without it the listener names none (an unresolved hop) -- never 'certificate None'."""
    text = edit(rest_path(parameters="Cert: {Type: String}", conditions="HasCert: !Equals [!Ref Cert, 'yes']"), {
        "      Certificates:\n        - CertificateArn: !Ref Certificate\n":
        "      Certificates: !If [HasCert, [{CertificateArn: !Ref PrivateCertificate}], !Ref AWS::NoValue]\n",
        "      DefaultActions:\n        - Type: forward\n          TargetGroupArn: !Ref Targets\n":
        "      DefaultActions: !If [HasCert, [{Type: forward, TargetGroupArn: !Ref Targets}], []]\n"})
    _, run = lint(text)
    stated = [(f["rule"], f["message"].rsplit(" (when ", 1)[-1]) for f in run.findings]
    assert stated == [("E9501", "HasCert is true)"), ("I9513", "HasCert is false)")]
    assert "the listener names no certificate" in run.findings[1]["message"]


def test_resource_condition_false_removes_the_resource(lint):
    text = rest_path(parameters="Env: {Type: String, Default: dev}", conditions="IsProd: !Equals [!Ref Env, prod]")
    text = edit(text, {"  Link:\n    Type: AWS::ApiGateway::VpcLink\n":
                       "  Link:\n    Type: AWS::ApiGateway::VpcLink\n    Condition: IsProd\n"})
    _, run = lint(text)
    finding, = run.findings
    assert finding["rule"] == "I9513" and "'Link' is not among the scanned resources" in finding["message"]


def test_no_value_removes_a_property(lint):
    _, run = lint(rest_path(
        parameters="Env: {Type: String, Default: prod}",
        conditions="IsDev: !Equals [!Ref Env, dev]",
        extra="""
        Certificate2:
          Type: AWS::CertificateManager::Certificate
          Properties:
            DomainName: api.example.com
            CertificateAuthorityArn: !If [IsDev, arn:aws:acm-pca:eu-west-1:1:certificate-authority/x, !Ref AWS::NoValue]
        """,
        certificate="!Ref Certificate2"))
    assert run.findings == []


def test_unsupported_intrinsic_is_unknown(lint):
    _, run = lint(rest_path(port="!Length [[1, 2]]"))
    finding, = run.findings
    assert finding["rule"] == "I9513" and "Fn::Length is not evaluated" in finding["message"]


@pytest.mark.parametrize("targets, said", [
    ("[!GetAtt [[Nlb], Arn]]", "malformed Fn::GetAtt: the resource is a list, not a logical id"),
    ("[!GetAtt [{Nlb: x}, Arn]]", "malformed Fn::GetAtt: the resource is a mapping, not a logical id"),
    ("[!GetAtt Nlb]", "malformed Fn::GetAtt: 'Nlb' is not a resource and an attribute"),
    ("[!Ref [Nlb]]", "malformed Ref: it names a list, not a parameter or resource"),
    ("[!Base64 [a]]", "malformed Fn::Base64: the text is a list, not a string"),
    ("[!If [[IsProd], a, b]]", "malformed Fn::If: the condition is a list, not a condition name"),
    ("[!If [Undeclared, a, b]]", "Fn::If on condition 'Undeclared', which the template does not declare"),
    ("[!Select [[0], [a]]]", "malformed Fn::Select: the index is a list, not a whole number"),
    ("[!Select ['-1', [a]]]", "malformed Fn::Select: the index '-1' is not a whole number of 0 or more"),
    ("[!Select [0, a]]", "malformed Fn::Select: the list is 'a', not a list"),
    ("[!Join [[], [a]]]", "malformed Fn::Join: the delimiter is an empty list, not a string"),
    ("[!Split [',', [a]]]", "malformed Fn::Split: the text is a list, not a string"),
    ("[!Sub [a, b]]", "malformed Fn::Sub: its list form holds the text and a mapping of variables"),
    ("[!FindInMap [M, [k], v]]", "malformed Fn::FindInMap: the key is a list, not a string"),
    ("[!ImportValue [x]]", "malformed Fn::ImportValue: the name is a list, not a string"),
    ("[[!Ref Nlb]]", "the load balancer is given as a list, not as one resource"),
])
def test_malformed_intrinsic_is_an_unresolved_hop_at_its_line_naming_what_is_malformed(lint, targets, said):
    """An intrinsic CloudFormation rejects is no internal error that loses the file: the hop it feeds is
    unresolved, at the line it is written on, in the template's own terms."""
    path, run = lint(rest_path(conditions="IsProd: !Equals [!Ref AWS::Region, eu-west-1]", link_targets=targets))
    finding, = run.findings
    assert finding["rule"] == "I9513" and said in finding["message"], finding["message"]
    assert finding["line"] == line_of(path, "TargetArns:") and run.err == ""
    assert leaked(finding["message"] + finding["fix"]) == []


def test_a_string_that_is_one_reference_is_that_reference(lint):
    _, run = lint(rest_path(link_targets="[!Sub '${Nlb.Arn}']", protocol="TCP"))
    assert run.ids() == ["W9502"]  # followed to the TCP listener, not "the load balancer '<...>' is not defined"


EXPORTED_NETWORK = """
    Resources:
      Link:
        Type: AWS::ApiGateway::VpcLink
        Properties: {Name: l, TargetArns: [!Ref Nlb]}
      Nlb:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties: {Type: network}
      Listener:
        Type: AWS::ElasticLoadBalancingV2::Listener
        Properties: {LoadBalancerArn: !Ref Nlb, Protocol: TCP, Port: 443}
    Outputs:
      LinkId:
        Value: !Ref Link
        Export: {Name: shared-link}
    """
IMPORTING_API = """
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
      Method:
        Type: AWS::ApiGateway::Method
        Properties:
          HttpMethod: GET
          Integration:
            Type: HTTP_PROXY
            ConnectionType: VPC_LINK
            ConnectionId: !ImportValue shared-link
            Uri: https://api.example.com/
    """


def test_import_value_across_templates(tlspath, write):
    network = write("stacks/network.yaml", EXPORTED_NETWORK)
    api = write("stacks/api.yaml", IMPORTING_API)
    run = tlspath(api.parent, "--format", "json")
    finding, = run.findings
    assert finding["rule"] == "W9502" and finding["file"] == str(network)
    assert [(s["role"], s["file"]) for s in finding["trace"]][:2] == [("integration", str(api)), ("vpc_link", str(network))]
    alone = tlspath(api, "--format", "json")
    assert alone.ids() == ["I9513"] and "no scanned template exports 'shared-link'" in alone.findings[0]["message"]


def test_an_import_in_a_nested_stack_resolves_against_templates_read_after_its_parent(tlspath, write, tmp_path):
    """Templates are built one at a time as they are read; a parent whose own text imports nothing, but whose
    nested stack does, still waits for the exports of every template in the run (the exporter here is read
    last)."""
    write("app/a-parent.yaml", """
        Resources:
          Api:
            Type: AWS::CloudFormation::Stack
            Properties: {TemplateURL: ./nested/api.yaml}
        """)
    child = write("app/nested/api.yaml", IMPORTING_API)
    network = write("app/z-network.yaml", EXPORTED_NETWORK)
    run = tlspath(tmp_path / "app", "--format", "json")
    finding, = run.findings
    assert finding["rule"] == "W9502" and finding["file"] == str(network)
    assert [(s["role"], s["file"]) for s in finding["trace"]][:2] == [("integration", str(child)),
                                                                     ("vpc_link", str(network))]
    assert run.report["errors"] == [] and run.report["summary"]["files"] == 3


NETWORK_BY_ENVIRONMENT = """
    Parameters:
      Environment: {Type: String}
    Resources:
      Link:
        Type: AWS::ApiGateway::VpcLink
        Properties: {Name: l, TargetArns: [!Ref Nlb]}
      Nlb:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties: {Type: network}
    Outputs:
      LinkId:
        Value: !Ref Link
        Export: {Name: !Sub "network-${Environment}-vpc-link"}
    """
API_BY_ENVIRONMENT = """
    Parameters:
      Environment: {Type: String%s}
    Resources:
      Method:
        Type: AWS::ApiGateway::Method
        Properties:
          HttpMethod: GET
          Integration:
            Type: HTTP_PROXY
            ConnectionType: VPC_LINK
            ConnectionId: {"Fn::ImportValue": !Sub "network-${Environment}-vpc-link"}
            Uri: https://api.example.com/
    """


def test_an_import_of_a_name_only_known_at_deploy_time_names_what_decides_it(tlspath, write):
    write("stacks/network.yaml", NETWORK_BY_ENVIRONMENT)
    api = write("stacks/api.yaml", API_BY_ENVIRONMENT % "")
    finding, = tlspath(api.parent, "--format", "json").findings
    assert finding["rule"] == "I9513" and finding["line"] == line_of(api, "ConnectionId")
    assert finding["message"].endswith("Fn::ImportValue of a name only known at deploy time (parameter 'Environment' "
                                       "has no Default)")
    assert "give parameter 'Environment' a Default" in finding["fix"]


def test_an_export_named_after_a_value_only_known_at_deploy_time_is_named_not_taken(tlspath, write):
    network = write("stacks/network.yaml", NETWORK_BY_ENVIRONMENT)
    api = write("stacks/api.yaml", API_BY_ENVIRONMENT % ", Default: dev")
    finding, = tlspath(api.parent, "--format", "json").findings
    assert finding["rule"] == "I9513"
    assert finding["message"].endswith(
        f"no scanned template certainly exports 'network-dev-vpc-link': {network} exports "
        "'network-${Environment}-vpc-link', whose name is only known at deploy time (parameter 'Environment' has no "
        "Default)")
    assert finding["fix"].startswith(f"in {network}: give parameter 'Environment' a Default")


def test_condition_cycle_is_an_input_error(lint):
    path, run = lint(rest_path(conditions="A: !Condition B\nB: !Condition A", protocol="!If [A, TLS, TCP]"))
    assert run.code == 2
    assert run.report["errors"] == [{"file": str(path), "line": None, "message": "condition 'A' refers to itself"}]


def test_import_value_of_a_stack_named_export(tlspath, write):
    write("stacks/network.yaml", edit(EXPORTED_NETWORK, {
        "Export: {Name: shared-link}": 'Export: {Name: !Sub "${AWS::StackName}-VpcLinkId"}'}))
    api = write("stacks/api.yaml", """
        Parameters:
          NetworkStack: {Type: String, Default: shared-network}
        Resources:
          Method:
            Type: AWS::ApiGateway::Method
            Properties:
              HttpMethod: GET
              Integration:
                Type: HTTP_PROXY
                ConnectionType: VPC_LINK
                ConnectionId: {"Fn::ImportValue": !Sub "${NetworkStack}-VpcLinkId"}
                Uri: https://api.example.com/
        """)
    assert tlspath(api.parent, "--format", "json").ids() == ["W9502"]
    write("stacks/network-copy.yaml", (api.parent / "network.yaml").read_text())
    run = tlspath(api.parent, "--format", "json")
    assert run.ids() == ["I9513"] and "several templates" in run.findings[0]["message"]


NESTED_NETWORK = """
    Parameters:
      ListenerProtocol: {Type: String, Default: TLS}
    Resources:
      Nlb:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties: {Type: network}
      Listener:
        Type: AWS::ElasticLoadBalancingV2::Listener
        Properties: {LoadBalancerArn: !Ref Nlb, Protocol: !Ref ListenerProtocol, Port: 443}
      Link:
        Type: AWS::ApiGateway::VpcLink
        Properties: {Name: l, TargetArns: [!Ref Nlb]}
    Outputs:
      LinkId: {Value: !Ref Link}
    """


@pytest.mark.parametrize("kind,location", [("AWS::CloudFormation::Stack", "TemplateURL"),
                                           ("AWS::Serverless::Application", "Location")])
def test_nested_stack_outputs_and_parameters(tlspath, write, kind, location):
    network = write("app/nested/network.yaml", NESTED_NETWORK)
    parent = write("app/main.yaml", f"""
        Resources:
          Network:
            Type: {kind}
            Properties:
              {location}: ./nested/network.yaml
              Parameters: {{ListenerProtocol: TCP}}
          Method:
            Type: AWS::ApiGateway::Method
            Properties:
              HttpMethod: GET
              Integration:
                Type: HTTP_PROXY
                ConnectionType: VPC_LINK
                ConnectionId: !GetAtt Network.Outputs.LinkId
                Uri: https://api.example.com/
        """)
    run = tlspath(parent, "--format", "json")
    finding, = run.findings  # the parent passes TCP: TLS passes through (W9502), in the nested template
    assert finding["rule"] == "W9502" and finding["file"] == str(network)
    assert [s["file"] for s in finding["trace"]] == [str(parent)] + [str(network)] * 3


NESTED_API = """
    Parameters:
      NlbArn: {Type: String}
    Resources:
      Link:
        Type: AWS::ApiGateway::VpcLink
        Properties: {Name: l, TargetArns: [!Ref NlbArn]}
      Method:
        Type: AWS::ApiGateway::Method
        Properties:
          HttpMethod: GET
          Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "https://api.example.com/"}
      Key:
        Type: AWS::IAM::ServerCertificate
        Properties:
          PrivateKey: |
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEA39vikF/N1QaI2kMSWbGJq+NnR4Wce9Od871BPmk9PNRIrewR
            -----END RSA PRIVATE KEY-----
    """
API_PARENT = """
    Resources:
      Nlb:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties: {Type: network}
      Listener:
        Type: AWS::ElasticLoadBalancingV2::Listener
        Properties: {LoadBalancerArn: !Ref Nlb, Protocol: TCP, Port: 443}
      Api:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: ./stacks/api.yaml
          Parameters: {NlbArn: !Ref Nlb}
    """


def test_a_nested_child_its_parent_reaches_is_judged_through_the_parent_only(tlspath, write, tmp_path):
    """No second analysis of the child alone, where the parameters its parent passes are missing; it still
    counts as a scanned file, and what does not depend on its parameters (a private key) is reported once."""
    child = write("app/stacks/api.yaml", NESTED_API)
    parent = write("app/main.yaml", API_PARENT)
    run = tlspath(tmp_path / "app", "--format", "json")
    assert sorted((f["rule"], f["file"]) for f in run.findings) == [("E9512", str(child)), ("W9502", str(parent))]
    assert run.report["summary"]["files"] == 2 and run.report["summary"]["paths"] == 1
    alone = tlspath(child, "--format", "json")  # a child nobody reaches is analysed on its own, as before
    assert alone.ids() == ["E9512", "I9513"]
    assert any("parameter 'NlbArn' has no Default" in f["message"] for f in alone.findings)


def test_templates_nesting_each_other_are_each_analysed_once(tlspath, write, tmp_path):
    write("app/stacks/api.yaml", edit(NESTED_API, {"    Resources:\n": "    Resources:\n      Back:\n        Type: "
                                                   "AWS::CloudFormation::Stack\n        Properties: {TemplateURL: "
                                                   "../main.yaml}\n"}))
    write("app/main.yaml", API_PARENT)
    run = tlspath(tmp_path / "app", "--format", "json")
    assert run.ids() == ["E9512", "W9502"] and run.report["errors"] == []


def test_nested_stack_outside_the_tree_or_in_s3_is_a_gap(tlspath, write):
    write("nested/network.yaml", NESTED_NETWORK)
    for where, reason in (("../nested/network.yaml", "outside the scanned tree"),
                          ("https://s3.amazonaws.com/b/network.yaml", "not in the scanned files")):
        parent = write("app/main.yaml", f"""
            Resources:
              Network:
                Type: AWS::CloudFormation::Stack
                Properties: {{TemplateURL: "{where}"}}
              Method:
                Type: AWS::ApiGateway::Method
                Properties:
                  HttpMethod: GET
                  Integration: {{Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !GetAtt Network.Outputs.LinkId, Uri: "https://api.example.com/"}}
            """)
        run = tlspath(parent, "--format", "json")
        assert run.ids() == ["I9513"] and reason in run.findings[0]["message"]


GENERIC_SUPPLY = "Supply the missing value"  # I9513's own fix: what a gap says when it cannot say better


def test_a_stack_that_nests_itself_says_how_to_end_the_loop(tlspath, write):
    parent = write("app/main.yaml", """
        Resources:
          Network:
            Type: AWS::CloudFormation::Stack
            Properties: {TemplateURL: ./main.yaml}
          Method:
            Type: AWS::ApiGateway::Method
            Properties:
              HttpMethod: GET
              Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !GetAtt Network.Outputs.LinkId, Uri: "https://api.example.com/"}
        """)
    finding, = tlspath(parent, "--format", "json").findings
    assert finding["rule"] == "I9513" and "nests itself" in finding["message"]
    assert not finding["fix"].startswith(GENERIC_SUPPLY) and "TemplateURL" in finding["fix"], finding["fix"]


def test_a_tls_listener_without_a_certificate_is_told_to_name_one(lint):
    text = edit(rest_path(), {"      Certificates:\n        - CertificateArn: !Ref Certificate\n": ""})
    _, run = lint(text)
    finding, = (f for f in run.findings if f["rule"] == "I9513")
    assert "the listener names no certificate" in finding["message"]
    assert not finding["fix"].startswith(GENERIC_SUPPLY) and "certificate" in finding["fix"], finding["fix"]


def test_many_undecided_conditions_in_one_string_do_not_explode(lint):
    conditions = "\n".join(f"C{i}: !Equals [!Ref P, v{i}]" for i in range(24))
    parts = ", ".join(f"!If [C{i}, a, b]" for i in range(24))
    _, run = lint(rest_path(parameters="P: {Type: String}", conditions=conditions,
                            extra=f"""
        Named:
          Type: AWS::ApiGateway::RestApi
          Properties:
            Name: !Join ["", [{parts}]]
        """))
    assert run.findings == []  # finishes (seconds would mean exponential growth); the name is simply unknown


def test_a_uri_built_on_more_conditions_than_followed_keeps_the_verdict_that_holds_whatever_they_are(lint):
    """Seven undecided !Ifs in the URI host: the host is not followed (one path, one I9513 that says why, not one
    per combination), and the self-signed backend behind a TCP listener is an error whatever the host is."""
    text = (SAMPLES / "cloudformation/bad/e9501-tcp-to-self-signed-backend.yaml").read_text()
    host = ", ".join(f"!If [C{i}, a{i}, b{i}]" for i in range(7))
    text = edit(text, {
        "Parameters:\n": "Parameters:\n" + "".join(f"  P{i}: {{Type: String}}\n" for i in range(7)),
        "Resources:\n": "Conditions:\n" + "".join(f"  C{i}: !Equals [!Ref P{i}, 'yes']\n" for i in range(7))
                        + "Resources:\n",
        "Uri: https://orders.internal.example.com/orders": f"Uri: !Join ['', ['https://', {host}, '.example.com/']]"})
    _, run = lint(text)
    assert run.ids() == ["E9501", "I9513"] and run.report["summary"]["paths"] == 1
    assert not any("(when" in f["message"] for f in run.findings)
    gap, = (f["message"] for f in run.findings if f["rule"] == "I9513")
    assert "7 undecided conditions (C0, C1, C2, C3, ...)" in gap and "host name" in gap, gap


def test_conditional_sni_certificates_for_other_names_do_not_fork_the_path(lint):
    """Seven SNI certificates, each on the listener under its own condition, none for the verified host: whether
    each is there changes nothing API Gateway is shown, so the walk does not fork 2^7 times (past the cap);
    one that may be shown still forks."""
    extra = "".join(f"""
        Other{i}:
          Type: AWS::CertificateManager::Certificate
          Properties: {{DomainName: other{i}.example.org, ValidationMethod: DNS}}
        Sni{i}:
          Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
          Condition: C{i}
          Properties: {{ListenerArn: !Ref Listener, Certificates: [{{CertificateArn: !Ref Other{i}}}]}}
        """ for i in range(7))
    conditions = "\n".join(f"C{i}: !Equals [!Ref P{i}, 'yes']" for i in range(8))
    parameters = "\n".join(f"P{i}: {{Type: String}}" for i in range(8))
    _, run = lint(rest_path(parameters=parameters, conditions=conditions, extra=extra))
    assert run.findings == [] and run.report["summary"]["paths"] == 1
    _, run = lint(rest_path(parameters=parameters, conditions=conditions, extra=extra + """
        Private:
          Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
          Condition: C7
          Properties: {ListenerArn: !Ref Listener, Certificates: [{CertificateArn: !Ref PrivateCertificate}]}
        """))
    finding, = run.findings  # the private certificate covers the host: shown when it is there
    assert finding["rule"] == "E9501" and finding["message"].endswith("(when C7 is true)")
    assert run.report["summary"]["paths"] == 2


def test_no_error_past_an_unresolved_default_certificate(lint):
    """The default certificate is unknown: an SNI certificate must not be judged in its place."""
    _, run = lint(rest_path(parameters="DefaultCertificate: {Type: String}", certificate="!Ref DefaultCertificate",
                            extra="""
        Sni:
          Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
          Properties: {ListenerArn: !Ref Listener, Certificates: [{CertificateArn: !Ref PrivateCertificate}]}
        """))
    assert run.ids() == ["I9513"] and "DefaultCertificate" in run.findings[0]["message"]


def test_no_error_while_skip_verification_is_unknown(lint):
    body = """
    Spec:
      Type: AWS::ApiGateway::RestApi
      Properties:
        Body:
          paths:
            /x:
              get:
                x-amazon-apigateway-integration:
                  type: http_proxy
                  connectionType: VPC_LINK
                  connectionId: !Ref Link
                  uri: https://api.example.com/x
                  tlsConfig: {insecureSkipVerification: !Ref Skip}
    """
    _, run = lint(rest_path(parameters="Skip: {Type: String}", certificate="!Ref PrivateCertificate", extra=body))
    by_rule = {f["rule"] for f in run.findings if f["resource"].startswith("Spec")}
    assert by_rule == {"I9513"}  # E9501 would claim an error the unknown flag may excuse


@pytest.mark.parametrize("order", ["public-first", "private-first"])
def test_a_conditional_certificate_authority_is_judged_on_its_own_branch(lint, order):
    branches = ["!Ref AWS::NoValue", "arn:aws:acm-pca:eu-west-1:1:certificate-authority/x"]
    if order == "private-first":
        branches.reverse()
    _, run = lint(rest_path(
        parameters="Env: {Type: String}", conditions="IsProd: !Equals [!Ref Env, prod]", certificate="!Ref Conditional",
        extra=f"""
        Conditional:
          Type: AWS::CertificateManager::Certificate
          Properties:
            DomainName: api.example.com
            CertificateAuthorityArn: !If [IsProd, {branches[0]}, {branches[1]}]
        """))
    finding, = run.findings
    private_when = "false" if order == "public-first" else "true"
    assert finding["rule"] == "E9501" and finding["message"].endswith(f"(when IsProd is {private_when})")
    assert "ACM private-CA certificate 'Conditional'" in finding["message"]


# ----------------------------------------------------------------------------------- values read at deploy time


@pytest.mark.parametrize("uri, named", [
    ('"https://{{resolve:ssm:/payments/api-host}}/{proxy}"', "the SSM parameter '/payments/api-host'"),
    ('"https://{{resolve:ssm:/payments/api-host:3}}/"', "the SSM parameter '/payments/api-host' (version 3)"),
    ('!Sub "https://{{resolve:ssm:/payments/api-host}}/${AWS::Region}"', "the SSM parameter '/payments/api-host'"),
    ('!Join ["", ["https://", "{{resolve:ssm-secure:/payments/host:2}}", "/"]]',
     "the SecureString SSM parameter '/payments/host' (version 2)"),
    ('"https://{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-AbCdEf:SecretString:'
     'host}}/"', "the Secrets Manager secret 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-AbCdEf'"),
    ('"https://{{resolve:secretsmanager:api:SecretString:host}}/"', "the Secrets Manager secret 'api'"),
])
def test_a_dynamic_reference_is_a_value_known_at_deploy_time(lint, uri, named):
    """{{resolve:...}} is never literal text: the host is unknown, said once, and no error is claimed on it."""
    _, run = lint(rest_path(uri=uri))
    finding, = run.findings
    assert finding["rule"] == "I9513" and "cannot resolve the host name" in finding["message"]
    assert f"the value comes from {named}, which CloudFormation reads when the stack is deployed" in finding["message"]
    assert "to check this hop, write the value in the template" in finding["fix"]


@pytest.mark.parametrize("property_", ["certificate", "link_targets"])
def test_a_dynamic_reference_for_a_resource_is_not_a_resource_missing_from_the_scan(lint, property_):
    value = "'{{resolve:ssm:/network/arn}}'" if property_ == "certificate" else "['{{resolve:ssm:/network/arn}}']"
    _, run = lint(rest_path(**{property_: value}))
    finding, = run.findings
    assert finding["rule"] == "I9513" and "the SSM parameter '/network/arn'" in finding["message"]
    assert "scanned files" not in finding["message"] + finding["fix"]


def test_names_built_from_one_dynamic_reference_compare_as_written(lint):
    _, run = lint(rest_path(uri='"https://api.{{resolve:ssm:/zone}}/"', certificate="!Ref ZoneCertificate", extra="""
        ZoneCertificate:
          Type: AWS::CertificateManager::Certificate
          Properties: {DomainName: "*.{{resolve:ssm:/zone}}", ValidationMethod: DNS}
        """))
    assert run.findings == []


@pytest.mark.parametrize("kind", ["AWS::SSM::Parameter::Value<String>", "AWS::SSM::Parameter::Value<List<String>>"])
def test_a_parameter_of_an_ssm_type_is_the_value_of_the_ssm_parameter_its_default_names(lint, kind):
    """Its Default is the name of the SSM parameter, never the value."""
    _, run = lint(rest_path(parameters=f"Host: {{Type: '{kind}', Default: /payments/api-host}}",
                            uri='!Sub "https://${Host}/"'))
    finding, = run.findings
    assert finding["rule"] == "I9513"
    assert ("parameter 'Host' is the value of the SSM parameter '/payments/api-host', which CloudFormation reads when "
            "the stack is deployed") in finding["message"]
    assert "pass --parameter Host=VALUE with the value it holds" in finding["fix"]


def test_a_nested_stack_gives_an_ssm_typed_parameter_the_name_of_the_ssm_parameter(tlspath, write, tmp_path):
    write("child.yaml", rest_path(parameters="Host: {Type: 'AWS::SSM::Parameter::Value<String>'}",
                                  uri='!Sub "https://${Host}/"'))
    write("parent.yaml", """\
        Resources:
          Child:
            Type: AWS::CloudFormation::Stack
            Properties:
              TemplateURL: ./child.yaml
              Parameters: {Host: /payments/api-host}
        """)
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and "the SSM parameter '/payments/api-host'" in finding["message"]
