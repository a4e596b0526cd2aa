"""SARIF output validates against the official OASIS schema and carries each path as a code flow."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import SAMPLES, SHARED, line_of

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
    assert region["artifactLocation"]["uri"] == str(HEADLINE) and region["region"]["startLine"] == line_of(HEADLINE, "openssl req -x509")
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
