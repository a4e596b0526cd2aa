"""Reporters: a scan result as text for people, as JSON other tools rely on, in the formats CI systems read
(SARIF, GitHub workflow commands, JUnit XML, GitLab Code Quality), or as a graph of every path (Mermaid, DOT).

:data:`FORMATS` is the one table of output formats: ``--format`` offers its names, :func:`render` uses it. A
format is one line here plus its module, which defines ``render(result: ScanResult, settings: ReportSettings)
-> str``. Modules are imported only when their format is asked for, so a run pays for one reporter.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.findings import ScanResult

DEFAULT_FORMAT = "text"
FORMATS: dict[str, str] = {  # --format NAME: the module that renders it
    "text": "linter.report.text",
    "json": "linter.report.json",
    "sarif": "linter.report.sarif",
    "github": "linter.report.github",
    "junit": "linter.report.junit",
    "gitlab": "linter.report.gitlab",
    "mermaid": "linter.report.mermaid",
    "dot": "linter.report.dot",
}


@dataclass(frozen=True)
class ReportSettings:
    """What a reporter needs besides the result."""

    root: str = "."  # the folder CI formats anchor file paths at (see linter.git.repository_root)
    color: bool = False  # ANSI colour in the text report
    quiet: bool = False  # findings only: no summary line
    fail_level: str = "warning"  # findings at or above it fail the run (JUnit: a failure, below it: skipped)

    def anchored(self, file: str) -> str | None:
        """``file`` relative to the root, with forward slashes, symlinks resolved (code scanning cannot place
        a result in a symlinked file); ``None`` when it lies outside the root."""
        try:
            return Path(os.path.realpath(file)).relative_to(os.path.realpath(self.root)).as_posix()
        except ValueError:
            return None


def render(result: ScanResult, fmt: str, settings: ReportSettings) -> str:
    renderer: Callable[[ScanResult, ReportSettings], str] = import_module(FORMATS[fmt]).render
    return renderer(result, settings)
