"""SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

Each finding is a result at its file:line; its path becomes a code flow, one location per hop, so a
dashboard can walk it the way the text report draws it. Input errors are tool notifications.

Made for GitHub code scanning: files under the repository root are URIs relative to ``%SRCROOT%``
(``originalUriBaseIds`` says where that is), so results land on the right file whichever folder tlspath ran
in; every result carries the finding's path identity in ``partialFingerprints`` (stable when lines move);
rules carry ``security-severity``, ``tags``, ``precision`` and their documentation with the fix as
``help.markdown``. Regions start at the column of the key or value a finding points at where the front end
knows it (``columnKind`` says columns count characters) and run to the end of that line.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from linter import __version__
from linter.findings import Finding, ScanResult, TraceStep
from linter.path import Role
from linter.report import ReportSettings
from linter.report.escape import json_document

if TYPE_CHECKING:
    from linter.rule import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "tlspath/identity/v1"  # our own key: GitHub computes primaryLocationLineHash itself
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_PROBLEM = {"error": "error", "warning": "warning", "info": "recommendation"}


def _artifact(file: str, settings: ReportSettings) -> dict:
    """A file under the root is relative to %SRCROOT%; any other is an absolute file: URI."""
    relative = settings.anchored(file)
    if relative is not None:  # the name's own bytes, even when they are not UTF-8 (as as_uri() does below)
        return {"uri": quote(os.fsencode(relative)), "uriBaseId": SRCROOT}
    return {"uri": Path(os.path.realpath(file)).as_uri()}


def _location(file: str, line: int | None, settings: ReportSettings, message: str | None = None,
              column: int | None = None) -> dict:
    """A place in a file; the region starts at the column where it is known and, without an ``endColumn``,
    runs to the end of that line (SARIF's default): the key and the value written after it."""
    physical: dict = {"artifactLocation": _artifact(file, settings)}
    if line:
        physical["region"] = {"startLine": line, **({"startColumn": column} if column else {})}
    location: dict = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location


def _step_location(step: TraceStep, settings: ReportSettings) -> dict:
    """A hop of a code flow: where the files write it, or -- for a certificate ``--probe`` read, which no file
    holds -- a logical location naming the endpoint, never an artifact under %SRCROOT%."""
    message = f"{Role(step.role).label} {step.resource}"
    if not step.seen_at:
        return _location(step.file, step.line, settings, message, step.column)
    return {"logicalLocations": [{"name": step.seen_at, "fullyQualifiedName": f"https://{step.seen_at}",
                                  "kind": "resource"}],
            "message": {"text": f"{message} (seen at {step.seen_at})"}}


def _help(rule: type[Rule]) -> str:
    sources = "".join(f"\n- <{url}>" for url in rule.sources)
    return f"**Fix:** {rule.fix}\n\n{rule.doc()}" + (f"\n\n**References**\n{sources}" if sources else "")


def _rules() -> list[dict]:
    from linter.rules import catalogue

    descriptors = []
    for rule in catalogue():
        score = rule.security_score()
        properties: dict = {"tags": [*(["security"] if score is not None else []), *rule.tags],
                            "precision": "very-high" if rule.level() == "error" else "high",
                            "problem.severity": _PROBLEM[rule.level()]}
        if score is not None:
            properties["security-severity"] = f"{score:.1f}"
        descriptors.append({
            "id": rule.id, "name": rule.__name__,
            "shortDescription": {"text": rule.title}, "fullDescription": {"text": rule.summary()},
            "help": {"text": f"{rule.summary()} Fix: {rule.fix}", "markdown": _help(rule)},
            **({"helpUri": rule.sources[0]} if rule.sources else {}),
            "defaultConfiguration": {"level": _LEVEL[rule.level()]},
            "properties": properties,
        })
    return descriptors


def _result(finding: Finding, rule_index: dict[str, int], settings: ReportSettings) -> dict:
    result = {
        "ruleId": finding.rule, "ruleIndex": rule_index[finding.rule], "level": _LEVEL[finding.level],
        "message": {"text": f"{finding.message}. Fix: {finding.fix}"},
        "locations": [_location(finding.file, finding.line, settings, column=finding.column)],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint(settings.anchored(finding.file))},
        "properties": {"resource": finding.resource},
    }
    if finding.trace:
        result["codeFlows"] = [{"threadFlows": [{"locations": [
            {"location": _step_location(step, settings)} for step in finding.trace]}]}]
    return result


def sarif_document(result: ScanResult, settings: ReportSettings) -> dict:
    rules = _rules()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    notifications = [{"level": "error", "message": {"text": error.message},
                      "locations": [_location(error.file, error.line, settings)]} for error in result.errors]
    notifications += [{"level": "warning", "message": {"text": warning}} for warning in result.warnings]
    root = Path(os.path.realpath(settings.root)).as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tlspath", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "originalUriBaseIds": {SRCROOT: {"uri": root, "description": {
                "text": "The repository root (the git work tree tlspath ran in), which paths are relative to."}}},
            "columnKind": "unicodeCodePoints",  # Python's str indices: a column counts characters
            "invocations": [{"executionSuccessful": not result.errors,
                             "toolExecutionNotifications": notifications}],
            "results": [_result(finding, rule_index, settings) for finding in result.findings],
            **({"properties": {"uncheckedEndpoints": [asdict(e) for e in result.unchecked_endpoints]}}
               if result.unchecked_endpoints else {}),
        }],
    }


def render(result: ScanResult, settings: ReportSettings) -> str:
    return json_document(sarif_document(result, settings))
