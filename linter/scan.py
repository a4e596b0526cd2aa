"""One run: discover files, load the documents among them, let each front end build its models, analyse.

Format-specific work ends here, behind :mod:`linter.frontends`: what leaves is findings, input errors and
counts.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from linter import memory
from linter.certs import trusting
from linter.discover import discover
from linter.engine import analyse
from linter.exclusion import Exclusion, Patterns
from linter.files import not_a_file
from linter.findings import Finding, InputError, ScanResult, reported
from linter.frontend import OUTSIDE, Candidate, Document, FrontEnd, FrontEndSettings
from linter.frontends import FRONT_ENDS
from linter.model import Model
from linter.parse.documents import ParseError, load_document, read_text
from linter.rule import Rule, Settings
from linter.sensitive import redacted

if TYPE_CHECKING:
    from linter.acm import AcmSettings
    from linter.probe import ProbeSettings


@dataclass(frozen=True)
class Options:
    """What a run is asked to do beyond the paths."""

    settings: Settings
    front_ends: FrontEndSettings = field(default_factory=FrontEndSettings)
    acm: AcmSettings | None = None  # None: certificates known only by ARN stay unresolved (no network)
    probe: ProbeSettings | None = None  # None: no socket is opened (--probe is off)
    rules: Sequence[type[Rule]] | None = None  # None: the whole catalogue (--select, --ignore choose)
    exclude: tuple[Patterns, ...] = ()  # what folder scans leave out besides what git ignores (--exclude)
    severity: Mapping[str, str] = field(default_factory=dict)  # rule id or prefix -> the level to report it at
    inline_suppressions: bool = True  # False: suppressions written in the files are ignored

    def applied_rules(self) -> Sequence[type[Rule]]:
        """The rules the run applies: those chosen, or the whole catalogue."""
        from linter.rules import catalogue

        return catalogue() if self.rules is None else self.rules


def _head(path: str) -> str:
    """The start of a file that cannot be read as text, as far as it reads: enough to tell whether it was
    meant to be a template (then it is reported, in a folder scan as when named). Zero bytes are dropped, so
    a template saved as UTF-16 or UTF-32 without a byte-order mark still shows what it is."""
    try:
        with open(path, "rb") as handle:
            return handle.read(65536).replace(b"\x00", b"").decode("utf-8", "replace")
    except OSError:
        return ""


def _wanted(text: str, front_ends: Sequence[FrontEnd]) -> bool:
    """Whether some front end may read the text. The rest -- a multi-megabyte package-lock.json that a
    pre-commit hook hands over -- is never parsed, and its errors are not ours to report."""
    return any(front_end.may_read(text) for front_end in front_ends)


def _read(candidate: Candidate, front_ends: Sequence[FrontEnd], errors: list[InputError]) -> Document | None:
    try:
        text = read_text(candidate.path)
    except ParseError as exc:
        if candidate.explicit or _wanted(_head(candidate.path), front_ends):
            errors.append(InputError(candidate.path, exc.line, exc.message))
        return None
    if not _wanted(text, front_ends):
        return None
    try:
        return Document(candidate, text, load_document(text, candidate.path))
    except ParseError as exc:
        errors.append(InputError(candidate.path, exc.line, exc.message))
        return None


class _Documents:
    """The YAML/JSON documents of a run, read one at a time as each front end asks for its own, so a run
    holds one parsed document (and what the front ends keep of the others), however large the tree.

    The first reading of a file reports its errors and finds the front end that reads it; a document another
    front end reads is let go, and read again when that front end asks. What no front end reads (last run's
    ``report.json``) is not an input: only the documents handed over are :attr:`handed`."""

    def __init__(self, candidates: list[Candidate], front_ends: Sequence[FrontEnd], errors: list[InputError]):
        self._candidates = candidates
        self._front_ends = front_ends
        self._errors = errors
        self._owners: dict[int, int | None] = {}  # candidate -> the front end that reads it (None: none, or broken)
        self._let_go = False  # a document was let go since the last collection
        self.handed: set[str] = set()  # the paths of the documents handed to the front end that reads them

    def _collect(self) -> None:
        """Free what the front ends made of the documents let go and did not keep, reference cycles included (a
        template's stack and its evaluator), before the next document is read -- and before the run is frozen,
        which would keep that garbage for good. Collected then, not as each document is let go, so a run pays
        nothing to collect its last document (a tenth of the time of a large template)."""
        if self._let_go:
            gc.collect()
            self._let_go = False

    def of(self, front_end: int) -> Iterator[Document]:
        """The documents front end number ``front_end`` reads, in the order of the candidates."""
        for position, candidate in enumerate(self._candidates):
            if self._owners.get(position, front_end) != front_end:
                continue
            self._collect()
            memory.RESERVE.hold()  # let go when the last file ran out of it
            gc.freeze()  # what the run holds now is not this document's: a collection walks only what is
            document = None
            first_read = position not in self._owners
            if first_read:
                self._owners[position] = None  # until it is read: a file that breaks its reader is read once
            with reported(self._errors, candidate.path):  # one file must never end the run
                document = _read(candidate, self._front_ends, self._errors)
                if first_read and document is not None:
                    self._owners[position] = next(
                        (index for index, each in enumerate(self._front_ends) if each.reads(document)), None)
            if document is None:
                continue
            if self._owners[position] == front_end:
                self.handed.add(candidate.path)
                yield document
            del document  # not held while the next one is read
            self._let_go = True


class OutOfMemory(Exception):
    """A step of the run that no one file owns needed more memory than the run may use. (A file that does is
    an input error of its own, and the run goes on with the other files.)"""


@contextmanager
def _step(what: str) -> Iterator[None]:
    try:
        yield
    except MemoryError:
        memory.RESERVE.release()
        raise OutOfMemory(f"not enough memory for {what}; scan fewer files at once, or let tlspath use more "
                          "memory") from None


def scan(paths: list[str], options: Options) -> ScanResult:
    """Every certificate read on the way -- by a front end, from ACM -- is judged against the run's trust store.
    Raises :class:`OutOfMemory` naming the step the memory ran out in, when no one file can be named."""
    with trusting(options.settings.trust_store), _without_cycle_collection():
        return _scan(paths, options)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A run allocates millions of small objects (document nodes, parse trees, model values) and frees few of
    them before it ends, so the cyclic garbage collector would walk the growing heap again and again for
    nothing: a third of a large run. Reference counting still frees everything acyclic, and each document's
    cycles are collected before the next one is read, among the objects made since it was read
    (:class:`_Documents` freezes the rest); everything is the collector's again when the run is over, in its
    oldest generation -- left young, all of it would be walked by the first collection after the run, as the
    report is written."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if not frozen:  # what a program running tlspath froze itself stays frozen
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _scan(paths: list[str], options: Options) -> ScanResult:
    exclusion = Exclusion(options.exclude, [path for path in paths if os.path.isdir(path)])
    with _step("finding the files to scan"):
        inputs = discover(paths, [front_end.claims for front_end in FRONT_ENDS], exclusion)
    errors = [InputError(path, None, not_a_file(path)) for path in inputs.missing]
    errors += [InputError(path, None, OUTSIDE) for path in inputs.outside]
    errors += [InputError(path, None, why) for path, why in inputs.unlisted]
    documents = _Documents(inputs.documents, FRONT_ENDS, errors)
    models: list[Model] = []
    files = 0
    read: set[str] = set()
    warnings = [*inputs.notes, *exclusion.warnings]
    for index, (front_end, folders) in enumerate(zip(FRONT_ENDS, inputs.folders)):
        owned = documents.of(index)
        first = list(itertools.islice(owned, 1))  # a front end without inputs is not asked (nor imported)
        if folders or first:  # a front end guards each of its inputs; this guards the others from it
            with reported(errors, (folders[0].path if folders else first[0].candidate.path)):
                built = front_end.build(folders, _after(first, owned), options.front_ends)
                models.extend(built.models)
                errors.extend(built.errors)
                files += built.files
                warnings.extend(built.warnings)
                read |= built.read
    with _step("analysing the paths of every file"):
        return _analysed(models, options, errors, files, warnings, read | documents.handed)


def _analysed(models: list[Model], options: Options, errors: list[InputError], files: int,
              warnings: list[str], read: set[str]) -> ScanResult:
    """The rules' findings on the paths of every model, with what the run met on the way."""
    lookup = None
    if options.acm is not None:
        from linter.acm import certificate_lookup

        lookup, acm_warnings = certificate_lookup(models, options.acm)
        warnings.extend(acm_warnings)
    seen_at = None
    if options.probe is not None:
        from linter.probe import probe_lookup

        seen_at, probe_warnings = probe_lookup(models, options.probe, lookup)
        warnings.extend(probe_warnings)
    analysis = analyse(models, options.applied_rules(), options.settings, lookup, seen_at, options.inline_suppressions)
    errors.extend(analysis.errors)
    findings = tuple(_at_level(finding, options.severity) for finding in analysis.findings)
    units = tuple(_folders(model) for model in models)
    return redacted(ScanResult(findings, tuple(errors), files, analysis.routes, tuple(warnings), units,
                               frozenset(os.path.realpath(path) for path in read)),
                    set().union(*(model.secrets for model in models)))


def _after(first: list[Document], rest: Iterator[Document]) -> Iterator[Document]:
    """``first``'s documents, then the rest; each given away, never held here."""
    while first:
        yield first.pop()
    yield from rest


def _folders(model: Model) -> frozenset[str]:
    """The real folders an input was read from: its source's, and those of every file its resources are
    declared in (the modules a root module calls) or that did not parse. A change anywhere in them -- a
    deleted file included -- may change the input's paths (see :mod:`linter.adoption`)."""
    source = os.path.realpath(model.source)
    written = {resource.loc.file for resource in model.resources.values()} | {loc.file for loc in model.unread}
    return frozenset({source if os.path.isdir(source) else os.path.dirname(source),
                      *(os.path.dirname(os.path.realpath(file)) for file in written if file)})


def _at_level(finding: Finding, severity: Mapping[str, str]) -> Finding:
    """The finding at the level the user asked for its rule (``severity``: the longest matching id prefix)."""
    matching = [prefix for prefix in severity if finding.rule.startswith(prefix)]
    if not matching:
        return finding
    return dataclasses.replace(finding, level=severity[max(matching, key=len)])
