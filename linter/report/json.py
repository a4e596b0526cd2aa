"""The JSON report: the contract tests and other tools rely on."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict

from linter import __version__
from linter.findings import ScanResult


def report_document(result: ScanResult) -> dict:
    counts = Counter(f.level for f in result.findings)
    return {
        "tool": {"name": "tlspath", "version": __version__},
        "findings": [asdict(f) for f in result.findings],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in result.errors],
        "summary": {"files": result.files, "paths": len(result.paths), "error": counts["error"],
                    "warning": counts["warning"], "info": counts["info"]},
    }


def render(result: ScanResult) -> str:
    return json.dumps(report_document(result), indent=2) + "\n"
