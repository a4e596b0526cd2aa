"""Adopting tlspath on a repository that already has findings: a baseline of accepted findings, and a view
of only what a change touches.

**Baseline** (``--baseline FILE``, ``--write-baseline FILE``): a JSON file listing findings by fingerprint
(:meth:`linter.findings.Finding.fingerprint`: the rule, the file and the path identity -- integration,
listener, certificate, resource, field, assumptions -- never a line), so edits that move lines keep it valid,
while a new finding, or the same problem on another path, is reported. Files are keyed relative to the
baseline's own folder, so the file works from any folder and in any clone. Each entry also shows the rule,
file, resource and message, for the people reviewing it; only the fingerprint counts.

**Changed since** (``--changed-since REF``): the whole tree is analysed -- a path crosses files, and a change
to a listener breaks integrations written elsewhere -- and only findings whose trace (or own place) touches a
file changed since REF are reported (:func:`linter.git.changed_files` says which changes count).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from linter.files import Unreadable, read_bounded
from linter.findings import Finding, ScanResult

FORMAT = "tlspath-baseline"
VERSION = 1
MAX_BASELINE_BYTES = 64 << 20  # some 200,000 findings: past what any repository has accepted


class AdoptionError(Exception):
    """A baseline that cannot be read or written, or a git question that cannot be answered: one line."""


@dataclass(frozen=True)
class Adoption:
    """What a run filters its findings through, prepared before the scan so a wrong REF or an unreadable
    baseline fails at once."""

    baseline: str | None = None
    accepted: frozenset[str] = frozenset()  # fingerprints in the baseline
    write_to: str | None = None
    changed: frozenset[str] | None = None  # real paths of changed files; None: every file counts

    @classmethod
    def prepare(cls, paths: Sequence[str], baseline: str | None, write_to: str | None,
                changed_since: str | None) -> Adoption:
        changed = None
        if changed_since is not None:
            from linter.config import common_folder
            from linter.git import GitError, changed_files

            try:
                changed = frozenset(changed_files(common_folder(paths), changed_since))
            except GitError as exc:
                raise AdoptionError(str(exc)) from None
        accepted = _read(baseline) if baseline is not None else frozenset()
        return cls(baseline, accepted, write_to, changed)

    def apply(self, result: ScanResult) -> tuple[ScanResult, list[str]]:
        """The result as reported, and notes for the user about what was left out."""
        notes: list[str] = []
        findings = result.findings
        baseline, accepted = self.baseline, self.accepted
        if self.write_to is not None:  # what it records is accepted from now on, this run included
            baseline, accepted = self.write_to, _write(self.write_to, findings)
            notes.append(f"wrote {_count(findings)} to {self.write_to}")
        elif baseline is not None:
            folder = _folder(baseline)
            keys = [fingerprint(finding, folder) for finding in findings]
            known = [finding for finding, key in zip(findings, keys) if key in accepted]
            fixed = len(accepted - set(keys))
            notes.append(f"{_count(known)} of the baseline {baseline} not reported"
                         + (f"; {fixed} of its entries no longer occur (--write-baseline refreshes it)" if fixed else ""))
        if baseline is not None:
            folder = _folder(baseline)
            findings = tuple(finding for finding in findings if fingerprint(finding, folder) not in accepted)
        if self.changed is not None:
            kept = tuple(finding for finding in findings if touches(finding, self.changed))
            notes.append(f"{_count(findings, len(findings) - len(kept))} on files that did not change not reported")
            findings = kept
        return dataclasses.replace(result, findings=findings), notes


def fingerprint(finding: Finding, folder: str) -> str:
    """The finding's fingerprint with its file as a baseline in ``folder`` records it."""
    return finding.fingerprint(_relative(finding, folder))


def _relative(finding: Finding, folder: str) -> str:
    return Path(os.path.relpath(os.path.realpath(finding.file), folder)).as_posix()


def touches(finding: Finding, changed: frozenset[str]) -> bool:
    """Whether a changed file is on the finding's path or holds the finding itself."""
    files = {finding.file, *(step.file for step in finding.trace)}
    return any(os.path.realpath(file) in changed for file in files)


def _folder(baseline: str) -> str:
    return os.path.dirname(os.path.realpath(baseline))


def _count(findings: Sequence[Finding], number: int | None = None) -> str:
    number = len(findings) if number is None else number
    return f"{number} finding{'' if number == 1 else 's'}"


def _read(file: str) -> frozenset[str]:
    try:
        document = json.loads(read_bounded(file, MAX_BASELINE_BYTES).decode("utf-8"))
    except Unreadable as exc:
        raise AdoptionError(f"--baseline: cannot read {file}: {exc}") from None
    except RecursionError:
        raise AdoptionError(f"--baseline: {file} is not JSON: nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise AdoptionError(f"--baseline: {file} is not JSON: {exc}") from None
    entries = document.get("findings") if isinstance(document, dict) else None
    if (not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(entries, list)
            or not all(isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in entries)):
        raise AdoptionError(f"--baseline: {file} is not a tlspath baseline (write one with --write-baseline)")
    if document.get("version") != VERSION:
        raise AdoptionError(f"--baseline: {file} is a version {document.get('version')!r} baseline; this tlspath "
                            f"reads version {VERSION} (write it again with --write-baseline)")
    return frozenset(entry["fingerprint"] for entry in entries)


def _write(file: str, findings: Iterable[Finding]) -> frozenset[str]:
    """Record the findings in ``file``; their fingerprints."""
    folder = _folder(file)
    entries = {key: {"fingerprint": key, "rule": f.rule, "file": _relative(f, folder), "resource": f.resource,
                     "message": f.message}
               for f in findings for key in (fingerprint(f, folder),)}
    document = {"format": FORMAT, "version": VERSION,
                "findings": sorted(entries.values(), key=lambda e: (e["file"], e["rule"], e["resource"], e["message"]))}
    try:
        with open(file, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise AdoptionError(f"--write-baseline: cannot write {file}: {exc.strerror or exc}") from None
    return frozenset(entries)
