"""Terraform's JSON syntax (``.tf.json``, ``.tfvars.json``, CDK for Terraform's ``cdk.tf.json``): the same
model and the same findings as the native syntax, pointing at the JSON lines.

Most scenarios are written once in HCL and converted to JSON syntax with python-hcl2 (:func:`as_json`, the
shape Terraform's "JSON Configuration Syntax" describes: arrays at each block level), so every one of them
is checked in both syntaxes."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SAMPLES, line_of
from terraform_snippets import (
    SELF_SIGNING_SCRIPT,
    acm_certificate,
    clean_rest_path,
    instance,
    nlb,
    pass_through_path,
    rest_integration,
    tcp_listener,
    tls_listener,
    vpc_link,
)

BAD = SAMPLES / "terraform" / "bad"


def as_json(hcl: str) -> str:
    """An HCL configuration in Terraform's JSON syntax (for twins of HCL scenarios)."""
    import hcl2
    from hcl2 import SerializationOptions

    from linter.parse.terraform.hcl import heredoc_text

    options = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
    document = hcl2.loads(hcl, serialization_options=options)

    def plain(value):
        if isinstance(value, str) and value.startswith("<<"):
            return heredoc_text(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    document = plain(document)
    for block in document.get("variable", []):  # a variable's type is written as a type, not a template
        for body in block.values():
            if isinstance(body.get("type"), str):
                body["type"] = re.sub(r"^\$\{(.*)\}$", r"\1", body["type"])
    return json.dumps(document, indent=2)


def seen(run) -> list[tuple]:
    """What a finding says, whatever file and line it points at."""
    return sorted((f["rule"], f["level"], f["message"], f["resource"], tuple(s["resource"] for s in f["trace"]))
                  for f in run.findings)


SCENARIOS = {
    "clean path": clean_rest_path(),
    "pass-through to a self-signed backend": pass_through_path(),
    "port without listener": rest_integration(uri='"https://api.example.com:8443/"') + vpc_link() + nlb() +
    tls_listener() + acm_certificate(),
    "skipped verification": rest_integration(extra="  tls_config {\n    insecure_skip_verification = true\n  }") +
    vpc_link() + nlb() + tls_listener() + acm_certificate(domain="other.example.com"),
    "variables, locals and count": '''
variable "instances" {
  type    = number
  default = 2
}

locals {
  script = "openssl req -x509 -subj /CN=web"
}
''' + rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_instance" "web" {
  count     = var.instances
  ami       = "ami-0c1b2d3e4f5a6b7c8"
  user_data = count.index == 1 ? local.script : "echo plain"
}

resource "aws_lb_target_group_attachment" "web" {
  count            = length(aws_instance.web)
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = aws_instance.web[count.index].id
}
''',
    "for_each over a map": '''
variable "services" {
  type = map(object({ port = optional(number, 443) }))
  default = {
    orders  = {}
    billing = { port = 9443 }
  }
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_integration" "service" {
  for_each        = var.services
  rest_api_id     = aws_api_gateway_rest_api.api.id
  resource_id     = aws_api_gateway_rest_api.api.root_resource_id
  http_method     = "GET"
  type            = "HTTP_PROXY"
  uri             = "https://api.example.com:${each.value.port}/${each.key}"
  connection_type = "VPC_LINK"
  connection_id   = aws_api_gateway_vpc_link.link.id
}
''' + vpc_link() + nlb() + tls_listener() + acm_certificate(),
    "dynamic block": rest_integration() + vpc_link() + nlb() + '''
variable "forwards" {
  default = ["tg"]
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"

  dynamic "default_action" {
    for_each = var.forwards
    content {
      type             = "forward"
      target_group_arn = aws_lb_target_group.tg.arn
    }
  }
}

resource "aws_lb_target_group" "tg" {
  port     = 443
  protocol = "TCP"
}
''' + instance(SELF_SIGNING_SCRIPT),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_json_twin_gives_the_same_findings_as_hcl(tlspath, write, tmp_path, name):
    write("hcl/main.tf", SCENARIOS[name])
    write("json/main.tf.json", as_json(SCENARIOS[name]))
    hcl, twin = tlspath(tmp_path / "hcl", "--format", "json"), tlspath(tmp_path / "json", "--format", "json")
    assert twin.report["errors"] == [] and twin.code == hcl.code
    assert seen(twin) == seen(hcl)
    assert twin.report["summary"]["paths"] == hcl.report["summary"]["paths"] == 1 + (name == "for_each over a map")
    for finding in twin.findings:
        assert finding["file"].endswith("main.tf.json") and finding["line"]


def test_cdktf_stack_gives_the_findings_of_its_hcl_original(tlspath):
    cdktf = tlspath(BAD / "e9501-cdktf-tcp-to-self-signed-user-data", "--format", "json")
    hcl = tlspath(BAD / "e9501-tcp-to-self-signed-user-data" / "main.tf", "--format", "json")
    assert seen(cdktf) == seen(hcl) and len(cdktf.findings) == 2 and cdktf.code == 1
    stack = BAD / "e9501-cdktf-tcp-to-self-signed-user-data" / "cdktf.out" / "stacks" / "orders" / "cdk.tf.json"
    for finding in cdktf.findings:
        assert (finding["file"], finding["line"]) == (str(stack), line_of(stack, "openssl req -x509"))
        listener = next(s for s in finding["trace"] if s["role"] == "listener")
        assert (listener["file"], listener["line"]) == (str(stack), line_of(stack, '"aws_lb_listener"') + 1)
        assert 'Set "protocol": "TLS" on listener' in finding["fix"]  # the fix in the file's own syntax


def test_finding_points_at_the_json_line_of_the_value(tlspath, write, tmp_path):
    main = write("main.tf.json", as_json(SCENARIOS["skipped verification"]))
    finding = next(f for f in tlspath(tmp_path, "--format", "json").findings if f["rule"] == "W9510")
    assert (finding["file"], finding["line"]) == (str(main), line_of(main, "insecure_skip_verification"))


def test_a_module_mixes_native_and_json_files(tlspath, write, tmp_path):
    write("api.tf", rest_integration() + vpc_link())
    balancer = write("balancer.tf.json", as_json(nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT)))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["file"]) == ("E9501", str(balancer))
    assert run.report["summary"]["files"] == 2


def test_single_nested_block_object_and_comments(tlspath, write, tmp_path):
    """CDK for Terraform writes a block that occurs once as an object, and its metadata under "//"."""
    document = json.loads(as_json(clean_rest_path()))
    integration = document["resource"][1]["aws_api_gateway_integration"]["get"]
    integration["tls_config"] = {"insecure_skip_verification": True}
    integration["//"] = {"metadata": {"path": "stack/get", "uniqueId": "get"}}
    document["//"] = {"metadata": {"stackName": "stack"}}
    main = write("cdk.tf.json", json.dumps(document, indent=2))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["line"]) == ("W9510", line_of(main, "insecure_skip_verification"))


def test_comment_key_is_an_ordinary_key_inside_a_value(tlspath, write, tmp_path):
    document = json.loads(as_json(rest_integration(uri='"https://${local.hosts["//"]}/"') + vpc_link() + nlb() +
                                  tls_listener() + acm_certificate()))
    document["locals"] = {"hosts": {"//": "wrong.example.com"}}
    write("main.tf.json", json.dumps(document))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9503" and "verifies host 'wrong.example.com'" in finding["message"]


def test_variable_default_is_literal_text(tlspath, write, tmp_path):
    """A variable's default is a JSON value taken literally: "${" in it is text, not a template."""
    document = json.loads(as_json(rest_integration(uri='"https://${var.host}/"') + vpc_link() + nlb() +
                                  tls_listener() + acm_certificate()))
    document["variable"] = {"host": {"type": "string", "default": "${local.nothing}.example.com"}}
    write("main.tf.json", json.dumps(document))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9503" and "verifies '${local.nothing}.example.com', which cannot be" in finding["message"]


def test_local_module_called_from_json(tlspath, write, tmp_path):
    write("main.tf.json", json.dumps({
        "module": {"lb": {"source": "./lb", "script": "openssl req -x509 -subj /CN=lb"}},
        "resource": json.loads(as_json(rest_integration() + vpc_link("module.lb.arn")))["resource"]}))
    module = write("lb/main.tf.json", as_json('variable "script" {}\n' + nlb() + tcp_listener() +
                                               instance("var.script") + 'output "arn" {\n  value = aws_lb.nlb.arn\n}\n'))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["resource"], finding["file"]) == ("module.lb.aws_instance.web", str(module))


def test_private_key_in_json_is_reported_at_its_line(tlspath, write, tmp_path):
    key = ("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
           "-----END RSA PRIVATE KEY-----\n")
    main = write("main.tf.json", json.dumps({"resource": {"aws_iam_server_certificate": {"legacy": {
        "name": "legacy", "certificate_body": "${file(\"cert.pem\")}", "private_key": key}}}}, indent=2))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["line"]) == ("E9512", line_of(main, "BEGIN RSA PRIVATE KEY"))


def test_tfvars_json_sets_variables(tlspath, write, tmp_path):
    write("main.tf.json", as_json(rest_integration(uri='"https://api.example.com:${var.port}/"') + vpc_link() +
                                  nlb() + tls_listener() + acm_certificate() + 'variable "port" {}\n'))
    write("terraform.tfvars.json", '{"port": 9443}')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9507" and "port 9443" in finding["message"]


def test_a_block_type_written_twice_at_one_level_is_more_blocks(tlspath, write, tmp_path):
    """HCL's JSON syntax keeps every property of a body, a repeated block type included (terraform does)."""
    halves = [json.loads(as_json(part)) for part in (rest_integration() + vpc_link(), nlb() + tcp_listener() +
                                                       instance(SELF_SIGNING_SCRIPT))]
    text = "{\n" + ",\n".join(f'"resource": {json.dumps(half["resource"])}' for half in halves) + "\n}\n"
    write("main.tf.json", text)
    assert [f["rule"] for f in tlspath(tmp_path, "--format", "json").findings] == ["E9501"]


@pytest.mark.parametrize("text, line, message", [
    ('{\n  "resource": {\n    "aws_lb": {"nlb": {"name": "a",}}\n  }\n}\n', 3, "JSON syntax error"),
    ('[\n  {"resource": {}}\n]\n', 1, "must hold one JSON object"),
    ('{\n  "resource": {\n    "aws_lb": {"nlb": {"name": "${var.x"}}\n  }\n}\n', 3, "is not closed"),
    ('{\n  "locals": {\n    "a": "${1 +}"\n  }\n}\n', 3, "cannot parse"),
    ('{\n  "resource": {\n    "aws_lb": "nlb"\n  }\n}\n', 3, "needs a JSON object"),
    ('{\n  "resource": {\n    "aws_lb": {"nlb": {"name": "a",\n "name": "b"}}\n  }\n}\n', 4, "is set twice"),
])
def test_broken_json_is_an_input_error_and_other_modules_are_still_read(tlspath, write, tmp_path, text, line, message):
    broken = write("broken/main.tf.json", text)
    write("ok/main.tf", pass_through_path())
    run = tlspath(tmp_path, "--format", "json")
    error, = run.report["errors"]
    assert (error["file"], error["line"]) == (str(broken), line) and message in error["message"]
    assert run.code == 2 and [f["rule"] for f in run.findings] == ["E9501"]


def test_a_named_json_file_stands_for_its_module(tlspath, write, tmp_path):
    """A pre-commit hook names the changed file; the whole module is read."""
    write("api.tf", rest_integration() + vpc_link())
    changed = write("balancer.tf.json", as_json(nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT)))
    assert [f["rule"] for f in tlspath(changed, "--format", "json").findings] == ["E9501"]
