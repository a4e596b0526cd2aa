"""One run: discover files, load the documents among them, let each front end build its models, analyse.

Format-specific work ends here, behind :mod:`linter.frontends`: what leaves is findings, input errors and
counts.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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


def _load(candidates: list[Candidate], front_ends: Sequence[FrontEnd],
          errors: list[InputError]) -> list[list[Document]]:
    """The documents each front end reads, in the order of ``front_ends``."""
    owned: list[list[Document]] = [[] for _ in front_ends]
    for candidate in candidates:
        with reported(errors, candidate.path):  # one file must never end the run
            document = _read(candidate, front_ends, errors)
            if document is not None:
                owner = next((index for index, front_end in enumerate(front_ends) if front_end.reads(document)),
                             None)
                if owner is not None:
                    owned[owner].append(document)
    return owned


def scan(paths: list[str], options: Options) -> ScanResult:
    """Every certificate read on the way -- by a front end, from ACM -- is judged against the run's trust store."""
    with trusting(options.settings.trust_store), _without_cycle_collection():
        return _scan(paths, options)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A run allocates millions of small objects (document nodes, parse trees, model values) and frees few of
    them before it ends, so the cyclic garbage collector would walk the growing heap again and again for
    nothing: a third of a large run. Reference counting still frees everything acyclic; the collector runs
    again when the run is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scan(paths: list[str], options: Options) -> ScanResult:
    exclusion = Exclusion(options.exclude, [path for path in paths if os.path.isdir(path)])
    inputs = discover(paths, [front_end.claims for front_end in FRONT_ENDS], exclusion)
    errors = [InputError(path, None, not_a_file(path)) for path in inputs.missing]
    errors += [InputError(path, None, OUTSIDE) for path in inputs.outside]
    documents = _load(inputs.documents, FRONT_ENDS, errors)
    models: list[Model] = []
    files = 0
    warnings = list(exclusion.warnings)
    for front_end, folders, owned in zip(FRONT_ENDS, inputs.folders, documents):
        if folders or owned:  # a front end guards each of its inputs; this guards the others from it
            with reported(errors, (folders[0].path if folders else owned[0].candidate.path)):
                built = front_end.build(folders, owned, options.front_ends)
                models.extend(built.models)
                errors.extend(built.errors)
                files += built.files
                warnings.extend(built.warnings)
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
    return redacted(ScanResult(findings, tuple(errors), files, analysis.routes, tuple(warnings), units),
                    set().union(*(model.secrets for model in models)))


def _folders(model: Model) -> frozenset[str]:
    """The real folders an input was read from: its source's, and those of every file its resources are
    declared in (the modules a root module calls). A change anywhere in them -- a deleted file included -- may
    change the input's paths (see :mod:`linter.adoption`)."""
    source = os.path.realpath(model.source)
    files = {os.path.realpath(resource.loc.file) for resource in model.resources.values()}
    return frozenset({source if os.path.isdir(source) else os.path.dirname(source),
                      *(os.path.dirname(file) for file in files)})


def _at_level(finding: Finding, severity: Mapping[str, str]) -> Finding:
    """The finding at the level the user asked for its rule (``severity``: the longest matching id prefix)."""
    matching = [prefix for prefix in severity if finding.rule.startswith(prefix)]
    if not matching:
        return finding
    return dataclasses.replace(finding, level=severity[max(matching, key=len)])
