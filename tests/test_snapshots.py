"""Snapshot tests (ruff's style): the whole text report of every sample, compared exactly.

What a user reads -- rule ids, levels, lines, messages, the path hop by hop, the fix, the summary, stderr and
the exit code -- is pinned in ``tests/snapshots/``. A change in wording or in a verdict shows up in review as a
diff of those files. They are written only on request::

    TLSPATH_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py

A sample is one entry of ``samples/<front end>/{bad,good}/`` (a template, or a folder read as one unit) or a
CDK output folder; adding one without a snapshot fails until the snapshot is written and reviewed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("TLSPATH_UPDATE_SNAPSHOTS") == "1"
AT = "2026-06-01"  # certificate validity is judged at a fixed moment, so snapshots do not age


def _units() -> list[Path]:
    units = [SAMPLES]  # the Quick start run: every sample at once
    for front_end in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        for kind in ("bad", "good"):
            folder = front_end / kind
            if folder.is_dir():
                units.extend(sorted(folder.iterdir()))
        units.extend(sorted(p for p in front_end.iterdir() if p.is_dir() and p.name.endswith(".out")))
    return units


def _snapshot_name(unit: Path) -> str:
    relative = unit.relative_to(ROOT).as_posix()
    return relative.replace("/", "__") + ".txt"


UNITS = _units()


def _render(unit: Path, run) -> str:
    relative = unit.relative_to(ROOT).as_posix()
    return (f"$ tlspath {relative} --at {AT}\nexit code: {run.code}\n"
            f"--- stdout\n{run.out}--- stderr\n{run.err}")


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.relative_to(ROOT).as_posix())
def test_report_matches_snapshot(tlspath, unit):
    run = tlspath(unit.relative_to(ROOT), "--at", AT)
    actual = _render(unit, run)
    snapshot = SNAPSHOTS / _snapshot_name(unit)
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(actual, encoding="utf-8")
        return
    assert snapshot.exists(), (f"no snapshot for {unit.relative_to(ROOT)}: run TLSPATH_UPDATE_SNAPSHOTS=1 "
                               f"python -m pytest {Path(__file__).name} and review {snapshot.relative_to(ROOT)}")
    expected = snapshot.read_text(encoding="utf-8")
    assert actual == expected, (f"the report of {unit.relative_to(ROOT)} changed; if that is intended, run "
                                "TLSPATH_UPDATE_SNAPSHOTS=1 and review the diff")


def test_every_snapshot_belongs_to_a_sample():
    expected = {_snapshot_name(unit) for unit in UNITS}
    stale = sorted(p.name for p in SNAPSHOTS.glob("*.txt") if p.name not in expected)
    assert not stale, f"snapshots of samples that no longer exist: {stale}"
