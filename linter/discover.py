"""Which files a run reads, and which front end reads them: each front end's :class:`~linter.frontend.Claims`
say which file names are documents, which make their folder one input (a Terraform module), and which are read
with such a folder.

A folder-marking file (``main.tf``) or a companion (``terraform.tfvars``) named on the command line stands for
its folder -- which is how a pre-commit hook names a changed module. Any other file named on the command line is
a document, whatever its name; one no front end reads as a document (a certificate, a boot script) is also
handed, as a file among the folders, to the front ends whose inputs may read it.

Folders are walked recursively without following symbolic links to folders (so link loops cannot hang a
run), skipping version control, dependency and virtual-environment folders -- but not ``cdk.out`` or
``.serverless``, which hold synthesized templates. The configuration of a tool that synthesizes them
(``cdk.json``, ``serverless.yml``: :mod:`linter.synthesized`) is not read: named, it says so; met without its
output beside it, it says to synthesize first. A symbolic link (to a file or a folder) out of the scanned tree
is never read, as ``file()`` never reads out of it: it is reported as skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from linter.files import TOO_LONG, past_length_limit, tidy
from linter.frontend import Candidate, Claims, inside
from linter.synthesized import not_read, not_synthesized, synthesizer

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".terraform", "node_modules", ".venv", "venv", ".tox", ".nox",
                       "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idea", ".vscode",
                       "site-packages", ".aws-sam", ".terragrunt-cache"})


@dataclass
class Inputs:
    """What the command line names, sorted for the front ends: documents, folders, and what is not read."""

    documents: list[Candidate] = field(default_factory=list)  # every front end's: the content decides
    folders: list[list[Candidate]] = field(default_factory=list)  # per front end, in the order of its claims
    missing: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # symbolic links out of the scanned tree: never read
    unlisted: list[tuple[str, str]] = field(default_factory=list)  # what could not be listed or read, and why
    notes: list[str] = field(default_factory=list)  # synthesizers' configurations: not read, and what to scan


def _is_virtualenv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg"))


def _holds_marker(folder: str, claims: Claims) -> bool:
    try:
        return any(claims.folder_marker(name) for name in os.listdir(folder))
    except OSError:
        return False


class _Discovery:
    """The inputs found so far, each file and folder once (by real path)."""

    def __init__(self, claims: Sequence[Claims]):
        self.claims = claims
        self.inputs = Inputs(folders=[[] for _ in claims])
        self.seen_files: set[str] = set()
        self.seen_folders: list[set[str]] = [set() for _ in claims]

    def named(self, path: str) -> None:
        """A file named on the command line."""
        path = tidy(path)
        folder = os.path.dirname(path) or "."
        name = os.path.basename(path)
        standing = [index for index, claims in enumerate(self.claims)
                    if claims.folder_marker(name) or claims.companion(name)]
        for index in standing:
            if self.claims[index].folder_marker(name) or _holds_marker(folder, self.claims[index]):
                self.add_folder(index, folder, folder, True)
        if standing:
            return
        if (tool := synthesizer(name)) is not None:
            self.inputs.notes.append(not_read(path, tool))
            return
        self.add_document(path, folder, True)
        if not any(claims.document(name) for claims in self.claims):
            for index in (i for i, claims in enumerate(self.claims) if claims.read_file(name)):
                self.add_folder(index, path, folder, True)  # a file: the front end finds what reads it

    def found(self, folder: str, name: str, root: str) -> None:
        """A file met while walking ``root``."""
        marking = [index for index, claims in enumerate(self.claims) if claims.folder_marker(name)]
        if marking and past_length_limit(path := os.path.join(folder, name)):
            self.inputs.unlisted.append((tidy(path), TOO_LONG))
            return
        for index in marking:
            self.add_folder(index, folder, root, False)
        if marking or any(claims.companion(name) for claims in self.claims):
            return
        if (tool := synthesizer(name)) is not None:
            said = not_synthesized(tidy(os.path.join(folder, name)), tool, root)
            self.inputs.notes.extend([said] if said else [])
            return
        if any(claims.document(name) for claims in self.claims):
            self.add_document(tidy(os.path.join(folder, name)), root, False)  # not "./x.yaml"

    def unlisted(self, error: OSError) -> None:
        """A folder the walk could not list (a path past the system's length limit, no permission): said, since
        what it holds is not scanned."""
        self.inputs.unlisted.append((tidy(str(error.filename)), f"cannot list folder: {error.strerror or error}"))

    def add_document(self, path: str, root: str, explicit: bool) -> None:
        real = os.path.realpath(path)
        if not inside(path, root):  # a link, or a file in a linked folder, out of the tree (file() keeps to it too)
            self.inputs.outside.append(path)
        elif real not in self.seen_files and os.path.isfile(real):
            self.seen_files.add(real)
            self.inputs.documents.append(Candidate(path, root, explicit))
        elif past_length_limit(real):
            self.inputs.unlisted.append((path, TOO_LONG))

    def add_folder(self, index: int, folder: str, root: str, explicit: bool) -> None:
        real = os.path.realpath(folder)
        if real not in self.seen_folders[index]:
            self.seen_folders[index].add(real)
            self.inputs.folders[index].append(Candidate(tidy(folder), root, explicit))


def _nothing_excluded(path: str, is_dir: bool) -> bool:
    return False


def discover(paths: list[str], claims: Sequence[Claims],
             excluded: Callable[[str, bool], bool] = _nothing_excluded) -> Inputs:
    """The inputs of ``paths``; ``excluded(path, is_dir)`` leaves out what a folder walk meets (what git
    ignores, ``--exclude``: :mod:`linter.exclusion`) -- never a path named here."""
    discovery = _Discovery(claims)
    for given in paths:
        if os.path.isfile(given):
            discovery.named(given)
        elif os.path.isdir(given):
            for folder, dirs, files in os.walk(given, onerror=discovery.unlisted, followlinks=False):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _is_virtualenv(os.path.join(folder, d))
                                 and not excluded(os.path.join(folder, d), True))
                linked_out = [os.path.join(folder, d) for d in dirs if not inside(os.path.join(folder, d), given)]
                discovery.inputs.outside.extend(map(os.path.normpath, linked_out))  # never walked; said so
                for name in sorted(files):
                    if not excluded(os.path.join(folder, name), False):
                        discovery.found(folder, name, given)
        else:
            discovery.inputs.missing.append(given)
    return discovery.inputs
