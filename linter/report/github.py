"""GitHub Actions workflow commands: each finding an annotation on its file, line and (where known) column in the
run and the pull request (``::error file=F,line=L,col=C,title=ID::message``; warnings are ``::warning``, info
``::notice``).

Nothing from the scanned files can issue a command of its own: text is made inert first (one line, no
``::`` at its start, no ``##[`` anywhere -- :mod:`linter.report.escape`), then escaped as the Actions
toolkit does (``escapeData``: ``%``, CR, LF; ``escapeProperty`` adds ``:`` and ``,``). File paths are relative
to the repository root, as annotations need.
"""

from __future__ import annotations

from linter.findings import Finding, ScanResult
from linter.report import ReportSettings
from linter.report.escape import visible
from linter.report.text import hop, summary

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command; properties that are ``None`` are left out, the rest made inert and escaped."""
    given = ",".join(f"{key}={escape_property(visible(str(value)))}" for key, value in properties.items()
                     if value is not None)
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


def _annotation(finding: Finding, settings: ReportSettings) -> str:
    """The message, the path hop by hop and the fix, on lines of their own inside the annotation."""
    lines = [visible(finding.message)]
    lines += [f"{'path: ' if index == 0 else '  -> '}{hop(step, finding.file)}" for index, step in
              enumerate(finding.trace)]
    lines.append(f"fix: {visible(finding.fix)}")
    return command(_COMMAND[finding.level], "\n".join(lines), file=settings.anchored(finding.file),
                   line=finding.line, col=finding.column, title=f"{finding.rule} {finding.title}")


def render(result: ScanResult, settings: ReportSettings) -> str:
    out = [_annotation(finding, settings) for finding in result.findings]
    out += [command("error", visible(error.message), file=settings.anchored(error.file), line=error.line,
                    title="tlspath: input error") for error in result.errors]
    out += [command("warning", visible(warning), title="tlspath") for warning in result.warnings]
    if not settings.quiet:
        out.append(visible(summary(result)))
    return "".join(f"{line}\n" for line in out)
