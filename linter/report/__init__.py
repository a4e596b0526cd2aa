"""Reporters: a scan result as text for people, as the JSON document other tools rely on, or as SARIF.

:data:`FORMATS` is the one table of output formats: ``--format`` offers its names, :func:`render` uses it. A
format is one line here plus its module, which defines ``render(result: ScanResult) -> str``. Modules are
imported only when their format is asked for, so a run pays for one reporter.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.findings import ScanResult

DEFAULT_FORMAT = "text"
FORMATS: dict[str, str] = {  # --format NAME: the module that renders it
    "text": "linter.report.text",
    "json": "linter.report.json",
    "sarif": "linter.report.sarif",
}


def render(result: ScanResult, fmt: str) -> str:
    renderer: Callable[[ScanResult], str] = import_module(FORMATS[fmt]).render
    return renderer(result)
