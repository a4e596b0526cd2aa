"""Shared test helpers: run the real CLI in-process and read its JSON report."""

from __future__ import annotations

import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from linter.cli import main
from linter.model import Choice, Interpolated, Unknown

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def report(self) -> dict:
        return json.loads(self.out)

    @property
    def findings(self) -> list[dict]:
        return self.report["findings"]

    def ids(self) -> list[str]:
        return sorted(f["rule"] for f in self.findings)


@pytest.fixture
def tlspath(capsys, monkeypatch):
    """Run ``tlspath ARGS`` in-process (from the repository root) and capture what it prints."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        monkeypatch.chdir(cwd or ROOT)
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse exits for usage errors and --version
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a dedented file under tmp_path and return its path."""

    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


def edit(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each key replaced by its value, in order. Each key must occur exactly once: an edit of a
    shared fixture that stopped matching (someone reworded the fixture) fails here instead of silently testing
    the unedited text; one that matches twice is ambiguous."""
    for old, new in replacements.items():
        count = text.count(old)
        assert count == 1, f"fixture edit matches {count} times, not once: {old!r}"
        text = text.replace(old, new)
    return text


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle`` -- so tests never hard-code line numbers."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def column_of(path: Path, needle: str) -> int:
    """1-based column (in characters) where ``needle`` starts on the first line containing it -- computed from
    the file, like :func:`line_of`, so tests never hard-code columns."""
    line = Path(path).read_text(encoding="utf-8").splitlines()[line_of(path, needle) - 1]
    return line.index(needle) + 1


# How tlspath's own data structures print: none of it may reach a message (a user reads names and values as
# they wrote them). Python reprs of lists, maps and None, evaluation classes, reference keys (file#Name).
_INTERNAL = re.compile(r"Marked(List|Dict)|object at 0x|\bNone\b|[\[{]'|\b(Reference|Unknown|Interpolated|Choice)\(|"
                       r"<unknown|<[^<>\s]*#|"  # and Python's own words for its exceptions
                       r"positional argument|could not convert|invalid literal|unsupported format|NoneType|' object|"
                       r"not supported between|has no attribute '_|\(0x[0-9a-f]+\)")


def leaked(text: str) -> list[str]:
    """The internal representations a message shows."""
    return [match.group(0) for match in _INTERNAL.finditer(text)]


def said_by(value):
    """Every text an evaluated value would put in front of a user: reasons, fixes, condition names."""
    if isinstance(value, Unknown):
        yield value.reason
        yield value.supply
    elif isinstance(value, Choice):
        yield value.condition
        yield from said_by(value.if_true)
        yield from said_by(value.if_false)
    elif isinstance(value, Interpolated):
        for part in value.parts:
            yield from said_by(part)
    elif isinstance(value, (dict, list)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from said_by(item)


def pytest_report_header(config):
    return f"shared corpus: {'present' if SHARED.exists() else 'absent'} ({SHARED}); cwd {os.getcwd()}"
