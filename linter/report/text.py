"""The text report: one block per finding (in file order), starting with a ``path:line:column:`` that editors and
terminals open, then its path drawn hop by hop and the fix; a summary closes it. Colour only when asked."""

from __future__ import annotations

from collections import Counter

from linter.findings import Finding, ScanResult, TraceStep
from linter.path import Role
from linter.report import ReportSettings
from linter.report.escape import visible

_RESET = "\x1b[0m"
_STYLE = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m", "place": "\x1b[1m", "hint": "\x1b[2m"}
_INDENT = " " * 4


class _Paint:
    """Wraps text in ANSI styles when colour is on, and leaves it alone otherwise."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if self.on else text


def _where(step: TraceStep, current_file: str) -> str:
    if step.seen_at:
        return f"seen at {step.seen_at}"
    if step.line is None:
        return step.file
    return f"line {step.line}" if step.file == current_file else f"{step.file}:{step.line}"


def hop(step: TraceStep, current_file: str) -> str:
    """One hop of a finding's path as people read it: ``VPC link OrdersLink (line 44)``."""
    return visible(f"{Role(step.role).label} {step.resource} ({_where(step, current_file)})")


def place(finding: Finding) -> str:
    """``path:line:column`` (``path:line`` where the column is not known) -- what editors, terminals and CI logs
    turn into a link, as ruff and cfn-lint print it."""
    if not finding.line:
        return visible(finding.file)
    return visible(f"{finding.file}:{finding.line}" + (f":{finding.column}" if finding.column else ""))


def _finding(finding: Finding, paint: _Paint) -> list[str]:
    level = paint(finding.level, f"{finding.rule}  {finding.level:<7}")
    out = [f"{paint('place', place(finding) + ':')} {level}  {visible(finding.message)}"]
    for index, step in enumerate(finding.trace):
        arrow = "path:" if index == 0 else "  -> "
        out.append(f"{_INDENT}{paint('hint', arrow)} {hop(step, finding.file)}")
    out.append(f"{_INDENT}{paint('hint', 'fix: ')} {visible(finding.fix)}")
    return out


def _count(number: int, noun: str, plural: str = "s") -> str:
    return f"{number} {noun}{plural if number != 1 else ''}"


def summary(result: ScanResult, paint: _Paint | None = None) -> str:
    """``3 files, 2 paths: 1 error, 0 warnings, 1 info``, coloured by level when a level has findings."""
    paint = paint or _Paint(False)
    counts = Counter(f.level for f in result.findings)
    levels = [(level, _count(counts[level], level, "" if level == "info" else "s"))
              for level in ("error", "warning", "info")]
    text = (f"{_count(result.files, 'file')}, {_count(len(result.paths), 'path')}: "
            + ", ".join(paint(level, words) if counts[level] else words for level, words in levels))
    if unchecked := len(result.unchecked_endpoints):
        text += (f"; {_count(unchecked, 'public endpoint')} not checked (the files do not show their certificates; "
                 "--probe reads them)")
    if result.errors:
        text += f"; {_count(len(result.errors), 'input error')} (see stderr)"
    return text


def render(result: ScanResult, settings: ReportSettings) -> str:
    paint = _Paint(settings.color)
    lines: list[str] = []
    for finding in result.findings:
        lines += [*_finding(finding, paint), ""]
    if settings.quiet:
        del lines[-1:]  # the blank line that would separate the summary
    else:
        lines.append(summary(result, paint))
    return "".join(f"{line}\n" for line in lines)
