"""Runs the rule catalogue over the paths and models of a run and turns violations into findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from linter.graph import Path, World, build_paths
from linter.model import Certificate, Model
from linter.parse.documents import InputError
from linter.rule import Rule, Settings, Violation


@dataclass(frozen=True)
class TraceStep:
    role: str
    resource: str
    file: str
    line: int | None


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    title: str
    message: str
    fix: str
    file: str
    line: int | None
    resource: str
    trace: tuple[TraceStep, ...] = ()


@dataclass(frozen=True)
class Analysis:
    findings: tuple[Finding, ...]
    paths: tuple[Path, ...]
    errors: tuple[InputError, ...] = ()


def trace_of(path: Path) -> tuple[TraceStep, ...]:
    return tuple(TraceStep(hop.role.value, hop.resource.name, hop.resource.loc.file, hop.resource.loc.line)
                 for hop in path.hops)


def _finding(rule: type[Rule], violation: Violation, path: Path | None) -> Finding:
    message = violation.message
    if path is not None and path.assumptions:
        message += f" (when {path.conditions})"
    loc = violation.loc
    return Finding(rule=rule.id, level=rule.level(), title=rule.title, message=message,
                   fix=violation.fix or rule.fix, file=loc.file, line=loc.line, resource=violation.resource.name,
                   trace=trace_of(path) if path is not None else ())


def analyse(models: Iterable[Model], rules: Iterable[type[Rule]], settings: Settings,
            lookup_certificate: Callable[[str], Certificate | None] = lambda _: None) -> Analysis:
    """Every finding of every rule on every path (and model) of the run, deduplicated and in file order."""
    models = list(models)
    paths = tuple(build_paths(World(models, lookup_certificate)))
    findings: dict[tuple, Finding] = {}
    errors: list[InputError] = []
    for rule in rules:
        instance = rule()
        jobs = [*((p, p.integration.loc.file, instance.check_path) for p in paths),
                *((m, m.source, instance.check_model) for m in models)]
        for subject, file, check in jobs:
            try:
                violations = list(check(subject, settings))
            except Exception as exc:  # noqa: BLE001 -- a rule's bug must not hide every other finding
                errors.append(InputError(file, None, f"internal error in rule {rule.id} ({type(exc).__name__}: "
                                                     f"{exc}); please report it"))
                continue
            for violation in violations:
                finding = _finding(rule, violation, subject if isinstance(subject, Path) else None)
                findings.setdefault((finding.rule, finding.file, finding.line, finding.message), finding)
    ordered = sorted(findings.values(), key=lambda f: (f.file, f.line or 0, f.rule, f.message))
    return Analysis(tuple(ordered), paths, tuple(errors))
