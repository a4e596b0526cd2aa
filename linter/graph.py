"""From resources to paths: integration -> VPC link -> load balancer -> listener -> target group -> targets.

For every API Gateway private integration in the run the graph finds the listener API Gateway reaches
(REST: by the URI's port; HTTP API: the listener ARN itself), follows it to target groups and targets
(through an ``alb`` target group into the ALB's listener), decides where TLS terminates and which
certificates can be presented, and records every hop it could not resolve as a :class:`Gap` -- it never
guesses. Undecided CloudFormation conditions fork the path; each path carries its assumptions.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from linter.model import (
    Certificate, CertificateFacts, CertificateSource, ChainStatus, Choice, HttpApiIntegration, Interpolated, Listener,
    ListenerCertificate, LoadBalancer, Model, Reference, Resource, RestIntegration, Target, TargetAttachment,
    TargetGroup, Unknown, VpcLink, first_unknown, known_bool, known_int, known_str,
)

MAX_VARIANTS = 64  # paths one integration may fork into before the rest are cut off


class Role(str, enum.Enum):
    INTEGRATION = "integration"
    VPC_LINK = "vpc_link"
    LOAD_BALANCER = "load_balancer"
    LISTENER = "listener"
    TARGET_GROUP = "target_group"
    TARGET = "target"
    CERTIFICATE = "certificate"
    HOST = "host_name"  # not a hop: the name API Gateway verifies, which a gap may leave unknown

    @property
    def label(self) -> str:
        """The role as people say it ("VPC link", "target group")."""
        return "VPC link" if self is Role.VPC_LINK else self.value.replace("_", " ")


# The hops every verdict about a listener stands on: a rule speaks only when none of them is a gap.
TO_LISTENER = frozenset({Role.INTEGRATION, Role.VPC_LINK, Role.LOAD_BALANCER, Role.LISTENER})


@dataclass(frozen=True)
class Hop:
    role: Role
    resource: Resource


@dataclass(frozen=True)
class Gap:
    """A hop or fact the files do not determine: what was being looked for, where the unresolved value is
    written, and why it is unknown (with how to supply it)."""

    role: Role
    subject: Resource
    field_name: str
    unknown: Unknown
    blocks: bool = True  # False for an unknown fact of a known certificate: rules check the facts they use


class Termination(enum.Enum):
    LISTENER = "at the load balancer's listener"
    BACKEND = "at the targets (TCP pass-through)"
    NONE = "nowhere (plain HTTP)"


@dataclass(frozen=True)
class TlsTermination:
    """Where the TLS session API Gateway opens ends, and with which certificates."""

    at: Termination
    listener: Listener | None = None
    certificates: tuple[Certificate, ...] = ()  # default certificate first, then the SNI list


Host = Union[str, Reference, Unknown, None]


@dataclass(frozen=True)
class Uri:
    scheme: str | None
    host: Host
    port: int | Unknown | None


@dataclass(frozen=True)
class Path:
    """One way a request travels, with everything the rules judge."""

    api: Literal["rest", "http"]
    integration: RestIntegration | HttpApiIntegration
    hops: tuple[Hop, ...]
    gaps: tuple[Gap, ...] = ()
    assumptions: tuple[tuple[str, bool], ...] = ()
    vpc_link: VpcLink | None = None
    load_balancer: LoadBalancer | None = None
    listener: Listener | None = None  # the listener API Gateway connects to
    listeners: tuple[Listener, ...] = ()  # every listener of that load balancer (for port diagnostics)
    port: int | None = None  # the port API Gateway uses (REST: from the URI)
    uri: Uri | None = None
    uses_tls: bool | None = None  # whether API Gateway speaks TLS to the listener; None when unknown
    tls: TlsTermination | None = None
    target_groups: tuple[TargetGroup, ...] = ()
    targets: tuple[Target, ...] = ()
    alb_listener: Listener | None = None  # an ALB listener reached through an ``alb`` target group
    host: Host = None  # the host name API Gateway verifies
    skip_verification: bool = False
    entry: Resource | None = None  # what the integration (or the v1 link) names: a load balancer or listener

    @property
    def tls_ends(self) -> Termination | None:
        """Where API Gateway's TLS session ends -- ``None`` when it does not speak TLS (or that is unknown)."""
        return self.tls.at if self.uses_tls and self.tls is not None else None

    @property
    def handshake_listener(self) -> Listener | None:
        """The listener whose protocol API Gateway's TLS (or plain HTTP) meets: the ALB listener behind an
        ``alb`` target group, else the listener reached."""
        return self.alb_listener or self.listener

    def blocked(self, needs: frozenset[Role]) -> bool:
        """Whether a hop (or fact) a verdict needs is a gap: then no error is claimed on top of it."""
        return any(gap.blocks and gap.role in needs for gap in self.gaps)

    @property
    def integration_name(self) -> str:
        """The integration as people know it: "OrdersGet (GET /orders)", "Api GET /orders"."""
        integration = self.integration
        route = getattr(integration, "route", "")
        return integration.name if not route or route in integration.name else f"{integration.name} ({route})"

    @property
    def presented_certificates(self) -> tuple[Certificate, ...]:
        """The certificates API Gateway may be shown: those of the list whose names cover the verified host
        (the load balancer picks among them), else the listener's default certificate [S28]."""
        certificates = self.tls.certificates if self.tls else ()
        if isinstance(self.host, Unknown) and len(certificates) > 1:
            return ()  # which one the load balancer picks depends on the name nobody knows
        if isinstance(self.host, str):
            matching = tuple(c for c in certificates
                             if not isinstance(c.facts.names, Unknown) and covers(c.facts.names, self.host))
            if matching:
                return matching
        return certificates[:1]

    @property
    def conditions(self) -> str:
        return ", ".join(f"{name}={'true' if value else 'false'}" for name, value in self.assumptions)


# --------------------------------------------------------------------------------------------- world


class World:
    """Every resource of the run, indexed the ways the walk needs."""

    def __init__(self, models: Iterable[Model],
                 lookup_certificate: Callable[[str], Certificate | Unknown | None] | None = None):
        self.resources: dict[str, Resource] = {}
        for model in models:
            self.resources.update(model.resources)
        self.lookup_certificate = lookup_certificate or (lambda _: None)
        self.listeners_of: dict[str, list[Listener]] = defaultdict(list)
        self.sni_of: dict[str, list[ListenerCertificate]] = defaultdict(list)
        self.attachments_of: dict[str, list[TargetAttachment]] = defaultdict(list)
        for resource in self.resources.values():
            if isinstance(resource, Listener):
                for key in _reference_keys(resource.load_balancer):
                    self.listeners_of[key].append(resource)
            elif isinstance(resource, ListenerCertificate):
                for key in _reference_keys(resource.listener):
                    self.sni_of[key].append(resource)
            elif isinstance(resource, TargetAttachment):
                for key in _reference_keys(resource.target_group):
                    self.attachments_of[key].append(resource)

    def integrations(self) -> Iterator[RestIntegration | HttpApiIntegration]:
        for resource in self.resources.values():
            if isinstance(resource, (RestIntegration, HttpApiIntegration)):
                yield resource


def _reference_keys(value: Any) -> Iterator[str]:
    if isinstance(value, Reference):
        yield value.key
    elif isinstance(value, Choice):
        yield from _reference_keys(value.if_true)
        yield from _reference_keys(value.if_false)


# ---------------------------------------------------------------------------------------- conditions

Assumptions = dict[str, bool]


def _settle(value: Any, assumptions: Assumptions) -> Iterator[tuple[Any, Assumptions]]:
    """Every concrete form of a value under the assumptions, extending them where a choice is undecided."""
    if isinstance(value, Choice):
        decided = assumptions.get(value.condition)
        for branch, truth in ((value.if_true, True), (value.if_false, False)):
            if decided is None or decided == truth:
                yield from _settle(branch, {**assumptions, value.condition: truth})
    elif isinstance(value, (tuple, list)):
        yield from _settle_sequence(list(value), assumptions, type(value))
    elif isinstance(value, CertificateFacts):
        names = [f.name for f in dataclasses.fields(value)]
        for items, settled in _settle_sequence([getattr(value, n) for n in names], assumptions, list):
            yield dataclasses.replace(value, **dict(zip(names, items))), settled
    else:
        yield value, assumptions


def _settle_sequence(items: list, assumptions: Assumptions, kind: type) -> Iterator[tuple[Any, Assumptions]]:
    if not any(_has_choice(item) for item in items):
        yield kind(items) if kind is not list else items, assumptions
        return
    index = next(i for i, item in enumerate(items) if _has_choice(item))
    for head, settled in _settle(items[index], assumptions):
        yield from _settle_sequence([*items[:index], head, *items[index + 1:]], settled, kind)


def _has_choice(value: Any) -> bool:
    if isinstance(value, Choice):
        return True
    if isinstance(value, (tuple, list)):
        return any(_has_choice(v) for v in value)
    if isinstance(value, CertificateFacts):
        return any(_has_choice(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


_BASE_FIELDS = {f.name for f in dataclasses.fields(Resource)}


def variants(resource: Resource, assumptions: Assumptions) -> Iterator[tuple[Resource, Assumptions]]:
    """The resource with every undecided choice settled, once per consistent set of assumptions."""
    if resource.condition is not None:
        if assumptions.get(resource.condition) is False:
            return
        assumptions = {**assumptions, resource.condition: True}
    names = [f.name for f in dataclasses.fields(resource) if f.name not in _BASE_FIELDS]
    values = [getattr(resource, n) for n in names]
    if not any(_has_choice(v) for v in values):
        yield resource, assumptions
        return
    for count, (settled_values, settled) in enumerate(_settle_sequence(values, assumptions, list)):
        if count >= MAX_VARIANTS:
            return
        yield dataclasses.replace(resource, **dict(zip(names, settled_values))), settled


# ----------------------------------------------------------------------------------------------- URI

_URI = re.compile(r"^(?P<scheme>[A-Za-z][\w+.-]*)://(?P<host>[^/:?#]*)(?::(?P<port>[^/?#]*))?")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([\w-]+)\}")
_ELB_DNS = re.compile(r"\.elb\.([a-z0-9-]+\.)?amazonaws\.com(\.cn)?$", re.I)


def parse_uri(value: Any) -> Uri | Unknown:
    """Scheme, host and port of an integration URI that may be partly unknown."""
    if isinstance(value, str):
        parts: tuple = (value,)
    elif isinstance(value, Interpolated):
        parts = value.parts
    else:
        return first_unknown(value) or Unknown("the integration URI is not set")
    text = "".join(p if isinstance(p, str) else f"\x00{i}\x00" for i, p in enumerate(parts))
    match = _URI.match(text)
    if match is None:
        return first_unknown(value) or Unknown(f"'{value}' is not a URL")
    if _PLACEHOLDER.search(match.group("scheme")):
        return first_unknown(value) or Unknown("the URI scheme is only known at deploy time")
    return Uri(match.group("scheme").lower(), _piece(match.group("host"), parts),
               _port(match.group("port"), parts, match.group("scheme").lower()))


def _piece(text: str, parts: tuple) -> Host:
    whole = _PLACEHOLDER.fullmatch(text)
    if whole:
        return parts[int(whole.group(1))]
    if _PLACEHOLDER.search(text):
        unknown = next(parts[int(i)] for i in _PLACEHOLDER.findall(text))
        return unknown if isinstance(unknown, Unknown) else Unknown("part of the host is only known at deploy time")
    stage = _STAGE_VARIABLE.search(text)
    if stage:
        return Unknown(f"the host comes from stage variable '{stage.group(1)}'",
                       "stage variables are set per stage at deploy time")
    return text.lower()


def _port(text: str | None, parts: tuple, scheme: str) -> int | Unknown | None:
    if text is None or text == "":
        return {"https": 443, "http": 80}.get(scheme)
    number = known_int(text)
    if number is not None:
        return number
    stage = _STAGE_VARIABLE.search(text)
    if stage:
        return Unknown(f"the port comes from stage variable '{stage.group(1)}'")
    unknown = next((parts[int(i)] for i in _PLACEHOLDER.findall(text)), None)
    if unknown is None:
        return Unknown(f"the URI port '{text}' is not a number")
    return unknown if isinstance(unknown, Unknown) else Unknown("the URI port is only known at deploy time")


def plaintext_signs(path: Path) -> list[tuple[TargetGroup, str, str]]:
    """Target groups on the path that look like plain HTTP backends: (group, field, why)."""
    signs = []
    for group in path.target_groups:
        if (known_str(group.health_check_protocol) or "").upper() == "HTTP":
            signs.append((group, "health_check_protocol", "its health check speaks plain HTTP"))
        elif known_int(group.port) in (80, 8080):
            signs.append((group, "port", f"it forwards to port {known_int(group.port)}"))
    return signs


def covers(names: Iterable[str], host: str) -> bool:
    """Whether a certificate's DNS names cover a host; a wildcard stands for exactly one label."""
    host = host.lower().rstrip(".")
    for name in names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def is_load_balancer_dns(host: Host) -> bool:
    """Whether a host is a load balancer's own DNS name (no public CA issues certificates for those)."""
    if isinstance(host, Reference):
        return host.attribute == "dns_name"
    return isinstance(host, str) and bool(_ELB_DNS.search(host))


# ---------------------------------------------------------------------------------------------- walk

TCP_CAPABLE = {"TCP", "TLS", "TCP_UDP", "HTTP", "HTTPS", "TCP_QUIC"}
TLS_PROTOCOLS = {"TLS", "HTTPS"}
PASS_THROUGH = {"TCP", "TCP_UDP", "TCP_QUIC"}
LISTENER_ARN = re.compile(r"^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:listener/")
CLOUD_MAP_ARN = re.compile(r"^arn:[^:]+:servicediscovery:")
IAM_CERTIFICATE_ARN = re.compile(r"^arn:[^:]+:iam::[^:]*:server-certificate/")


def protocol_of(listener: Listener | TargetGroup) -> str:
    return (known_str(listener.protocol) or "").upper()


@dataclass
class _Walk:
    """The state of one path under construction; copied at every fork."""

    world: World
    api: Literal["rest", "http"]
    integration: Any
    assumptions: Assumptions = field(default_factory=dict)
    hops: list[Hop] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    def fork(self, assumptions: Assumptions | None = None) -> _Walk:
        return _Walk(self.world, self.api, self.integration,
                     dict(self.assumptions if assumptions is None else assumptions),
                     list(self.hops), list(self.gaps), dict(self.values))

    def hop(self, role: Role, resource: Resource) -> _Walk:
        self.hops.append(Hop(role, resource))
        return self

    def gap(self, role: Role, subject: Resource, field_name: str, unknown: Unknown, blocks: bool = True) -> _Walk:
        self.gaps.append(Gap(role, subject, field_name, unknown, blocks))
        return self

    def path(self) -> Path:
        return Path(api=self.api, integration=self.integration, hops=tuple(self.hops), gaps=tuple(self.gaps),
                    assumptions=tuple(sorted(self.assumptions.items())), **self.values)

    def resolve(self, value: Any, role: Role, subject: Resource, field_name: str,
                types: tuple[type, ...]) -> Iterator[tuple[_Walk, Resource | None]]:
        """Follow a value to the resource it names. Yields (walk, resource) -- the resource may be of another
        type than ``types`` (the rules judge such wiring) -- or (walk, None) with a gap recorded."""
        for settled, assumptions in _settle(value, self.assumptions):
            target = self.world.resources.get(settled.key) if isinstance(settled, Reference) else None
            if target is None:
                yield self.fork(assumptions).gap(role, subject, field_name, _missing(settled, role)), None
            elif isinstance(target, types):
                for variant, settled_assumptions in variants(target, assumptions):
                    yield self.fork(settled_assumptions), variant
            else:
                yield self.fork(assumptions), target


def _missing(value: Any, role: Role) -> Unknown:
    what = role.label
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Reference):
        return Unknown(f"the {what} '{value.key.split('#')[-1]}' is not among the scanned resources",
                       "scan the files that define it together with this one")
    unknown = first_unknown(value)
    if unknown is not None:
        return unknown
    text = known_str(value) or (str(value) if isinstance(value, Interpolated) else None)
    if text and "stageVariables." in text:
        return Unknown(f"the {what} comes from a stage variable ({text})",
                       "stage variables are set per stage at deploy time; reference the resource directly")
    if value is None:
        return Unknown(f"no {what} is set")
    return Unknown(f"the {what} '{text}' is not defined in the scanned files",
                   "scan the files that define it, or reference the resource instead of a literal id")


def build_paths(world: World) -> Iterator[Path]:
    """Every path of every private integration in the world (at most MAX_VARIANTS per integration)."""
    for integration in world.integrations():
        yield from itertools.islice(_paths_of(world, integration), MAX_VARIANTS)


def _paths_of(world: World, integration: Resource) -> Iterator[Path]:
    for settled, assumptions in variants(integration, {}):
        api: Literal["rest", "http"] = "rest" if isinstance(settled, RestIntegration) else "http"
        yield from _integration(_Walk(world, api, settled, assumptions), settled)


def _integration(walk: _Walk, integration: Any) -> Iterator[Path]:
    connection = known_str(integration.connection_type)
    if connection is None:
        if integration.connection_type is None or integration.connection_id is None:
            return  # INTERNET is the default: not a private integration
        walk.gap(Role.VPC_LINK, integration, "connection_type", first_unknown(integration.connection_type)
                 or Unknown("the connection type is only known at deploy time"))
    elif connection.upper() != "VPC_LINK":
        return
    walk.hop(Role.INTEGRATION, integration)
    if isinstance(integration, RestIntegration):
        _read_rest_uri(walk, integration)
    else:
        walk.values.update(uses_tls=integration.tls_config, host=integration.server_name_to_verify)
        _unknown_host(walk, integration, "server_name_to_verify")
    for link_walk, link in walk.resolve(integration.connection_id, Role.VPC_LINK, integration, "connection_id",
                                        (VpcLink,)):
        if isinstance(link, VpcLink):
            link_walk.hop(Role.VPC_LINK, link).values.update(vpc_link=link)
            yield from _after_link(link_walk, integration, link)
        else:
            yield link_walk.path()


def _read_rest_uri(walk: _Walk, integration: RestIntegration) -> None:
    skip = known_bool(integration.skip_verification)
    if integration.skip_verification is not None and skip is None:
        walk.gap(Role.INTEGRATION, integration, "skip_verification", first_unknown(integration.skip_verification)
                 or Unknown("insecureSkipVerification is computed"))
    walk.values.update(skip_verification=bool(skip))
    uri = parse_uri(integration.uri)
    if isinstance(uri, Unknown):
        walk.gap(Role.LISTENER, integration, "uri", uri)
        return
    walk.values.update(uri=uri, host=uri.host, uses_tls=uri.scheme == "https",
                       port=uri.port if isinstance(uri.port, int) else None)
    if isinstance(uri.port, Unknown):
        walk.gap(Role.LISTENER, integration, "uri", uri.port)
    _unknown_host(walk, integration, "uri")


def _unknown_host(walk: _Walk, integration: Any, field_name: str) -> None:
    """A TLS host name nobody can read means the certificate's names cannot be checked: say so."""
    if walk.values.get("uses_tls") and isinstance(walk.values.get("host"), Unknown):
        unknown = walk.values["host"]
        walk.gap(Role.HOST, integration, field_name, unknown)


def _after_link(walk: _Walk, integration: Any, link: VpcLink) -> Iterator[Path]:
    """From the VPC link to what the integration names: a load balancer (REST) or a listener."""
    if isinstance(integration, HttpApiIntegration):
        entry, subject, field_name = integration.integration_uri, integration, "integration_uri"
        text = known_str(entry)
        if text is not None and not LISTENER_ARN.match(text):
            if not CLOUD_MAP_ARN.match(text):
                yield walk.path()  # E9509: neither a listener nor a Cloud Map service
            return
    elif link.version == 2 or integration.integration_target is not None:
        entry, subject, field_name = integration.integration_target, integration, "integration_target"
    elif isinstance(link.targets, Unknown):
        yield walk.gap(Role.LOAD_BALANCER, link, "targets", link.targets).path()
        return
    else:
        entry, subject, field_name = (link.targets[0] if len(link.targets) == 1 else None), link, "targets"
    if entry is None:
        yield walk.path()  # E9509: nothing to reach (v2 without IntegrationTarget, v1 without one target)
        return
    for target_walk, target in walk.resolve(entry, Role.LOAD_BALANCER, subject, field_name, (LoadBalancer, Listener)):
        target_walk.values.update(entry=target)
        if isinstance(target, Listener):
            yield from _from_listener(target_walk, target)
        elif isinstance(target, LoadBalancer):
            target_walk.hop(Role.LOAD_BALANCER, target).values.update(load_balancer=target)
            if isinstance(integration, RestIntegration):
                yield from _listeners(target_walk, target)
            else:
                yield target_walk.path()  # E9509: an HTTP API names a listener, not a load balancer
        else:
            yield target_walk.path()


def _listeners(walk: _Walk, balancer: LoadBalancer) -> Iterator[Path]:
    """The listener on the port API Gateway uses, among every listener of the load balancer."""
    settled = [(listener, a) for candidate in walk.world.listeners_of.get(balancer.key, [])
               for listener, a in variants(candidate, walk.assumptions)
               if balancer.key in set(_reference_keys(listener.load_balancer))]
    walk.values.update(listeners=tuple(listener for listener, _ in settled))
    if not settled:
        yield walk.gap(Role.LISTENER, balancer, "lb_type", Unknown(
            f"no listener of load balancer '{balancer.name}' is among the scanned resources",
            "scan the files that define its listeners")).path()
        return
    port = walk.values.get("port")
    if port is None:
        yield walk.path()  # the URI or its port is unknown: a gap says so already
        return
    matching = [(listener, a) for listener, a in settled if known_int(listener.port) == port]
    capable = [(listener, a) for listener, a in matching if protocol_of(listener) in TCP_CAPABLE]
    if not capable:
        for listener, _ in settled:
            if known_int(listener.port) is None:
                walk.gap(Role.LISTENER, listener, "port", first_unknown(listener.port)
                         or Unknown("the listener port is only known at deploy time"))
        for listener, _ in matching:
            if not protocol_of(listener):
                walk.gap(Role.LISTENER, listener, "protocol", first_unknown(listener.protocol)
                         or Unknown("the listener protocol is not set"))
        yield walk.path()  # E9507 unless a gap says why the listener cannot be told
        return
    for listener, assumptions in capable:
        yield from _at_listener(walk.fork(assumptions), listener)


def _from_listener(walk: _Walk, listener: Listener) -> Iterator[Path]:
    """A path that names its listener directly (HTTP API IntegrationUri, REST IntegrationTarget)."""
    walk.values.update(port=known_int(listener.port), listeners=(listener,))
    for balancer_walk, balancer in walk.resolve(listener.load_balancer, Role.LOAD_BALANCER, listener,
                                                "load_balancer", (LoadBalancer,)):
        if isinstance(balancer, LoadBalancer):
            balancer_walk.hop(Role.LOAD_BALANCER, balancer).values.update(load_balancer=balancer)
        yield from _at_listener(balancer_walk, listener)


def _at_listener(walk: _Walk, listener: Listener) -> Iterator[Path]:
    walk.hop(Role.LISTENER, listener).values.update(listener=listener)
    if not protocol_of(listener):
        yield walk.gap(Role.LISTENER, listener, "protocol", first_unknown(listener.protocol)
                       or Unknown("the listener protocol is not set")).path()
        return
    yield from _target_groups(walk, listener, list(listener.target_groups))


def _target_groups(walk: _Walk, listener: Listener, remaining: list) -> Iterator[Path]:
    """Collect every target group of the listener (forking only on conditions), then finish the path."""
    if not remaining:
        yield from _through_alb(walk, listener)
        return
    for group_walk, group in walk.resolve(remaining[0], Role.TARGET_GROUP, listener, "target_groups", (TargetGroup,)):
        walks: Iterable[_Walk] = (group_walk,)
        if isinstance(group, TargetGroup):
            group_walk.hop(Role.TARGET_GROUP, group)
            group_walk.values.update(target_groups=(*group_walk.values.get("target_groups", ()), group))
            walks = _fold(group_walk, walk.world.attachments_of.get(group.key, []), _register(group))
        for registered in walks:
            yield from _target_groups(registered, listener, remaining[1:])


def _fold(walk: _Walk, items: list, apply: Callable[[_Walk, Any], None]) -> Iterator[_Walk]:
    """Apply each item (a registration, an SNI certificate) to the walk, once per variant consistent with its
    assumptions: an item an undecided condition splits forks the walk, an item absent under them is skipped."""
    if not items:
        yield walk
        return
    options = list(itertools.islice(variants(items[0], walk.assumptions), MAX_VARIANTS))
    if not options:
        yield from _fold(walk, items[1:], apply)
        return
    for variant, assumptions in options:
        branch = walk.fork(assumptions)
        apply(branch, variant)
        yield from _fold(branch, items[1:], apply)


def _register(group: TargetGroup) -> Callable[[_Walk, TargetAttachment], None]:
    """Add what an attachment registers with ``group`` to the walk: a target, or the ALB of an alb group."""
    def apply(walk: _Walk, attachment: TargetAttachment) -> None:
        if group.key not in set(_reference_keys(attachment.target_group)):
            return
        target = walk.world.resources.get(attachment.target.key) if isinstance(attachment.target, Reference) else None
        if isinstance(target, Target) and target not in walk.values.get("targets", ()):
            walk.hop(Role.TARGET, target).values.update(targets=(*walk.values.get("targets", ()), target))
        elif isinstance(target, LoadBalancer):
            walk.values.setdefault("albs", {})[group.key] = target
    return apply


def _through_alb(walk: _Walk, listener: Listener) -> Iterator[Path]:
    """A TCP listener forwarding to an ``alb`` target group continues at the ALB's listener on the group's
    port; that listener is where TLS terminates (aws-tls-path.md §4.3 [S34])."""
    albs = walk.values.pop("albs", {})
    group = next((g for g in walk.values.get("target_groups", ())
                  if (known_str(g.target_type) or "").lower() == "alb"), None)
    if group is None or protocol_of(listener) in TLS_PROTOCOLS:
        yield from _terminate(walk, listener)
        return
    alb = albs.get(group.key)
    if alb is None:
        yield walk.gap(Role.LOAD_BALANCER, group, "target_type", Unknown(
            f"the Application Load Balancer registered with target group '{group.name}' is not among the "
            "scanned resources", "scan the files that register it")).path()
        return
    walk.hop(Role.LOAD_BALANCER, alb)
    port = known_int(group.port)
    inner = [(candidate, a) for declared in walk.world.listeners_of.get(alb.key, [])
             for candidate, a in variants(declared, walk.assumptions) if known_int(candidate.port) == port]
    if not inner:
        yield walk.gap(Role.LISTENER, group, "port", Unknown(
            f"no listener of '{alb.name}' on port {port} is among the scanned resources",
            "the ALB needs a listener on the target group's port")).path()
        return
    for alb_listener, assumptions in inner:
        inner_walk = walk.fork(assumptions)
        inner_walk.hop(Role.LISTENER, alb_listener).values.update(alb_listener=alb_listener)
        yield from _terminate(inner_walk, alb_listener)


def _terminate(walk: _Walk, listener: Listener) -> Iterator[Path]:
    protocol = protocol_of(listener)
    if protocol in TLS_PROTOCOLS:
        for certificate_walk, certificates in _certificates(walk, listener):
            certificate_walk.values.update(tls=TlsTermination(Termination.LISTENER, listener, certificates))
            yield certificate_walk.path()
        return
    passthrough = protocol in PASS_THROUGH and walk.values.get("uses_tls") is True
    walk.values.update(tls=TlsTermination(Termination.BACKEND if passthrough else Termination.NONE, listener))
    yield walk.path()


def _certificates(walk: _Walk, listener: Listener) -> Iterator[tuple[_Walk, tuple[Certificate, ...]]]:
    """The default certificate and the SNI list of a TLS/HTTPS listener, once per consistent combination."""
    def add_sni(branch: _Walk, extra: ListenerCertificate) -> None:
        if listener.key in set(_reference_keys(extra.listener)):
            branch.values["sni"] = (*branch.values.get("sni", ()), *((value, extra) for value in extra.certificates))

    for listed in _fold(walk, walk.world.sni_of.get(listener.key, []), add_sni):
        written = [*((value, listener) for value in listener.certificates), *listed.values.pop("sni", ())]
        if not written:
            yield listed.gap(Role.CERTIFICATE, listener, "certificates", Unknown("the listener names no certificate")), ()
        else:
            yield from _collect_certificates(listed, written, ())


def _collect_certificates(walk: _Walk, written: list, found: tuple) -> Iterator[tuple[_Walk, tuple[Certificate, ...]]]:
    if not written:
        yield walk, found
        return
    (value, subject), rest = written[0], written[1:]
    for settled, assumptions in _settle(value, walk.assumptions):
        for branch, certificate in _certificate(walk.fork(assumptions), settled, subject):
            if certificate.source is not CertificateSource.UNRESOLVED:
                branch.hop(Role.CERTIFICATE, certificate)
            yield from _collect_certificates(branch, rest, (*found, certificate))


def _certificate(walk: _Walk, value: Any, subject: Resource) -> Iterator[tuple[_Walk, Certificate]]:
    """The certificate a listener names -- a resource of the run (once per variant), an ARN looked up in ACM --
    or, as a gap, a stand-in that keeps its place in the list (so the SNI list is never taken for the
    default certificate)."""
    resource = walk.world.resources.get(value.key) if isinstance(value, Reference) else None
    if isinstance(resource, Certificate):
        for certificate, assumptions in itertools.islice(variants(resource, walk.assumptions), MAX_VARIANTS):
            branch = walk.fork(assumptions)
            _fact_gaps(branch, certificate)
            yield branch, certificate
        return
    arn = known_str(value)
    if arn is not None and arn.startswith("arn:"):
        found = walk.world.lookup_certificate(arn)
        if isinstance(found, Certificate):  # from ACM: located where this listener names it
            found = dataclasses.replace(found, loc=subject.at("certificates"))
            _fact_gaps(walk, found)
            yield walk, found
            return
        unknown = found if isinstance(found, Unknown) else _arn_only(arn)
        source, name = CertificateSource.ARN, arn.rsplit("/", 1)[-1]
    else:
        unknown = _missing(value, Role.CERTIFICATE)
        source, name = CertificateSource.UNRESOLVED, f"a certificate of '{subject.name}'"
    walk.gap(Role.CERTIFICATE, subject, "certificates", unknown)
    yield walk, Certificate(key=f"{subject.key}#certificate:{arn or name}", name=name, loc=subject.at("certificates"),
                            source=source, facts=CertificateFacts(trust=unknown, names=unknown), arn=arn)


def _arn_only(arn: str) -> Unknown:
    if IAM_CERTIFICATE_ARN.match(arn):
        return Unknown(f"IAM server certificate {arn} is known only by its ARN (ACM does not hold it)",
                       "manage the certificate in the scanned files (AWS::IAM::ServerCertificate, "
                       "aws_iam_server_certificate)")
    return Unknown(f"certificate {arn} is known only by its ARN",
                   "run with --acm to look it up (read-only), or manage the certificate in the scanned files")


def _fact_gaps(walk: _Walk, certificate: Certificate) -> None:
    """A certificate whose trust or names cannot be told is a gap -- unless its chain already explains it
    (E9505 speaks for that)."""
    if certificate.facts.chain in (ChainStatus.MISSING, ChainStatus.BROKEN, ChainStatus.NO_ROOT):
        return
    for fact, field_name in ((certificate.facts.trust, "trust"), (certificate.facts.names, "names")):
        if isinstance(fact, Unknown):
            walk.gap(Role.CERTIFICATE, certificate, field_name, fact, blocks=False)
            return
