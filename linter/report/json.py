"""The JSON report: the contract tests and other tools rely on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING

from linter import __version__
from linter.findings import ScanResult
from linter.report import ReportSettings
from linter.report.escape import json_document

if TYPE_CHECKING:
    from linter.rule import Rule


def report_document(result: ScanResult) -> dict:
    counts = Counter(f.level for f in result.findings)
    return {
        "tool": {"name": "tlspath", "version": __version__},
        "findings": [asdict(f) for f in result.findings],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in result.errors],
        "unchecked_endpoints": [asdict(e) for e in result.unchecked_endpoints],
        "summary": {"files": result.files, "paths": len(result.paths), "error": counts["error"],
                    "warning": counts["warning"], "info": counts["info"],
                    "unchecked_endpoints": len(result.unchecked_endpoints)},
    }


def render(result: ScanResult, settings: ReportSettings) -> str:
    return json_document(report_document(result))


def rules_document(rules: Iterable[type[Rule]]) -> list[dict]:
    """The rule catalogue (``--list-rules --format json``): what each rule is, how grave, how to fix it."""
    return [{"id": rule.id, "level": rule.level(), "title": rule.title, "summary": rule.summary(), "fix": rule.fix,
             "tags": list(rule.tags), "security_severity": rule.security_score(), "sources": list(rule.sources)}
            for rule in rules]
