"""Reporters: a scan result as text for people, as the JSON document other tools rely on, or as SARIF."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.findings import ScanResult


def render(result: ScanResult, fmt: str) -> str:
    if fmt == "json":
        from linter.report.json import render_json

        return render_json(result)
    if fmt == "sarif":
        from linter.report.sarif import render_sarif

        return render_sarif(result)
    from linter.report.text import render_text

    return render_text(result)
