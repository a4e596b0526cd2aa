"""Findings carry the column of the key or value they point at wherever the front end's parser knows it --
CloudFormation YAML and JSON, OpenAPI bodies, Terraform HCL (and tfvars, Terragrunt) and Terraform JSON --
counted in characters from 1, and every output shows it: JSON ``column``, the text report's
``path:line:column:``, SARIF ``region.startColumn``, GitHub's ``col=``. Where no honest column exists (plan
JSON, a value given outside the files) it is ``None`` and the outputs fall back to the line.

Expected columns are computed from the files (:func:`conftest.column_of`), never written down."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SAMPLES, SHARED, column_of, edit, line_of
from linter.parse.documents import load_yaml

CFN = SAMPLES / "cloudformation" / "bad"
SKIP, EXTENSION = "insecureSkipVerification: true", "x-amazon-apigateway-integration:"
TF = SAMPLES / "terraform" / "bad"
PLAN = ROOT / "tests" / "fixtures" / "terraform" / "plan-with-modules"


def places(findings: list[dict]) -> list[dict]:
    """Every place a report names: each finding and each hop of its path."""
    return [where for finding in findings for where in (finding, *finding["trace"])]


def one(run, rule: str) -> dict:
    found = [f for f in run.findings if f["rule"] == rule]
    assert len(found) == 1, run.findings
    return found[0]


def test_every_column_in_the_samples_starts_the_key_or_value_it_points_at(tlspath):
    """Over every sample of every front end: a column points at the first character of something written
    (nothing but blanks or a separator before it on the line, never a blank itself) -- an off-by-one either
    way fails here -- and each syntax gives columns."""
    run = tlspath(SAMPLES, "--format", "json", "--fail-level", "none")
    located = [where for where in places(run.findings) if where["column"] is not None]
    assert located == [where for where in places(run.findings) if where["line"] is not None]  # no sample is a plan
    for where in located:
        text = Path(where["file"]).read_text(encoding="utf-8").splitlines()[where["line"] - 1]
        before, at = text[:where["column"] - 1], text[where["column"] - 1:]
        assert at[:1].strip() and (not before or before[-1] in " \t-{[,("), (where, text)
    written_in = {re.sub(r"^.*?((\.tf)?\.json|\.ya?ml|\.tfvars|\.tf|\.hcl)$", r"\1", w["file"]) for w in located}
    assert written_in >= {".yaml", ".json", ".tf", ".tf.json", ".tfvars", ".hcl"}


def test_yaml_template_points_at_the_key(tlspath):
    path = CFN / "e9505-chainless-iam-certificate.yaml"
    finding = one(tlspath(path, "--format", "json"), "E9505")
    assert (finding["line"], finding["column"]) == (line_of(path, "BillingCertificate:"),
                                                    column_of(path, "BillingCertificate:"))


def test_openapi_body_in_a_template_points_at_the_key(tlspath):
    path = CFN / "w9510-skip-verification-in-openapi-body.yaml"
    finding = one(tlspath(path, "--format", "json"), "W9510")
    assert (finding["line"], finding["column"]) == (line_of(path, SKIP), column_of(path, SKIP))
    integration = finding["trace"][0]
    assert (integration["line"], integration["column"]) == (line_of(path, EXTENSION), column_of(path, EXTENSION))


def test_columns_count_characters_in_a_yaml_flow_mapping(tlspath, tmp_path):
    """Several keys on one line, after text beyond ASCII (and beyond the Basic Multilingual Plane): the
    column is the key's, in characters -- what SARIF's ``unicodeCodePoints`` and editors count."""
    source = (CFN / "e9508-tls13-only-policy.yaml").read_text(encoding="utf-8")
    path = tmp_path / "template.yaml"
    path.write_text(edit(source, {
        "    Properties:\n      LoadBalancerArn: !Ref ClaimsNlb\n      Protocol: TLS\n      Port: 443\n"
        "      SslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06\n      Certificates:\n"
        "        - CertificateArn: !Ref ClaimsCertificate\n      DefaultActions:\n        - Type: forward\n"
        "          TargetGroupArn: !Ref ClaimsTargets\n":
        "    Properties: {Description: \"d\u00e9j\u00e0 vu \U0001f512\", LoadBalancerArn: !Ref ClaimsNlb, "
        "Protocol: TLS, Port: 443, SslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06, Certificates: "
        "[{CertificateArn: !Ref ClaimsCertificate}], DefaultActions: [{Type: forward, TargetGroupArn: !Ref "
        "ClaimsTargets}]}\n"}), encoding="utf-8")
    finding = one(tlspath(path, "--format", "json"), "E9508")
    assert (finding["line"], finding["column"]) == (line_of(path, "SslPolicy"), column_of(path, "SslPolicy"))


def test_json_template_points_at_the_key(tlspath, tmp_path):
    source = (CFN / "w9502-tls-pass-through-to-ecs.json").read_text(encoding="utf-8")
    path = tmp_path / "template.json"
    path.write_text(edit(source, {'"LoadBalancerArn": {"Ref": "InventoryNlb"},\n        "Protocol": "TCP",':
                                  '"LoadBalancerArn": {"Ref": "InventoryNlb"},\n        '
                                  '"Description": "\u00fcber \U0001f512", "Protocol": "TCP",'}), encoding="utf-8")
    finding = one(tlspath(path, "--format", "json"), "W9502")
    assert (finding["line"], finding["column"]) == (line_of(path, "\U0001f512"),
                                                    _column_after(path, "\U0001f512", '"Protocol"'))


def test_a_command_in_a_literal_block_script_points_at_the_command(tlspath):
    """A YAML ``|`` script keeps its lines less their indentation, which the loader reads off the file."""
    path = CFN / "e9501-tcp-to-self-signed-backend.yaml"
    finding = one(tlspath(path, "--format", "json"), "E9501")
    assert (finding["line"], finding["column"]) == (line_of(path, "openssl req -x509"),
                                                    column_of(path, "openssl req -x509"))
    path = CFN / "e9512-private-key-in-template.yaml"
    finding = one(tlspath(path, "--format", "json"), "E9512")
    assert (finding["line"], finding["column"]) == (line_of(path, "-----BEGIN"), column_of(path, "-----BEGIN"))


def test_a_command_in_a_json_string_points_at_the_string(tlspath, tmp_path):
    """A JSON string's newlines are escapes on one line of the file: the finding is on the string's line, at
    its opening quote -- not as many lines further down as the script has newlines before the command."""
    template = load_yaml((CFN / "e9501-tcp-to-self-signed-backend.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=2), encoding="utf-8")
    finding = one(tlspath(path, "--format", "json"), "E9501")
    assert (finding["line"], finding["column"]) == (line_of(path, '"#!/bin/bash'), column_of(path, '"#!/bin/bash'))


def _column_after(path: Path, marker: str, needle: str) -> int:
    """The column of ``needle`` on the line holding ``marker``."""
    text = path.read_text(encoding="utf-8").splitlines()[line_of(path, marker) - 1]
    return text.index(needle) + 1


def test_hcl_points_at_the_argument_and_the_resource(tlspath):
    sample = TF / "w9510-skip-verification"
    main = sample / "main.tf"
    finding = one(tlspath(sample, "--format", "json"), "W9510")
    assert (finding["file"], finding["line"], finding["column"]) == (
        str(main), line_of(main, "insecure_skip_verification"), column_of(main, "insecure_skip_verification"))
    sample = TF / "e9505-imported-certificate-without-chain"
    main = sample / "main.tf"
    finding = one(tlspath(sample, "--format", "json"), "E9505")
    written = 'resource "aws_acm_certificate" "billing"'
    assert (finding["line"], finding["column"]) == (line_of(main, written), column_of(main, written))


def test_terraform_json_points_at_the_key(tlspath):
    sample = TF / "e9501-cdktf-tcp-to-self-signed-user-data"
    run = tlspath(sample, "--format", "json")
    stack, = {Path(f["file"]) for f in run.findings}
    assert stack.name == "cdk.tf.json"
    for finding in run.findings:
        assert (finding["line"], finding["column"]) == (line_of(stack, '"user_data"'), column_of(stack, '"user_data"'))


def test_a_plan_has_no_columns_but_the_configuration_next_to_it_has(tlspath, tmp_path):
    alone = tmp_path / "plan.json"
    alone.write_text((PLAN / "plan.json").read_text())
    assert {where["column"] for where in places(tlspath(alone, "--format", "json").findings)} == {None}
    beside = places(tlspath(PLAN / "plan.json", "--format", "json").findings)
    hops = [where for where in beside if where.get("role")]
    assert hops and all(where["column"] for where in hops)
    for where in hops:
        text = Path(where["file"]).read_text(encoding="utf-8").splitlines()[where["line"] - 1]
        assert text[where["column"] - 1:].startswith(("resource ", "module ", "data ")), (where, text)


@pytest.fixture(scope="module")
def sarif_schema():
    schema = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema.exists():
        pytest.skip("shared SARIF schema not present")
    return jsonschema.Draft4Validator(json.loads(schema.read_text()))


def test_every_output_shows_the_column(tlspath, sarif_schema):
    path = CFN / "w9510-skip-verification-in-openapi-body.yaml"
    line, column = line_of(path, SKIP), column_of(path, SKIP)
    assert tlspath(path).out.startswith(f"{path}:{line}:{column}: W9510")
    document = json.loads(tlspath(path, "--format", "sarif").out)
    assert not list(sarif_schema.iter_errors(document))
    run, = document["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    result, = run["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": line, "startColumn": column}
    hop = result["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]["physicalLocation"]["region"]
    assert hop == {"startLine": line_of(path, EXTENSION), "startColumn": column_of(path, EXTENSION)}
    annotation = tlspath(path, "--format", "github").out.splitlines()[0]
    assert f",line={line},col={column},title=W9510 " in annotation


def test_without_a_column_the_outputs_show_the_line(tlspath, sarif_schema, tmp_path):
    alone = tmp_path / "plan.json"
    alone.write_text((PLAN / "plan.json").read_text())
    document = json.loads(tlspath(alone, "--format", "sarif").out)
    assert not list(sarif_schema.iter_errors(document))
    regions = [location["physicalLocation"].get("region", {}) for result in document["runs"][0]["results"]
               for location in result["locations"]]
    assert regions and not any("startColumn" in region for region in regions)
    assert all(",col=" not in line for line in tlspath(alone, "--format", "github").out.splitlines())
