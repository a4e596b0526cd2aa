"""HTTP API reusable integrations (redteam R6-18): a route's ``x-amazon-apigateway-integration: {$ref:
"#/components/x-amazon-apigateway-integrations/NAME"}`` is that component ("You can define integrations in the
components section of your OpenAPI definition, and reuse the integrations for multiple routes", API Gateway's
x-amazon-apigateway-integrations object) -- in every body form, since one OpenAPI reader serves them all. A
reference that leads nowhere is an I9513 at the route, never a route dropped in silence."""

from __future__ import annotations

import textwrap

import pytest

from conftest import edit, line_of

COMPONENT = "#/components/x-amazon-apigateway-integrations/orders"
ROUTES = f"""\
openapi: "3.0.1"
info: {{title: orders, version: "1.0"}}
paths:
  /orders:
    get:
      x-amazon-apigateway-integration:
        $ref: "{COMPONENT}"
    post:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/writes"
components:
  x-amazon-apigateway-integrations:
    writes:
      $ref: "{COMPONENT}"
    orders:
      type: http_proxy
      httpMethod: ANY
      connectionType: VPC_LINK
      connectionId: {{Ref: Link}}
      uri: {{Ref: Https}}
      payloadFormatVersion: "1.0"
      tlsConfig:
        serverNameToVerify: api.other.com
"""
NETWORK = """\
  Link:
    Type: AWS::ApiGatewayV2::VpcLink
    Properties: {Name: l, SubnetIds: [subnet-1]}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
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
HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n'


def http_api(definition: str) -> str:
    """A SAM HTTP API whose ``DefinitionBody`` is ``definition`` (a body, or an ``Fn::Transform``)."""
    return (HEADER + "  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionBody:\n"
            + textwrap.indent(definition, " " * 8) + NETWORK)


def mismatches(run) -> list[tuple[str, str, int]]:
    return sorted((f["rule"], f["resource"], f["line"]) for f in run.findings)


def test_a_route_takes_the_integration_its_ref_names_in_an_inline_body(tlspath, write):
    template = write("template.yaml", http_api(ROUTES))
    run = tlspath(template, "--format", "json")
    verified = line_of(template, "serverNameToVerify")  # both routes (one through a chain): the component's line
    assert mismatches(run) == [("E9503", "Api GET /orders", verified), ("E9503", "Api POST /orders", verified)]
    finding = run.findings[0]
    assert finding["level"] == "error" and finding["trace"][0]["line"] == line_of(template, "get:") + 1
    assert finding["fix"].startswith("Set serverNameToVerify to a name a certificate of listener 'Https' covers")
    assert run.code == 1 and run.report["summary"]["paths"] == 2


def test_a_ref_in_an_included_definition_resolves_in_that_file(tlspath, write, tmp_path):
    spec = write("api/openapi.yaml", ROUTES)
    template = write("api/template.yaml", http_api(
        "Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./openapi.yaml}}\n"))
    run = tlspath(template.parent, "--format", "json")
    verified = line_of(spec, "serverNameToVerify")
    assert [(f["rule"], f["file"], f["line"]) for f in run.findings] == [("E9503", str(spec), verified)] * 2


def test_a_ref_in_a_terraform_body_resolves(tlspath, write, tmp_path):
    main = write("main.tf", '''
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/orders" = {
        get = {
          "x-amazon-apigateway-integration" = {
            "$ref" = "#/components/x-amazon-apigateway-integrations/orders"
          }
        }
      }
    }
    components = {
      "x-amazon-apigateway-integrations" = {
        orders = {
          type           = "http_proxy"
          uri            = aws_lb_listener.https.arn
          connectionType = "VPC_LINK"
          connectionId   = aws_apigatewayv2_vpc_link.v2.id
          tlsConfig = {
            serverNameToVerify = "api.other.com"
          }
        }
      }
    }
  })
}

resource "aws_apigatewayv2_vpc_link" "v2" {
  name       = "v2"
  subnet_ids = ["subnet-1"]
}

resource "aws_lb" "alb" {
  internal = true
}

resource "aws_acm_certificate" "cert" {
  domain_name       = "*.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "cert" {
  certificate_arn = aws_acm_certificate.cert.arn
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.alb.arn
  protocol          = "HTTPS"
  port              = 443
  certificate_arn   = aws_acm_certificate_validation.cert.certificate_arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }
}

resource "aws_lb_target_group" "tg" {
  protocol    = "HTTP"
  port        = 8080
  target_type = "ip"
}
''')
    run = tlspath(tmp_path, "--format", "json")
    assert [(f["rule"], f["resource"], f["line"]) for f in run.findings] == [
        ("E9503", "aws_apigatewayv2_api.api GET /orders", line_of(main, "serverNameToVerify"))]


UNRESOLVED = [
    ("#/components/x-amazon-apigateway-integrations/order",
     "its integration is $ref '#/components/x-amazon-apigateway-integrations/order', which names no integration "
     "of the definition (components.x-amazon-apigateway-integrations has: writes, orders)",
     "define 'order' under components.x-amazon-apigateway-integrations, or reference an integration defined there"),
    ("shared.yaml#/components/x-amazon-apigateway-integrations/orders",
     "its integration is $ref 'shared.yaml#/components/x-amazon-apigateway-integrations/orders', which is no "
     "#/components/x-amazon-apigateway-integrations/NAME of this definition; tlspath reads no other document",
     "define the integration under components.x-amazon-apigateway-integrations of this definition and reference it "
     "there, or write it in the route"),
    ("#/components/x-amazon-apigateway-integrations/writes",
     "its integration is $ref '#/components/x-amazon-apigateway-integrations/writes', which leads back to itself "
     "(#/components/x-amazon-apigateway-integrations/writes -> #/components/x-amazon-apigateway-integrations/writes)",
     "point the reference at an integration written out"),
]


@pytest.mark.parametrize("ref,reason,fix", UNRESOLVED, ids=["missing-name", "other-document", "cycle"])
def test_a_ref_that_leads_nowhere_is_an_i9513_at_the_route(tlspath, write, ref, reason, fix):
    body = edit(ROUTES, {'$ref: "#/components/x-amazon-apigateway-integrations/writes"': f'$ref: "{ref}"'})
    if ref.endswith("/writes"):  # the component refers to itself
        body = edit(body, {f'    writes:\n      $ref: "{COMPONENT}"': f'    writes:\n      $ref: "{ref}"'})
    template = write("template.yaml", http_api(body))
    run = tlspath(template, "--format", "json")
    gap, = (f for f in run.findings if f["resource"] == "Api POST /orders")
    assert (gap["rule"], gap["level"], gap["line"]) == ("I9513", "info", line_of(template, "post:") + 1)
    assert (gap["message"], gap["fix"]) == (f"'Api POST /orders': {reason}", fix)
    assert mismatches(run) == [("E9503", "Api GET /orders", line_of(template, "serverNameToVerify")),
                               ("I9513", "Api POST /orders", gap["line"])]


def test_a_rest_api_route_with_a_ref_is_not_taken_for_the_component(tlspath, write):
    """API Gateway documents reusable integrations for HTTP APIs only: what a REST API's route gets is unknown."""
    template = write("template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Api:\n'
                     "    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n"
                     + textwrap.indent(ROUTES, " " * 8) + NETWORK)
    run = tlspath(template, "--format", "json")
    assert sorted((f["rule"], f["line"]) for f in run.findings) == [
        ("I9513", line_of(template, "get:") + 1), ("I9513", line_of(template, "post:") + 1)]
    assert "API Gateway documents reusable integrations (x-amazon-apigateway-integrations) for HTTP APIs only" in \
        run.findings[0]["message"]
    assert run.code == 0


def test_a_long_chain_of_refs_is_followed_without_recursion(tlspath, write):
    chain = "".join(f'    step{n}:\n      $ref: "#/components/x-amazon-apigateway-integrations/step{n + 1}"\n'
                    for n in range(3000))
    body = edit(ROUTES, {'$ref: "#/components/x-amazon-apigateway-integrations/writes"':
                         '$ref: "#/components/x-amazon-apigateway-integrations/step0"',
                         "  x-amazon-apigateway-integrations:\n": "  x-amazon-apigateway-integrations:\n" + chain
                         + '    step3000:\n      $ref: "#/components/x-amazon-apigateway-integrations/orders"\n'})
    template = write("template.yaml", http_api(body))
    run = tlspath(template, "--format", "json")
    assert mismatches(run) == [("E9503", "Api GET /orders", line_of(template, "serverNameToVerify")),
                               ("E9503", "Api POST /orders", line_of(template, "serverNameToVerify"))]
