"""The text report: findings grouped by file, each with its path drawn hop by hop and the fix."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from linter.findings import Finding, ScanResult, TraceStep
from linter.path import Role


def _where(step: TraceStep, current_file: str) -> str:
    if step.line is None:
        return step.file
    return f"line {step.line}" if step.file == current_file else f"{step.file}:{step.line}"


def hop(step: TraceStep, current_file: str) -> str:
    """One hop of a finding's path as people read it: ``VPC link OrdersLink (line 44)``."""
    return f"{Role(step.role).label} {step.resource} ({_where(step, current_file)})"


def _finding(finding: Finding) -> list[str]:
    line = f"{finding.line}" if finding.line else "-"
    out = [f"  {line:>5}  {finding.rule}  {finding.level:<7}  {finding.message}"]
    for index, step in enumerate(finding.trace):
        arrow = "path:" if index == 0 else "  -> "
        out.append(f"{'':16}{arrow} {hop(step, finding.file)}")
    out.append(f"{'':16}fix:  {finding.fix}")
    return out


def render(result: ScanResult) -> str:
    lines: list[str] = []
    for file, findings in groupby(result.findings, key=lambda f: f.file):
        lines.append(file)
        for finding in findings:
            lines.extend(_finding(finding))
        lines.append("")
    counts = Counter(f.level for f in result.findings)
    summary = (f"{result.files} file{'s' if result.files != 1 else ''}, {len(result.paths)} "
               f"path{'s' if len(result.paths) != 1 else ''}: {counts['error']} error{'s' if counts['error'] != 1 else ''}, "
               f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}, {counts['info']} info")
    if result.errors:
        summary += f"; {len(result.errors)} input error{'s' if len(result.errors) != 1 else ''} (see stderr)"
    lines.append(summary)
    return "\n".join(lines) + "\n"
