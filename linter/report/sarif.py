"""SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

Each finding is a result at its file:line; its path becomes a code flow, one location per hop, so a
dashboard can walk it the way the text report draws it. Input errors are tool notifications.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from linter import __version__
from linter.findings import Finding, ScanResult
from linter.path import Role

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"))


def _location(file: str, line: int | None, message: str | None = None) -> dict:
    physical: dict = {"artifactLocation": {"uri": _uri(file)}}
    if line:
        physical["region"] = {"startLine": line}
    location: dict = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location


def _rules() -> list[dict]:
    from linter.rules import catalogue

    return [{"id": rule.id, "name": rule.__name__,
             "shortDescription": {"text": rule.title}, "fullDescription": {"text": rule.summary()},
             "help": {"text": rule.fix, "markdown": rule.doc()},
             **({"helpUri": rule.sources[0]} if rule.sources else {}),
             "defaultConfiguration": {"level": _LEVEL[rule.level()]}} for rule in catalogue()]


def _result(finding: Finding, rule_index: dict[str, int]) -> dict:
    result = {
        "ruleId": finding.rule, "ruleIndex": rule_index[finding.rule], "level": _LEVEL[finding.level],
        "message": {"text": f"{finding.message}. Fix: {finding.fix}"},
        "locations": [_location(finding.file, finding.line)],
        "properties": {"resource": finding.resource},
    }
    if finding.trace:
        result["codeFlows"] = [{"threadFlows": [{"locations": [
            {"location": _location(step.file, step.line, f"{Role(step.role).label} {step.resource}")}
            for step in finding.trace]}]}]
    return result


def sarif_document(result: ScanResult) -> dict:
    rules = _rules()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    notifications = [{"level": "error", "message": {"text": error.message},
                      "locations": [_location(error.file, error.line)]} for error in result.errors]
    notifications += [{"level": "warning", "message": {"text": warning}} for warning in result.warnings]
    return {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tlspath", "version": __version__, "rules": rules}},
            "invocations": [{"executionSuccessful": not result.errors,
                             "toolExecutionNotifications": notifications}],
            "results": [_result(finding, rule_index) for finding in result.findings],
        }],
    }


def render(result: ScanResult) -> str:
    return json.dumps(sarif_document(result), indent=2) + "\n"
