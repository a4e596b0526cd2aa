"""GitLab Code Quality (``artifacts:reports:codequality``): a JSON array of issues, each with a description,
the rule as ``check_name``, a fingerprint, a severity and ``location.path``/``lines.begin``.

The fingerprint is the finding's path identity (:meth:`linter.findings.Finding.fingerprint`) with the path
relative to the repository root, so the merge-request widget tells new findings from old ones however lines
moved. A file that could not be analysed is a ``blocker`` issue of its own.
"""

from __future__ import annotations

import hashlib
import json

from linter.findings import Finding, InputError, ScanResult
from linter.report import ReportSettings
from linter.report.escape import json_document

_SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def _location(file: str, line: int | None, settings: ReportSettings) -> dict:
    return {"path": settings.anchored(file) or file, "lines": {"begin": line or 1}}


def _issue(finding: Finding, settings: ReportSettings) -> dict:
    return {"description": f"{finding.rule} {finding.message}. Fix: {finding.fix}", "check_name": finding.rule,
            "fingerprint": finding.fingerprint(settings.anchored(finding.file)),
            "severity": _SEVERITY[finding.level], "location": _location(finding.file, finding.line, settings)}


def _error(error: InputError, settings: ReportSettings) -> dict:
    location = _location(error.file, error.line, settings)
    key = json.dumps(["input error", location["path"], error.message])
    return {"description": f"tlspath could not analyse this file: {error.message}", "check_name": "input-error",
            "fingerprint": hashlib.sha256(key.encode()).hexdigest(), "severity": "blocker", "location": location}


def render(result: ScanResult, settings: ReportSettings) -> str:
    issues = [*(_issue(finding, settings) for finding in result.findings),
              *(_error(error, settings) for error in result.errors)]
    return json_document(issues)
