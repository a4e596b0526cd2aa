"""Terraform plan JSON (``terraform show -json``): recognised by content, values from planned_values, links
from configuration references, lines from the .tf files when they are next to the plan, sensitive values
never printed. The fixture was made by real terraform (see samples/terraform/README.md for how)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, line_of

FIXTURE = ROOT / "tests" / "fixtures" / "terraform" / "plan-with-modules"
PLAN = json.loads((FIXTURE / "plan.json").read_text())


@pytest.fixture
def plan_alone(tmp_path):
    """The fixture's plan without the configuration it was made from."""
    path = tmp_path / "anything-named.json"
    shutil.copy(FIXTURE / "plan.json", path)
    return path


def test_fixture_is_real_terraform_output():
    assert PLAN["terraform_version"] == "1.11.4" and PLAN["format_version"] == "1.2"
    addresses = {r["address"] for m in PLAN["planned_values"]["root_module"]["child_modules"] for r in m["resources"]}
    assert 'module.nlb.aws_lb_listener.this["billing"]' in addresses


def test_plan_alone_follows_child_modules_for_each_and_launch_template_user_data(tlspath, plan_alone):
    run = tlspath(plan_alone, "--format", "json")
    got = sorted((f["rule"], f["resource"], f["file"], f["line"]) for f in run.findings)
    assert got == [
        ("E9501", "module.nlb.aws_autoscaling_group.this", str(plan_alone), None),
        ("E9501", "module.nlb.aws_autoscaling_group.this", str(plan_alone), None),
        ("E9512", "aws_iam_server_certificate.legacy", str(plan_alone), None),
    ]
    traces = [[s["resource"] for s in f["trace"]] for f in run.findings if f["rule"] == "E9501"]
    assert sorted(t[3] for t in traces) == ['module.nlb.aws_lb_listener.this["billing"]',
                                            'module.nlb.aws_lb_listener.this["orders"]']
    assert {t[4] for t in traces} == {'module.nlb.aws_lb_target_group.this["billing"]',
                                      'module.nlb.aws_lb_target_group.this["orders"]'}
    assert run.code == 1 and run.report["errors"] == []


def test_each_key_reference_joins_the_matching_instance(tlspath, plan_alone):
    run = tlspath(plan_alone, "--format", "json")
    for finding in (f for f in run.findings if f["rule"] == "E9501"):
        integration, listener = finding["trace"][0]["resource"], finding["trace"][3]["resource"]
        service = integration.split('["')[1].split('"]')[0]
        assert listener == f'module.nlb.aws_lb_listener.this["{service}"]'


def test_plan_next_to_its_configuration_points_at_tf_lines(tlspath):
    run = tlspath(FIXTURE / "plan.json", "--format", "json")
    module = FIXTURE / "modules" / "nlb" / "main.tf"
    main = FIXTURE / "main.tf"
    got = sorted((f["rule"], f["file"], f["line"]) for f in run.findings)
    assert got == sorted([("E9501", str(module), line_of(module, "openssl req")),
                          ("E9501", str(module), line_of(module, "openssl req")),
                          ("E9512", str(main), line_of(main, "BEGIN RSA PRIVATE KEY"))])
    for finding in run.findings:
        for step in finding["trace"]:
            assert step["file"].endswith(".tf") and step["line"]


def test_plan_and_configuration_together_report_each_finding_once(tlspath):
    together = tlspath(FIXTURE, "--format", "json").findings
    alone = tlspath(FIXTURE / "plan.json", "--format", "json").findings
    assert [(f["rule"], f["file"], f["line"], f["message"]) for f in together] == \
           [(f["rule"], f["file"], f["line"], f["message"]) for f in alone]


def test_sensitive_values_and_key_material_are_never_printed(tlspath, plan_alone):
    for output in ("json", "text"):
        run = tlspath(plan_alone, "--format", output)
        assert "MIIBOgIBAAJBAKj34" not in run.out + run.err
        assert "not-a-real-key" not in run.out + run.err


def test_plan_is_recognised_by_content_not_by_name(tlspath, tmp_path):
    (tmp_path / "tfplan.json").write_text(json.dumps({"format_version": "1.2", "planned_values": {}}))
    (tmp_path / "other.json").write_text(json.dumps({"planned_values": {}}))
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 0 and run.report["summary"]["files"] == 1


def test_unknown_major_format_version_is_an_input_error(tlspath, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "2.0", "planned_values": {"root_module": {}}}))
    run = tlspath(path, "--format", "json")
    assert run.code == 2
    assert run.report["errors"] == [{"file": str(path), "line": None, "message":
                                     "plan JSON format_version 2.0 is not supported (tlspath reads 1.x)"}]


def _synthetic_plan(resources: list[dict], configuration: list[dict], variables: dict | None = None) -> dict:
    return {"format_version": "1.2", "variables": variables or {},
            "planned_values": {"root_module": {"resources": resources}},
            "configuration": {"root_module": {"resources": configuration}}}


def _resource(address: str, values: dict, **extra) -> dict:
    kind, name = address.split("[")[0].split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name, "values": values, **extra}


def test_reference_without_index_to_several_instances_is_unresolved(tlspath, tmp_path):
    """Plan JSON lists names, not index expressions: tlspath does not pick an instance for the user."""
    plan = _synthetic_plan(
        [_resource("aws_api_gateway_integration.get", {"uri": "https://api.example.com/", "connection_type": "VPC_LINK"}),
         _resource("aws_api_gateway_vpc_link.link[0]", {}, index=0),
         _resource("aws_api_gateway_vpc_link.link[1]", {}, index=1)],
        [{"address": "aws_api_gateway_integration.get", "mode": "managed", "type": "aws_api_gateway_integration",
          "name": "get", "expressions": {"connection_id": {"references": ["aws_api_gateway_vpc_link.link"]}}}])
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513"
    assert "one of the 2 instances of aws_api_gateway_vpc_link.link" in finding["message"]


def test_sensitive_variable_is_not_read_into_values(tlspath, tmp_path):
    plan = _synthetic_plan(
        [_resource("aws_api_gateway_integration.get", {"connection_type": "VPC_LINK"}),
         _resource("aws_api_gateway_vpc_link.link", {"target_arns": None})],
        [{"address": "aws_api_gateway_integration.get", "mode": "managed", "type": "aws_api_gateway_integration",
          "name": "get", "expressions": {"connection_id": {"references": ["aws_api_gateway_vpc_link.link.id"]},
                                         "uri": {"references": ["var.backend"]}}}],
        {"backend": {"value": "https://secret-host.internal/"}})
    plan["configuration"]["root_module"]["variables"] = {"backend": {"sensitive": True}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    run = tlspath(tmp_path, "--format", "json")
    assert "secret-host" not in run.out
    assert any("variable 'backend' is sensitive" in f["message"] for f in run.findings)


def test_sensitive_planned_value_is_not_read(tlspath, tmp_path):
    plan = _synthetic_plan(
        [_resource("aws_api_gateway_integration.get", {"connection_type": "VPC_LINK", "uri": "https://secret-host/"},
                   sensitive_values={"uri": True}),
         _resource("aws_api_gateway_vpc_link.link", {})],
        [{"address": "aws_api_gateway_integration.get", "mode": "managed", "type": "aws_api_gateway_integration",
          "name": "get", "expressions": {"connection_id": {"references": ["aws_api_gateway_vpc_link.link.id"]}}}])
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    run = tlspath(tmp_path, "--format", "json")
    assert "secret-host" not in run.out
    assert any("aws_api_gateway_integration.get.uri is sensitive" in f["message"] for f in run.findings)


def test_a_uri_around_a_value_known_after_apply_says_what_the_plan_does_not_keep(tlspath, tmp_path):
    """``uri = "https://${aws_lb.api.dns_name}/"``: the plan keeps the reference, not the text around it. That
    is what is unknown -- never "the integration URI is not set"."""
    plan = _synthetic_plan(
        [_resource("aws_api_gateway_integration.get", {"type": "HTTP_PROXY", "uri": None}),
         _resource("aws_lb.api", {"load_balancer_type": "application", "internal": False})],
        [{"address": "aws_api_gateway_integration.get", "mode": "managed", "type": "aws_api_gateway_integration",
          "name": "get", "expressions": {"uri": {"references": ["aws_lb.api.dns_name", "aws_lb.api"]}}}])
    plan["resource_changes"] = [{"address": "aws_api_gateway_integration.get", "change": {
        "actions": ["create"], "after": {"type": "HTTP_PROXY", "uri": None}, "after_unknown": {"uri": True}}}]
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and "not set" not in finding["message"], finding["message"]
    assert "dns_name of 'aws_lb.api'" in finding["message"] and "text around" in finding["message"]
    assert ".tf configuration" in finding["fix"]


FOR_EACH = ROOT / "tests" / "fixtures" / "terraform" / "plan-module-for-each"


def test_module_instance_named_by_each_key_is_followed_in_the_plan_alone(tlspath, tmp_path):
    """``module.svc[each.key].vpc_link_id`` shows as ``module.svc`` and ``each.key``: the integration's own key
    names the module instance, whose only output is the VPC link."""
    plan = tmp_path / "plan.json"
    shutil.copy(FOR_EACH / "plan.json", plan)
    run = tlspath(plan, "--format", "json")
    got = sorted((f["rule"], f["level"], f["resource"], f["file"], f["line"]) for f in run.findings)
    assert got == [
        ("E9503", "error", 'aws_api_gateway_integration.svc["cards"]', str(plan), None),
        ("E9508", "error", 'module.svc["cards"].aws_lb_listener.tls', str(plan), None),
    ]
    assert [s["resource"] for s in run.findings[0]["trace"]][:3] == [
        'aws_api_gateway_integration.svc["cards"]', 'module.svc["cards"].aws_api_gateway_vpc_link.this',
        'module.svc["cards"].aws_lb.this']
    assert run.code == 1 and run.report["errors"] == []


def test_module_instance_with_several_outputs_names_the_instance(tlspath, tmp_path):
    """With several outputs the plan does not say which one is read: an I9513 naming the instance, no guess."""
    document = json.loads((FOR_EACH / "plan.json").read_text())
    outputs = document["configuration"]["root_module"]["module_calls"]["svc"]["module"]["outputs"]
    outputs["nlb_arn"] = {"expression": {"references": ["aws_lb.this.arn", "aws_lb.this"]}}
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    run = tlspath(plan, "--format", "json")
    assert sorted((f["rule"], f["level"], f["resource"]) for f in run.findings) == [
        ("I9513", "info", 'aws_api_gateway_integration.svc["cards"]'),
        ("I9513", "info", 'aws_api_gateway_integration.svc["ledger"]')]
    cards = next(f for f in run.findings if "cards" in f["resource"])
    assert 'one of the outputs nlb_arn, vpc_link_id of module.svc["cards"]' in cards["message"]
    assert run.code == 0


def test_plan_beside_its_scanned_configuration_adds_nothing(tlspath, tmp_path):
    """Scanned together, the .tf configuration is judged with its values' own lines; the plan neither repeats
    its findings at other lines nor contradicts them with an I9513."""
    run = tlspath(FOR_EACH, "--format", "json")
    main = FOR_EACH / "main.tf"
    assert sorted((f["rule"], f["level"], f["file"], f["line"]) for f in run.findings) == [
        ("E9503", "error", str(main), line_of(main, "uri ")),
        ("E9508", "error", str(main), line_of(main, "cards  =")),
    ]
    configuration = tmp_path / "configuration"
    shutil.copytree(FOR_EACH, configuration, ignore=shutil.ignore_patterns("plan.json"))
    alone = tlspath(configuration, "--format", "json")
    assert [(f["rule"], f["message"]) for f in alone.findings] == [(f["rule"], f["message"]) for f in run.findings]
    assert run.code == 1
