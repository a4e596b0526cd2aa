"""What a front end is: the files it claims, and how it turns them into models.

A run (:mod:`linter.scan`) knows the formats it reads only through this protocol and the list in
:mod:`linter.frontends`; adding a format touches its own folder under ``linter/parse/`` and that list.

A front end claims files in two ways (:class:`Claims`), both by name so that discovery never opens a file to
decide:

* **folders**: a file such as ``main.tf`` makes its whole folder one input (a Terraform module). Companion
  files (``terraform.tfvars``) are read with such a folder; named alone -- as a pre-commit hook names a changed
  file -- a marker or a companion stands for its folder.
* **read files**: a file an input may read (a certificate through ``file()``, a ``templatefile()`` boot script)
  named alone -- the only file of a commit that renews a certificate -- is handed to the front end with its
  folders (a file, not a folder), which finds the inputs that read it.
* **documents**: YAML/JSON files read whole; a cheap text test says whether one may be the front end's at all
  (a package-lock.json is never parsed), the loaded document decides.

Each front end takes its own settings (a small frozen dataclass of its own, found in :class:`FrontEndSettings`
by type), never the run's options.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Protocol, TypeVar

from linter.findings import InputError
from linter.model import Model

S = TypeVar("S")


@dataclass(frozen=True)
class Candidate:
    """A file or folder to read. ``explicit``: named on the command line (errors are reported even if it
    does not look like one of ours); ``root``: the folder the user asked to scan (files outside it are never
    read)."""

    path: str
    root: str
    explicit: bool


OUTSIDE = "a symbolic link to outside the scanned tree; skipped, not read"


def inside(path: str, root: str) -> bool:
    """Whether ``path`` (after resolving symbolic links) lies in the folder ``root``: nothing outside the tree a
    user asked to scan is read -- not a file the code under scan names, not a symbolic link the tree holds."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, base]) == base


def judged_in(named: Candidate) -> str:
    """The tree a file named on the command line (a pre-commit hook's changed file) is judged in: its Git work
    tree, where what calls, includes, imports or nests it lies -- written the way the run writes paths
    (relative to the working folder when the named path is). Outside a Git work tree, the folder scanned:
    nothing above it is read."""
    from linter.files import from_here
    from linter.git import work_tree_top

    repository = work_tree_top(named.path)
    if repository is None:
        return named.root
    return repository if os.path.isabs(named.path) or not os.path.isabs(repository) else from_here(repository)


@dataclass(frozen=True)
class Claims:
    """Which files a front end reads, as ``fnmatch`` patterns on file names (see the module docstring)."""

    documents: tuple[str, ...] = ()  # read whole, recognised by content: "*.yaml"
    folders: tuple[str, ...] = ()  # a file that makes its folder one input: "*.tf"
    companions: tuple[str, ...] = ()  # read with such a folder; named alone, stands for it: "*.tfvars"
    read: tuple[str, ...] = ()  # named alone and claimed by no other pattern, stands for the inputs reading it

    def document(self, name: str) -> bool:
        return _matches(name, self.documents)

    def folder_marker(self, name: str) -> bool:
        return _matches(name, self.folders)

    def companion(self, name: str) -> bool:
        return _matches(name, self.companions)

    def read_file(self, name: str) -> bool:
        return _matches(name, self.read)


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


@dataclass(frozen=True)
class Document:
    """A loaded YAML/JSON file and its text (for cheap textual tests a front end makes while building)."""

    candidate: Candidate
    text: str
    data: Any


def read_on_their_own(calls: Mapping[str, Iterable[str]]) -> list[str]:
    """Which inputs a front end reads on their own, given what each input reads as part of itself (the local
    modules a Terraform module calls, the nested stacks a template instantiates): those nothing calls, then
    one of each cycle of calls nothing else reaches. Everything else is read only through its callers, with
    the values they give it -- never a second time alone, where those values would be missing."""
    called = {callee for node, callees in calls.items() for callee in callees if callee != node}
    roots = [node for node in calls if node not in called]
    reached: set[str] = set()

    def reach(node: str) -> None:
        pending = [node]
        while pending:
            current = pending.pop()
            if current not in reached:
                reached.add(current)
                pending.extend(calls.get(current, ()))

    for node in roots:
        reach(node)
    for node in calls:  # only reachable through a cycle of calls
        if node not in reached:
            roots.append(node)
            reach(node)
    return roots


@dataclass
class Built:
    """What a front end hands the run: models, input errors, how many files it read, warnings about what
    the user gave it besides the files, and the files it read besides the documents the run handed it."""

    models: list[Model] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: int = 0
    warnings: list[str] = field(default_factory=list)
    # every other file opened to build the models, as named (a module's files, a nested template, a var file,
    # a file() certificate, one that did not parse): -o never overwrites one, whatever its name says
    read: set[str] = field(default_factory=set)


def undeclared(given: str, declarer: str, kind: str, names: Iterable[str]) -> str:
    """The warning for a value given from outside the files (``--parameter``, ``--var``, their files) whose name
    no scanned file declares -- a typo never silently does nothing: ``--var setings: no scanned root module
    declares a variable 'setings'``."""
    listed = list(dict.fromkeys(names))
    what = f"a {kind}" if len(listed) == 1 else f"{kind}s"
    return f"{given}: no scanned {declarer} declares {what} {', '.join(map(repr, listed))}"


@dataclass(frozen=True)
class FrontEndSettings:
    """Every front end's own settings; one that was given none gets its settings class's defaults."""

    given: tuple[object, ...] = ()

    def of(self, kind: type[S]) -> S:
        for settings in self.given:
            if isinstance(settings, kind):
                return settings
        return kind()


class FrontEnd(Protocol):
    """One input format. Import nothing heavy at module level: every run imports every front end."""

    @property
    def claims(self) -> Claims: ...

    def may_read(self, text: str) -> bool:
        """Whether a document's text may be this front end's (then it is parsed, and errors are reported)."""

    def reads(self, document: Document) -> bool:
        """Whether a loaded document is this front end's (the first front end that says so gets it)."""

    def build(self, folders: list[Candidate], documents: Iterable[Document], settings: FrontEndSettings) -> Built:
        """Models of every folder and document this front end claimed in the run. The documents are parsed one
        at a time as they are iterated: keep what the models need of each, not the document, so a run's memory
        is bounded by its largest file rather than by the whole tree."""
