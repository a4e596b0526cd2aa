"""Adopting tlspath on a repository that already has findings: a baseline of accepted findings, and a view
of only what a change touches.

**Baseline** (``--baseline FILE``, ``--write-baseline FILE``): a JSON file listing findings by fingerprint
(:meth:`linter.findings.Finding.fingerprint`: the rule, the file and the path identity -- integration,
listener, certificate, resource, field, assumptions -- never a line), so edits that move lines keep it valid,
while a new finding, or the same problem on another path, is reported. Files are keyed relative to the
baseline's own folder, so the file works from any folder and in any clone. Each entry also shows the rule,
file, resource and message, for the people reviewing it; only the fingerprint counts.

**Changed since** (``--changed-since REF``): the whole tree is analysed -- a path crosses files, and a change
to a listener breaks integrations written elsewhere -- and only the findings a change touches are reported
(:func:`linter.git.changed_files` says which changes count). A change touches a finding when

* the changed file is on the finding's trace (or holds the finding), or
* the changed file -- one tlspath reads by its name, added, edited or **deleted** -- lies in a folder of the
  input the finding's path was built from: the Terraform root module with the modules it calls, the
  Terragrunt unit, the CloudFormation template (its folder: templates deployed together sit together).

The second rule is what a pull request that only deletes or empties a file needs: dropping the SNI
certificate, the security-group rule or the listener a path relied on leaves no trace on any remaining file,
yet breaks the path. It asks no more of git than the file names; the price is that any change to an input
shows all of that input's findings, which is what a reviewer of that input wants to see.

Synthesized output git does not track (``cdk.out``, ``cdktf.out``, ``.serverless``, the folder ``cdk.json``'s
``"output"`` names: :class:`linter.synthesized.Outputs`, which ``cdk init`` puts in ``.gitignore`` and CI writes
with ``cdk synth`` before the scan) is never a changed file,
and the app source that changed is on no path. Which source a synthesized template depends on is not in the
files -- the app may import a construct library from elsewhere in the repository, and a lock file or
``cdk.context.json`` changes it too -- so a finding on such a file is always reported, and the run says so:
saying it "did not change" would be a claim about a file git cannot compare.
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
from linter.synthesized import Outputs

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
    changed_folders: frozenset[str] = frozenset()  # the real folders of changed files tlspath reads by name
    top: str = ""  # the real path of the git work tree's top, with changed
    roots: tuple[str, ...] = ()  # the real folders scanned (a named file's own), with changed: where output is configured

    @classmethod
    def prepare(cls, paths: Sequence[str], baseline: str | None, write_to: str | None,
                changed_since: str | None) -> Adoption:
        changed, top = None, ""
        if changed_since is not None:
            from linter.config import common_folder
            from linter.git import GitError, changed_files, repository_root

            folder = common_folder(paths)
            try:
                changed = frozenset(changed_files(folder, changed_since))
            except GitError as exc:
                raise AdoptionError(str(exc)) from None
            top = os.path.realpath(repository_root(folder))
        accepted = _read(baseline) if baseline is not None else frozenset()
        folders = frozenset(os.path.dirname(path) for path in changed or () if _read_by_name(path))
        roots = tuple(os.path.realpath(path if os.path.isdir(path) else os.path.dirname(path) or os.curdir)
                      for path in paths)
        return cls(baseline, accepted, write_to, changed, folders, top, roots)

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
            kept, output = [], []
            for finding, synthesized in zip(findings, self._untracked_output(findings)):
                if touches(finding, self.changed, self.changed_folders, result.units):
                    kept.append(finding)
                elif synthesized is not None:
                    kept.append(finding)
                    output.append(synthesized)
            notes.append(f"{_count(findings, len(findings) - len(kept))} on files that did not change not reported")
            if output:
                notes.append(f"{_count(findings, len(output))} in synthesized output git does not track "
                             f"({', '.join(sorted(set(output)))}) reported as changed: git cannot compare it, and "
                             "the files do not say which source it was made from")
            findings = tuple(kept)
        return dataclasses.replace(result, findings=findings), notes

    def _untracked_output(self, findings: Sequence[Finding]) -> list[str | None]:
        """Per finding, the folder of synthesized output git does not track that its path crosses, relative to
        the work tree's top (``cdk.out``, ``app/build/assembly``); ``None`` when it crosses none. Git is asked
        once, about the files in such folders only."""
        from linter.git import GitError, tracked_files

        outputs = Outputs(self.roots)
        crossed = [self._in_output(finding, outputs) for finding in findings]
        files = {file for pairs in crossed for file, _ in pairs}
        try:
            tracked = tracked_files(self.top, files) if files else set()
        except GitError as exc:
            raise AdoptionError(str(exc)) from None
        return [next((folder for file, folder in pairs if file not in tracked), None) for pairs in crossed]

    def _in_output(self, finding: Finding, outputs: Outputs) -> list[tuple[str, str]]:
        """The real paths of the files on the finding's path that lie in synthesized output in the work tree,
        each with that folder relative to the work tree's top."""
        found = []
        for file in map(os.path.realpath, (finding.file, *(step.file for step in finding.trace))):
            folders = Path(os.path.relpath(os.path.dirname(file), self.top)).parts
            if os.pardir in folders:
                continue
            output = next((index for index in range(len(folders))
                           if outputs.holds(os.path.join(self.top, *folders[:index + 1]))), None)
            if output is not None:
                found.append((file, Path(*folders[:output + 1]).as_posix()))
        return found


def fingerprint(finding: Finding, folder: str) -> str:
    """The finding's fingerprint with its file as a baseline in ``folder`` records it."""
    return finding.fingerprint(_relative(finding, folder))


def _relative(finding: Finding, folder: str) -> str:
    return Path(os.path.relpath(os.path.realpath(finding.file), folder)).as_posix()


def touches(finding: Finding, changed: frozenset[str], changed_folders: frozenset[str],
            units: Sequence[frozenset[str]]) -> bool:
    """Whether a changed file is on the finding's path, holds the finding itself, or lies in a folder of the
    input the path was built from (see the module docstring)."""
    files = {os.path.realpath(file) for file in (finding.file, *(step.file for step in finding.trace))}
    return not files.isdisjoint(changed) or any(not unit.isdisjoint(changed_folders) for unit in _units(files, units))


def _units(files: set[str], units: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """The inputs a path through ``files`` was built from: those holding every folder of it (a root module,
    not another root that calls the same shared module), else those holding any (a path across templates)."""
    folders = {os.path.dirname(file) for file in files}
    return [unit for unit in units if folders <= unit] or [unit for unit in units if not folders.isdisjoint(unit)]


def _read_by_name(path: str) -> bool:
    """Whether a front end reads a file of this name (a README or a script in a module's folder is no change
    to its paths; a file such a script is read through is on the trace)."""
    from linter.frontends import FRONT_ENDS

    name = os.path.basename(path)
    return any(claims.document(name) or claims.folder_marker(name) or claims.companion(name)
               for claims in (front_end.claims for front_end in FRONT_ENDS))


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
            handle.write(json.dumps(document, indent=2, ensure_ascii=True) + "\n")
    except OSError as exc:
        raise AdoptionError(f"--write-baseline: cannot write {file}: {exc.strerror or exc}") from None
    return frozenset(entries)
