"""Runs the rule catalogue over the paths and models of a run and turns violations into findings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from linter.findings import Endpoint, Finding, Identity, InputError, Route, RouteGap, RouteHop, TraceStep
from linter.conditions import Relations
from linter.path import Path, Presented, Role, spoken, statement
from linter.walk import World, build_paths
from linter.model import Certificate, Location, Model, Unknown
from linter.rule import Rule, Settings, Violation
from linter.suppressions import Silencer


@dataclass(frozen=True)
class Analysis:
    """What the rules made of one run's models: findings, the paths as reporters draw them, and errors."""

    findings: tuple[Finding, ...]
    routes: tuple[Route, ...]  # every path followed, as reporters draw it
    errors: tuple[InputError, ...] = ()


def trace_of(path: Path) -> tuple[TraceStep, ...]:
    return tuple(_step(hop.role.value, hop.resource.name, hop.resource.loc) for hop in path.hops)


def _step(role: str, name: str, loc: Location) -> TraceStep:
    """A hop where it is written, or -- held by no file -- where it was seen."""
    if loc.seen_at:
        return TraceStep(role, name, "", None, seen_at=loc.seen_at)
    return TraceStep(role, name, loc.file, loc.line, loc.column)


def identity_of(path: Path | None, violation: Violation) -> Identity:
    """The finding's identity: which path (integration, listener, certificates shown) and which field."""
    field = violation.field_name or ""
    if path is None:
        return Identity(subject=violation.resource.name, field=field)
    return Identity(integration=path.integration_name, listener=path.listener.name if path.listener else "",
                    certificate=",".join(shown.certificate.name for shown in path.presented),
                    subject=violation.resource.name, field=field,
                    conditions=statement([path.assumptions]))


# A hop hangs from the nearest hop before it of this role (else from the hop just before it): targets from
# their target group, target groups and certificates from their listener, listeners from their load balancer,
# the ALB behind an ``alb`` target group from that group.
_HANGS_FROM = {Role.TARGET: Role.TARGET_GROUP, Role.TARGET_GROUP: Role.LISTENER, Role.CERTIFICATE: Role.LISTENER,
               Role.LISTENER: Role.LOAD_BALANCER, Role.LOAD_BALANCER: Role.TARGET_GROUP}


def _parent(path: Path, index: int) -> int | None:
    role = _HANGS_FROM.get(path.hops[index].role)
    earlier = range(index - 1, -1, -1)
    return next((i for i in earlier if path.hops[i].role is role), index - 1 if index else None)


def route_of(path: Path) -> Route:
    """The path as a tree of hops, marked where API Gateway's TLS session ends and what it validates."""
    ends: tuple[object, ...] = ()
    validated: tuple[object, ...] = ()
    if (at_listener := path.tls_at_listener) is not None:
        ends, validated = (at_listener.listener,), at_listener.presented
    else:  # the targets' own certificate (passed through, or a public instance's), or what --probe saw
        seen = tuple(shown.certificate for shown in path.presented)
        targets = at_targets.targets if (at_targets := path.tls_at_targets) is not None else ()
        ends, validated = targets or seen, (*targets, *seen)
    if path.skip_verification:
        validated = ()
    hops = tuple(RouteHop(step, _parent(path, index), tls_ends=any(hop.resource is r for r in ends),
                          validated=any(hop.resource is r for r in validated))
                 for index, (hop, step) in enumerate(zip(path.hops, trace_of(path))))
    gaps = tuple(RouteGap(gap.role.value, next((i for i, hop in enumerate(path.hops) if hop.resource is gap.subject),
                                               None), gap.unknown.reason) for gap in path.gaps)
    return Route(hops, gaps, path.conditions, _unchecked(path))


def _unchecked(path: Path) -> Endpoint | None:
    endpoint = path.unchecked_endpoint
    if endpoint is None:
        return None
    return Endpoint(endpoint.host if isinstance(endpoint.host, str) else None, endpoint.port,
                    endpoint.instance.name if endpoint.instance is not None else None)


def _finding(rule: type[Rule], violation: Violation, path: Path | None) -> Finding:
    """The finding as one path shows it; the cases it holds in are stated once every path is judged."""
    loc = violation.loc
    message = violation.message + (f" ({loc.note})" if loc.note else "")
    fix = violation.fix or rule.fix
    construct = violation.resource.construct
    if construct:  # CDK output: the next cdk synth rewrites the template; the app is what to change
        message += f" ({violation.resource.name} is CDK construct {construct})"
        if not rule.id.startswith("I"):  # an info finding asks for what the files lack, not for an edit
            fix = f"In the CDK app, on construct {construct} (this template is cdk synth output): {fix}"
    return Finding(rule=rule.id, level=rule.level(), title=rule.title, message=message,
                   fix=fix, file=loc.file, line=loc.line, column=loc.column,
                   resource=violation.resource.name,
                   trace=trace_of(path) if path is not None else (), identity=identity_of(path, violation))


def analyse(models: Iterable[Model], rules: Iterable[type[Rule]], settings: Settings,
            lookup_certificate: Callable[[str], Certificate | Unknown | None] | None = None,
            seen_at: Callable[[str, int], Certificate | Unknown | None] | None = None,
            inline_suppressions: bool = True) -> Analysis:
    """Every finding of every rule on every path (and model) of the run that no suppression written in the files
    silences, with the findings about those suppressions, merged and in file order."""
    from linter.rules import catalogue

    models = list(models)
    rules = list(rules)
    silencer = Silencer(models, [rule.id for rule in catalogue()], settings.at.astimezone(dt.timezone.utc).date(),
                        inline_suppressions)
    errors: list[InputError] = []
    world = World(models, lookup_certificate, seen_at)
    paths = tuple(build_paths(world, errors))
    merged: dict[tuple, _Merged] = {}
    for rule in rules:
        instance = rule()
        jobs: list[tuple[Path | Model, str, Callable[..., Iterable[Violation]]]] = [
            *((p, p.integration.loc.file, instance.check_path) for p in paths if not p.blocked(rule.needs)),
            *((m, m.source, instance.check_model) for m in models)]
        for subject, file, check in jobs:
            try:
                violations = list(check(subject, settings))
            except Exception as exc:  # noqa: BLE001 -- a rule's bug must not hide every other finding
                errors.append(InputError.internal(file, exc, f"in rule {rule.id}"))
                continue
            path = subject if isinstance(subject, Path) else None
            for violation in violations:
                if not silencer.silences(rule.id, violation.resource, violation.loc):
                    _merge(merged, _finding(rule, violation, path), path)
    findings = [_stated(problem, world.relations) for problem in merged.values()]
    findings.extend(silencer.findings(rules))
    ordered = sorted(findings, key=lambda f: (f.file, f.line or 0, f.column or 0, f.rule, f.message))
    return Analysis(tuple(ordered), tuple(route_of(path) for path in paths), tuple(errors))


def judge_presented(shown: Presented, rules: Iterable[type[Rule]], settings: Settings) -> Analysis:
    """The findings about one certificate judged alone (``--check-certificate``): every rule's own
    ``check_presented``, the judgement it applies to each certificate of a path."""
    findings: list[Finding] = []
    errors: list[InputError] = []
    for rule in rules:
        try:
            findings.extend(_finding(rule, violation, None) for violation in rule().check_presented(shown, settings))
        except Exception as exc:  # noqa: BLE001 -- a rule's bug must not hide every other finding
            errors.append(InputError.internal(shown.certificate.loc.file, exc, f"in rule {rule.id}"))
    return Analysis(tuple(sorted(findings, key=lambda f: (f.line or 0, f.rule, f.message))), (), tuple(errors))


@dataclass
class _Merged:
    """One problem as every path that shows it: the finding of the first, the integrations and the cases
    (sets of assumptions) they stand on."""

    finding: Finding
    integrations: set[str] = field(default_factory=set)
    cases: list[dict[str, bool]] = field(default_factory=list)


def _merge(merged: dict[tuple, _Merged], finding: Finding, path: Path | None) -> None:
    """One finding per problem: a listener or certificate on the path of ten integrations is one finding
    (traced through the first), which says how many other integrations share it; found on several branches of
    undecided conditions, it is one finding that says in which cases it holds."""
    name = path.integration_name if path is not None else ""
    generic = finding.message.replace(name, "\0") if name else finding.message
    problem = merged.setdefault((finding.rule, finding.file, finding.line, finding.resource, generic),
                                _Merged(finding))
    problem.integrations.add(name)
    problem.cases.append(dict(path.assumptions) if path is not None else {})


def _stated(problem: _Merged, relations: Relations) -> Finding:
    """The finding with the cases it holds in, as simply as they can be said, and how many other
    integrations share it."""
    finding, cases = problem.finding, relations.simplest(problem.cases)
    message = finding.message + (f" (when {spoken(cases)})" if any(cases) else "")
    others = len(problem.integrations) - 1
    if others > 0:
        message += f" (also on the path of {others} other integration{'s' if others > 1 else ''})"
    return dataclasses.replace(finding, message=message,
                               identity=dataclasses.replace(finding.identity, conditions=statement(cases)))
