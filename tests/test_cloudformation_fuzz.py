"""Property test: whatever shape a template's values take, analysis ends with findings or input errors,
never an exception. Real templates put intrinsics, lists, nulls and numbers where nobody expects them."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import leaked, said_by
from linter.engine import analyse
from linter.model import Unknown
from linter.parse.cloudformation import TemplateDocument, build_models
from linter.parse.intrinsics import _FUNCTIONS, Evaluator
from linter.rule import Settings
from linter.rules import catalogue

NAMES = ["Api", "Method", "Link", "LinkV2", "Nlb", "Alb", "Listener", "Tg", "Cert", "Asg", "Lt", "Svc", "Task", "Nope"]
TYPES = ["AWS::ApiGateway::Method", "AWS::ApiGateway::RestApi", "AWS::Serverless::Api", "AWS::ApiGateway::VpcLink",
         "AWS::ApiGatewayV2::VpcLink", "AWS::ApiGatewayV2::Integration", "AWS::ElasticLoadBalancingV2::LoadBalancer",
         "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerCertificate",
         "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::CertificateManager::Certificate",
         "AWS::IAM::ServerCertificate", "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::LaunchTemplate",
         "AWS::EC2::Instance", "AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::CloudFormation::Stack"]
KEYS = ["Integration", "Type", "ConnectionType", "ConnectionId", "Uri", "IntegrationTarget", "TargetArns",
        "LoadBalancerArn", "Protocol", "Port", "Certificates", "CertificateArn", "DefaultActions", "TargetGroupArn",
        "ForwardConfig", "TargetGroups", "Targets", "Id", "TargetType", "IntegrationUri", "TlsConfig",
        "ServerNameToVerify", "DomainName", "CertificateAuthorityArn", "UserData", "LaunchTemplate",
        "LaunchTemplateId", "TargetGroupARNs", "LoadBalancers", "TaskDefinition", "ContainerDefinitions", "Command",
        "Body", "paths", "x-amazon-apigateway-integration", "tlsConfig", "CertificateBody", "ListenerArn",
        "SslPolicy", "HealthCheckProtocol", "TemplateURL", "Parameters"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.sampled_from(
    ["VPC_LINK", "TCP", "TLS", "HTTPS", "HTTP", "UDP", "alb", "network", "https://api.example.com:8443/x",
     "http://x", "${stageVariables.id}", "arn:aws:acm:eu-west-1:1:certificate/x", "*.example.com", "",
     "openssl req -x509", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "./missing.yaml"]),
    st.text(max_size=8))


def intrinsic(children):
    name = st.sampled_from(NAMES)
    return st.one_of(
        st.builds(lambda n: {"Ref": n}, st.one_of(name, st.sampled_from(["AWS::Region", "AWS::NoValue", "P", "Q"]))),
        st.builds(lambda n, a: {"Fn::GetAtt": [n, a]}, name, st.sampled_from(["DNSName", "Arn", "Outputs.X", "Id"])),
        st.builds(lambda s: {"Fn::Sub": s}, st.sampled_from(["https://${Nlb.DNSName}/", "${P}", "${!x}", "${Nope.Y}"])),
        st.builds(lambda a, b: {"Fn::If": ["C", a, b]}, children, children),
        st.builds(lambda items: {"Fn::Join": ["", items]}, st.lists(children, max_size=3)),
        st.builds(lambda i, items: {"Fn::Select": [i, items]}, st.integers(-1, 3), st.lists(children, max_size=3)),
        st.builds(lambda x: {"Fn::Split": [",", x]}, children),
        st.builds(lambda k: {"Fn::FindInMap": ["M", k, "v"]}, children),
        st.builds(lambda x: {"Fn::ImportValue": x}, children),
        st.builds(lambda x: {"Fn::Base64": x}, children),
        st.builds(lambda x: {"Fn::Transform": x}, children),
    )


VALUES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=3),
    st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    intrinsic(children)), max_leaves=12)

TEMPLATES = st.fixed_dictionaries({
    "Parameters": st.fixed_dictionaries({"P": st.fixed_dictionaries({"Type": st.just("String")},
                                                                     optional={"Default": SCALARS}),
                                         "Q": st.just({"Type": "CommaDelimitedList", "Default": "a,b"})}),
    "Conditions": st.fixed_dictionaries({"C": st.one_of(VALUES, st.just({"Fn::Equals": [{"Ref": "P"}, "x"]}))}),
    "Mappings": st.just({"M": {"x": {"v": "TLS"}}}),
    "Resources": st.dictionaries(st.sampled_from(NAMES), st.fixed_dictionaries(
        {"Type": st.sampled_from(TYPES)}, optional={"Properties": VALUES, "Condition": st.sampled_from(["C", "Z"])}),
        min_size=1, max_size=8),
    "Outputs": st.dictionaries(st.sampled_from(["O1", "O2"]), st.fixed_dictionaries(
        {"Value": VALUES, "Export": st.fixed_dictionaries({"Name": VALUES})}), max_size=2),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEMPLATES)
def test_any_template_shape_is_analysed_without_exceptions(template):
    built = build_models([TemplateDocument("fuzz.yaml", template, None)])
    models, errors = built.models, built.errors
    assert not [e for e in errors if "internal error" in e.message], errors
    analysis = analyse(models, catalogue(), Settings(at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)))
    assert not [e for e in analysis.errors if "internal error" in e.message], analysis.errors


# ------------------------------------------------------------------------- intrinsics with malformed arguments

FUNCTIONS = sorted(_FUNCTIONS)
WORDS = st.sampled_from(["Nlb", "Nlb.Arn", "Nlb.Arn.Extra", "Stack.Outputs.X", "Arn", "P", "Q", "NoDefault", "M",
                         "k", "v", "IsProd", "Undeclared", "AWS::Region", "AWS::NoValue", "${Nlb.DNSName}", "${P}",
                         "${!x}", "${open", "a,b", ",", "", "0", "1", "-1", "x"])
ARGUMENT_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 5), st.floats(allow_nan=False,
                                                                                        allow_infinity=False), WORDS)


def arguments():
    """Argument shapes intrinsics meet in broken or unusual templates: any nesting of scalars, lists, mappings
    and intrinsics in any position."""
    return st.recursive(ARGUMENT_SCALARS, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(WORDS, st.sampled_from(FUNCTIONS)), inner, max_size=2),
        st.builds(lambda name, arg: {name: arg}, st.sampled_from(FUNCTIONS), inner)), max_leaves=8)


EVALUATED = {"Parameters": {"P": {"Type": "String", "Default": "x"}, "NoDefault": {"Type": "String"},
                            "Q": {"Type": "CommaDelimitedList", "Default": "a,b"}},
             "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "NoDefault"}, "prod"]}},
             "Mappings": {"M": {"k": {"v": "TLS"}}},
             "Resources": {"Nlb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
                           "Stack": {"Type": "AWS::CloudFormation::Stack"}}}


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(FUNCTIONS), arguments())
def test_malformed_intrinsics_are_unknowns_in_the_users_words(function, argument):
    """Every intrinsic, whatever its argument holds, evaluates to a value or an unknown -- no exception -- and
    nothing it says shows how tlspath represents values inside (``None``, ``['x']``, ``<file#Name.attr>``)."""
    evaluator = Evaluator(EVALUATED, lambda name: f"t.yaml#{name}", lambda kind: "arn",
                          lambda name: Unknown(f"no scanned template exports '{name}'"),
                          lambda stack, output: Unknown(f"output {output} of nested stack '{stack}'"))
    for template in ({function: argument}, {"Fn::If": ["IsProd", {function: argument}, "x"]}):
        said = [text for text in said_by(evaluator.value(template)) if text]
        assert [leak for text in said for leak in leaked(text)] == [], said
