"""SARIF output validates against the official OASIS schema, carries each path as a code flow, and meets
GitHub code scanning's own requirements (docs: "SARIF support for code scanning"): paths relative to the
repository root through %SRCROOT% whichever folder tlspath runs in, partialFingerprints that survive moved
lines, and rules with help, tags, precision and security-severity."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SAMPLES, SHARED, edit, line_of

SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
HEADLINE = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA.exists():
        pytest.skip("shared SARIF schema not present")
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft4Validator(schema)


def test_samples_sarif_is_valid(tlspath, validator):
    run = tlspath(SAMPLES, "--format", "sarif", "--fail-level", "none")
    document = json.loads(run.out)
    errors = sorted(validator.iter_errors(document), key=str)
    assert errors == []
    results = document["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}


def test_result_location_and_code_flow(tlspath, validator):
    run = tlspath(HEADLINE, "--format", "sarif")
    document = json.loads(run.out)
    assert run.code == 1 and not list(validator.iter_errors(document))
    result, = document["runs"][0]["results"]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert result["ruleId"] == "E9501" and rules[result["ruleIndex"]]["id"] == "E9501"
    region = result["locations"][0]["physicalLocation"]
    assert region["artifactLocation"] == {"uri": HEADLINE.relative_to(ROOT).as_posix(), "uriBaseId": "%SRCROOT%"}
    assert region["region"]["startLine"] == line_of(HEADLINE, "openssl req -x509")
    hops = [loc["location"]["message"]["text"] for loc in result["codeFlows"][0]["threadFlows"][0]["locations"]]
    assert hops[0] == "integration OrdersGet" and hops[-1] == "target OrdersFleet"


def test_input_errors_are_notifications(tlspath, validator, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    run = tlspath(broken, "--format", "sarif")
    document = json.loads(run.out)
    assert run.code == 2 and not list(validator.iter_errors(document))
    invocation, = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    note, = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git work tree with the headline template in a subfolder, as a monorepo keeps its infrastructure."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "infra" / "orders").mkdir(parents=True)
    (tmp_path / "infra" / "orders" / "stack.yaml").write_text(HEADLINE.read_text())
    return tmp_path


@pytest.mark.parametrize("cwd,target", [("", "infra"), ("infra", "."), ("infra/orders", "stack.yaml")])
def test_paths_are_relative_to_the_repository_root_wherever_tlspath_runs(tlspath, validator, repository, cwd,
                                                                           target):
    document = json.loads(tlspath(target, "--format", "sarif", cwd=repository / cwd).out)
    assert not list(validator.iter_errors(document))
    run = document["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.resolve().as_uri() + "/"
    result, = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "infra/orders/stack.yaml", "uriBaseId": "%SRCROOT%"}
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert {loc["location"]["physicalLocation"]["artifactLocation"]["uri"] for loc in flow} == {
        "infra/orders/stack.yaml"}


def test_a_file_outside_the_repository_is_an_absolute_uri(tlspath, repository, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "stack.yaml"
    outside.write_text(HEADLINE.read_text())
    result, = json.loads(tlspath(outside, "--format", "sarif", cwd=repository).out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": outside.resolve().as_uri()}


def _fingerprints(tlspath, template: Path, cwd: Path) -> list[str]:
    results = json.loads(tlspath(template, "--format", "sarif", cwd=cwd).out)["runs"][0]["results"]
    return [result["partialFingerprints"]["tlspath/identity/v1"] for result in results]


def test_fingerprints_follow_the_path_not_the_lines(tlspath, repository):
    template = repository / "infra" / "orders" / "stack.yaml"
    before = _fingerprints(tlspath, template, repository)
    template.write_text(edit(HEADLINE.read_text(), {"Resources:\n": "Resources:\n  # a comment moves every line\n"}))
    assert _fingerprints(tlspath, template, repository / "infra") == before  # and whichever folder it ran in
    template.write_text(HEADLINE.read_text().replace("OrdersListener", "PublicListener"))
    assert _fingerprints(tlspath, template, repository) != before


def test_every_result_has_a_distinct_fingerprint(tlspath):
    results = json.loads(tlspath(SAMPLES, "--format", "sarif", "--fail-level", "none").out)["runs"][0]["results"]
    fingerprints = [result["partialFingerprints"]["tlspath/identity/v1"] for result in results]
    assert len(set(fingerprints)) == len(results) > 20


def test_rules_carry_what_code_scanning_shows(tlspath):
    from linter.rules import catalogue

    rules = json.loads(tlspath(HEADLINE, "--format", "sarif").out)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in catalogue()]
    for rule, descriptor in zip(catalogue(), rules):
        properties = descriptor["properties"]
        assert properties["tags"] and rule.tags and set(rule.tags) <= set(properties["tags"]), rule.id
        assert properties["precision"] in ("very-high", "high") and len(descriptor["name"]) <= 255
        assert 0 < len(descriptor["fullDescription"]["text"]) <= 1024 and descriptor["help"]["text"]
        assert rule.fix in descriptor["help"]["markdown"] and "## How to fix" in descriptor["help"]["markdown"]
        if rule.level() in ("error", "warning"):
            assert "security" in properties["tags"] and 0.0 < float(properties["security-severity"]) <= 10.0
    by_id = {descriptor["id"]: descriptor["properties"] for descriptor in rules}
    assert by_id["E9512"]["security-severity"] == "9.1" and float(by_id["E9501"]["security-severity"]) >= 7.0
    assert "security-severity" not in by_id["I9513"] and "security" not in by_id["I9513"]["tags"]
