"""What a rule reads: one path a request travels, and the situations on it a rule can judge.

A :class:`Path` is integration -> VPC link -> load balancer -> listener -> target group -> targets -- or, for a
public integration, integration -> (DNS records) -> load balancer -> ... or an instance -- as far as the files
tell (the walk that builds paths is :mod:`linter.walk`). Every hop it passed is a :class:`Hop`,
every hop or fact the files do not determine is a :class:`Gap`, and an undecided condition forks the path:
each path carries the assumptions it stands on.

A rule's first line says which situation it judges, through a view that is ``None`` when the situation does
not apply and otherwise carries everything the situation guarantees:

* :attr:`Path.private_link` -- the VPC link and what the integration names through it (:class:`PrivateLink`);
* :attr:`Path.connection` -- the listener API Gateway's connection meets and whether it speaks TLS
  (:class:`Connection`);
* :attr:`Path.unmatched_port` -- the port API Gateway connects to has no listener that can take it
  (:class:`UnmatchedPort`);
* :attr:`Path.tls_at_listener` -- API Gateway's TLS session ends at a listener's certificate
  (:class:`TlsAtListener`);
* :attr:`Path.pass_through` -- it passes through a TCP listener to the targets' own certificate
  (:class:`PassThrough`);
* :attr:`Path.tls_at_targets` -- it ends at the targets' own certificate: passed through a TCP listener, or
  straight at an instance a public URI names (:class:`TlsAtTargets`);
* :attr:`Path.public` -- the integration has no VPC link: API Gateway connects over the internet to the URI's
  host (:class:`PublicIntegration`); a load balancer it reaches there is judged through the views above like
  one reached through a link;
* :attr:`Path.unchecked_endpoint` -- TLS ends at a public endpoint whose certificate neither the files nor
  ``--probe`` show (:class:`UncheckedEndpoint`);
* :attr:`Path.presented` -- every certificate API Gateway may be shown (a TLS listener's, or what ``--probe``
  saw where the files cannot show one), each a :class:`Presented` that certificate rules judge alone -- the
  same judgement ``tlspath --check-certificate`` applies to a PEM file;
* :attr:`Path.guarded_listener` -- security groups of the load balancer guard the listener's port
  (:class:`GuardedListener`);
* :attr:`Path.placed` -- the hops whose region or account the files state (:class:`Placed`).

What holds for every path -- ``api``, ``integration``, ``integration_name``, the verified ``host``,
``skip_verification``, ``gaps`` -- is read from the path itself. Rules never see YAML or HCL: the resources
are those of :mod:`linter.model`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

from linter.model import (
    Certificate, CertificateSource, EndpointService, HttpApiIntegration, InboundRule, Interpolated, Listener, LoadBalancer, Location,
    Placement, Reference, Resource, RestIntegration, SecurityGroup, Target, TargetGroup, Unknown, VpcLink, known_int,
    known_str,
)
from linter.names import Name, as_name, covers, off_the_internet


class Role(str, enum.Enum):
    """What a hop (or a gap) is on the path. SECURITY_GROUP and HOST are kinds of gap only, never hops; rules
    that keep the default ``needs`` (every role) include them, which holds back nothing for SECURITY_GROUP only
    because its gap never blocks (``Gap.blocks`` is False: W9517 alone reads the groups)."""

    INTEGRATION = "integration"
    VPC_LINK = "vpc_link"
    LOAD_BALANCER = "load_balancer"
    LISTENER = "listener"
    TARGET_GROUP = "target_group"
    TARGET = "target"
    CERTIFICATE = "certificate"
    DNS_RECORD = "dns_record"  # a public path: the Route 53 record the URI's host resolves through
    ELASTIC_IP = "elastic_ip"  # a public path: the Elastic IP the host is, or resolves to
    ENDPOINT = "endpoint"  # a public path: the instance API Gateway connects to, whose own certificate it validates
    SECURITY_GROUP = "security_group"  # not a hop: a group of the load balancer whose inbound rules may be elsewhere
    HOST = "host_name"  # not a hop: the name API Gateway verifies, which a gap may leave unknown

    @property
    def label(self) -> str:
        """The role as people say it ("VPC link", "target group", "DNS record")."""
        return _LABELS.get(self, self.value.replace("_", " "))


_LABELS = {Role.VPC_LINK: "VPC link", Role.DNS_RECORD: "DNS record", Role.ELASTIC_IP: "Elastic IP"}


# The hops every verdict about a listener stands on: a rule speaks only when none of them is a gap. The VPC
# link is not one of them: where the link decides the load balancer (REST, v1) the walk cannot pass an
# unresolved link, and where the integration names its listener or load balancer itself an unresolved link
# hides nothing behind it.
TO_LISTENER = frozenset({Role.INTEGRATION, Role.LOAD_BALANCER, Role.LISTENER})

# The kind of API an integration belongs to. A WebSocket API's integrations work the way a REST API's do (its
# integration URI gives scheme, host and port; a v1 link reaches the NLB): rules that judge "by the URI" judge both.
Api = Literal["rest", "http", "websocket"]
BY_URI: frozenset[str] = frozenset({"rest", "websocket"})


# The path and its views compare by identity and print as plain objects (``eq=False, repr=False`` on every
# dataclass of this module): rules read their fields, nothing compares, hashes or prints them, and the sixteen
# classes' generated ``__eq__``/``__hash__``/``__repr__`` were code compiled at import in every run -- start-up
# a pre-commit hook pays on every commit (README, Performance).


@dataclass(frozen=True, eq=False, repr=False)
class Hop:
    """A resource the path passes through, in the role it plays there."""

    role: Role
    resource: Resource


@dataclass(frozen=True, eq=False, repr=False)
class Gap:
    """A hop or fact the files do not determine: what was being looked for, where the unresolved value is
    written, and why it is unknown (with how to supply it)."""

    role: Role
    subject: Resource
    field_name: str
    unknown: Unknown
    blocks: bool = True  # False for an unknown fact of a known certificate: rules check the facts they use


# --------------------------------------------------------------------------------------- vocabulary

TLS_PROTOCOLS = frozenset({"TLS", "HTTPS"})  # listeners that terminate TLS with a certificate of their own
PASS_THROUGH = frozenset({"TCP", "TCP_UDP", "TCP_QUIC"})  # listeners that pass TLS through to the targets
TCP_CAPABLE = TLS_PROTOCOLS | PASS_THROUGH | {"HTTP"}  # listeners API Gateway can connect to at all

LISTENER_ARN = re.compile(r"^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:listener/")
CLOUD_MAP_ARN = re.compile(r"^arn:[^:]+:servicediscovery:")
IAM_CERTIFICATE_ARN = re.compile(r"^arn:[^:]+:iam::[^:]*:server-certificate/")
_ARN = re.compile(r"^arn:[^:]+:[^:]+:(?P<region>[^:]*):(?P<account>[^:]*):")
_ALL_PROTOCOLS = frozenset({"-1", "all"})
_TCP = frozenset({"tcp", "6"})
_ELB_DNS = re.compile(r"\.elb\.([a-z0-9-]+\.)?amazonaws\.com(\.cn)?$", re.IGNORECASE)
_AMAZON = re.compile(r"(^|\.)amazonaws\.com(\.cn)?$", re.IGNORECASE)

# The name API Gateway verifies: written out, assembled from values only known at deploy time (a name of
# linter.names), a reference (a name only AWS knows: a load balancer's or an instance's own DNS name), unknown,
# or None when none is sent.
Host = str | Interpolated | Reference | Unknown | None


def protocol_of(resource: Listener | TargetGroup) -> str:
    """The protocol in upper case; ``""`` when the files do not say."""
    return (known_str(resource.protocol) or "").upper()


def certificate_covers(certificate: Certificate, host: Host) -> bool | None:
    """Whether a certificate's names cover the verified host: certainly, certainly not, or ``None`` when it
    depends on values the files do not give (:mod:`linter.names`)."""
    names = certificate.facts.names
    if isinstance(names, Unknown) or host is None:
        return None
    results = {_name_covers(pattern, host) for pattern in map(as_name, names) if pattern is not None}
    return True if True in results else None if None in results else False


def host_coverage(host: Host, certificates: Iterable[Certificate]) -> bool | None:
    """Whether one of the certificates covers the host (the load balancer picks it by SNI): ``True`` as soon
    as one certainly does, ``False`` when none can, ``None`` when it depends."""
    results = {certificate_covers(certificate, host) for certificate in certificates}
    return True if True in results else False if results == {False} else None


def _name_covers(pattern: Name, host: str | Interpolated | Reference | Unknown) -> bool | None:
    """One name against the host. Values the files do not give may cancel out (the same variable on both
    sides), but never prove a mismatch: that stays undecided, and the walk names what is missing."""
    if isinstance(host, Reference) and isinstance(pattern, str):  # a name AWS assigns, under amazonaws.com
        return None if _AMAZON.search(pattern.rstrip(".")) else False
    result = covers(pattern, as_name(host) or "")
    return None if result is False and not (isinstance(pattern, str) and isinstance(host, str)) else result


def arn_placement(value: object, loc: Location) -> Placement | None:
    """Where an ARN written out says its resource is (an IAM ARN names no region); ``None`` for anything but a
    literal ARN."""
    match = _ARN.match(known_str(value) or "")
    if match is None:
        return None
    return Placement(match["region"] or None, match["account"] or None, "its ARN", loc)


def admits_tcp(rule: InboundRule, port: int) -> bool | None:
    """Whether an inbound rule lets TCP connections to ``port`` in; ``None`` when its protocol or ports are not
    known."""
    protocol = (known_str(rule.protocol) or "").lower()
    if protocol in _ALL_PROTOCOLS:
        return True
    if not protocol:
        return None
    if protocol not in _TCP:
        return False
    low, high = known_int(rule.from_port), known_int(rule.to_port)
    return None if low is None or high is None else low <= port <= high


_HTTP, _HTTPS, _HIGH = 80, 443, range(1024, 65536)  # the endpoint ports HTTP integrations support [S27]
API_GATEWAY_PORTS = f"{_HTTP}, {_HTTPS} and {_HIGH.start}-{_HIGH.stop - 1}"


def port_api_gateway_allows(port: int) -> bool:
    """Whether API Gateway connects to an HTTP integration endpoint on ``port`` (aws-tls-path.md §8 [S27])."""
    return port in (_HTTP, _HTTPS) or port in _HIGH


def port_to_use(*, plain_http: bool) -> str:
    """The port a fix suggests: HTTPS's first, or another one API Gateway connects to (80 only where a plain HTTP
    endpoint may be meant)."""
    http = f"{_HTTP}, or " if plain_http else ""
    return f"port {_HTTPS} (or {http}one from {_HIGH.start} to {_HIGH.stop - 1})"


def is_load_balancer_dns(host: Host) -> bool:
    """Whether a host is a load balancer's own DNS name (no public CA issues certificates for those)."""
    if isinstance(host, Reference):
        return host.attribute == "dns_name"
    return isinstance(host, str) and bool(_ELB_DNS.search(host))


def statement(cases: Iterable[tuple[tuple[str, bool], ...]]) -> str:
    """The cases as a key: "UseTls=false, var.private=true", several as "IsProd=true; or UseTls=false"; ""
    when it holds unconditionally. A finding's identity (and so every fingerprint a baseline keeps) uses this
    form, which no change of wording touches; people read :func:`spoken`."""
    return "; or ".join(", ".join(f"{name}={'true' if value else 'false'}" for name, value in case)
                        for case in cases if case)


def spoken(cases: Iterable[tuple[tuple[str, bool], ...]]) -> str:
    """The cases a finding holds in, as it states them after "when": "UseTls is false and var.private is
    true", "var.env != \"prod\"", several as "IsProd is true; or UseTls is false"; "" when it holds
    unconditionally."""
    return "; or ".join(" and ".join(_condition(name, truth) for name, truth in case) for case in cases if case)


_ON_STAGE = re.compile(r"^stage '(?P<stage>.*)' of (?P<api>.*)$", re.DOTALL)


def on_stage(api: str, stage: str) -> str:
    """The assumption that a request comes on one stage of an API (by its key): the walk forks an integration
    whose URI or connection id reads stage variables once per stage, as on an undecided condition, and a
    finding says which stage it holds on ("when on stage green")."""
    return f"stage '{stage}' of {api}"


_PLAIN_CONDITION = re.compile(r"^[\w.\-]+(\[[^\]\s]*\][\w.\-]*)*$")  # IsProd, var.tls, module.app[0].var.tls
_COMPARISON = re.compile(r"^(?P<left>[^=!<>&|?]+?) (?P<op>==|!=|<=|>=|<|>) (?P<right>[^=!<>&|?]+)$")
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


def _condition(name: str, truth: bool) -> str:
    """One condition in the words of its front end: a named condition (CloudFormation's ``IsProd``, a bool
    variable ``var.tls``) is true or false; a Terraform condition named by its expression reads as that
    expression when it holds and as its negation when it does not (``var.env != "prod"``)."""
    stage = _ON_STAGE.match(name)
    if stage:
        return f"{'' if truth else 'not '}on stage {stage['stage']}"
    if _PLAIN_CONDITION.match(name):
        return f"{name} is {'true' if truth else 'false'}"
    if name.startswith("!") and _PLAIN_CONDITION.match(name[1:]):
        return f"{name[1:]} is {'false' if truth else 'true'}"
    comparison = _COMPARISON.match(name)
    if truth:
        return name if comparison else f"({name})"
    if comparison:
        return f"{comparison['left']} {_NEGATED[comparison['op']]} {comparison['right']}"
    return f"!({name})"


# -------------------------------------------------------------------------------------------- views


@dataclass(frozen=True, eq=False, repr=False)
class PrivateLink:
    """The integration goes through a VPC link: the link (``None`` when the files do not determine it) and
    what the integration (or a v1 link) names."""

    vpc_link: VpcLink | None
    entry: Resource | None  # a load balancer or listener when well wired; None when nothing is named
    endpoint_services: tuple[EndpointService, ...] = ()  # VPC endpoint services on the load balancer reached


@dataclass(frozen=True, eq=False, repr=False)
class Connection:
    """The listener whose protocol API Gateway's connection meets -- the ALB listener behind an ``alb``
    target group, else the listener reached -- and whether API Gateway speaks TLS to it."""

    listener: Listener
    protocol: str  # upper case; "" when the files do not say
    tls: bool


@dataclass(frozen=True, eq=False, repr=False)
class UnmatchedPort:
    """The connection goes to a port of a load balancer where no listener can take it: API Gateway's, or the
    NLB's forwarding through an ``alb`` target group to an ALB without a listener on the group's port."""

    load_balancer: LoadBalancer
    port: int
    listeners: tuple[Listener, ...]  # every listener of the load balancer
    alb_target_group: TargetGroup | None = None  # the ``alb`` target group the NLB forwards through, if it does


@dataclass(frozen=True, eq=False, repr=False)
class TlsAtListener:
    """API Gateway's TLS session ends at a TLS or HTTPS listener, which presents one of its certificates."""

    listener: Listener
    load_balancer: LoadBalancer | None  # the listener's own (an ALB behind an ``alb`` target group)
    certificates: tuple[Certificate, ...]  # the default certificate first, then the SNI list
    host: Host  # the name API Gateway verifies

    @property
    def presented(self) -> tuple[Certificate, ...]:
        """The certificates API Gateway may be shown: those of the list whose names cover the verified host
        (the load balancer picks among them), else the default certificate [S28]."""
        if self.host is None:
            return self.certificates[:1]  # no SNI: the default certificate
        coverage = [certificate_covers(certificate, self.host) for certificate in self.certificates]
        matching = tuple(c for c, covered in zip(self.certificates, coverage) if covered)
        if matching:
            return matching
        if None in coverage and len(self.certificates) > 1:
            return ()  # which one the load balancer picks depends on names nobody knows
        return self.certificates[:1]


@dataclass(frozen=True, eq=False, repr=False)
class PassThrough:
    """API Gateway's TLS session passes through a TCP listener and ends at the targets' own certificate."""

    listener: Listener
    target_groups: tuple[TargetGroup, ...]
    targets: tuple[Target, ...]
    host: Host  # the name API Gateway verifies
    seen: tuple[Certificate, ...] = ()  # what --probe read from the endpoint (the files cannot show it)

    def plaintext_signs(self) -> list[tuple[TargetGroup, str, str]]:
        """Target groups that look like plain HTTP backends: (group, field, why)."""
        signs = []
        for group in self.target_groups:
            if (known_str(group.health_check_protocol) or "").upper() == "HTTP":
                signs.append((group, "health_check_protocol", "its health check speaks plain HTTP"))
            elif known_int(group.port) in (80, 8080):
                signs.append((group, "port", f"it forwards to port {known_int(group.port)}"))
        return signs


@dataclass(frozen=True, eq=False, repr=False)
class Presented:
    """A certificate API Gateway is shown, with everything its judgement needs besides the certificate, so a
    rule can judge it alone -- on a path, or in a PEM file given to ``--check-certificate``."""

    certificate: Certificate
    what: str  # how messages name it: "IAM server certificate 'Orders'", "the certificate seen at h:443"
    where: str  # where it is shown, for messages that say so: " on listener 'Tls'"; "" when ``what`` says it
    validator: str  # who validates it: "API Gateway (OrdersGet (GET /orders))"
    host: Host  # the name verified; None when nobody says (--check-certificate without --host)
    api: Api | None = None  # None: any (--check-certificate)
    skip_verification: bool = False  # REST insecureSkipVerification: the CA-list check is off
    integration: Resource | None = None  # the integration whose TLS it is (its spelling words the fixes)

    @property
    def issuer_checked(self) -> bool:
        """Whether API Gateway checks the issuer against its CA list (only REST can skip that)."""
        return not (self.api == "rest" and self.skip_verification)


@dataclass(frozen=True, eq=False, repr=False)
class GuardedListener:
    """Security groups of the load balancer API Gateway's VPC link reaches filter what comes to the listener's
    port: the groups, every inbound rule the files give them, and -- for a v2 link -- the link's own groups."""

    vpc_link: VpcLink
    load_balancer: LoadBalancer
    listener: Listener
    port: int
    groups: tuple[SecurityGroup, ...]  # the load balancer's: never empty
    inbound: tuple[InboundRule, ...]
    link_groups: SecurityGroups | None  # a v2 link's groups; None for v1, or when the files do not determine them

    def open_to_port(self) -> tuple[InboundRule, ...] | None:
        """The rules that let TCP connections to the port in, from whatever source; ``None`` when some rule's
        protocol or ports are not known (it might be one of them)."""
        verdicts = [(rule, admits_tcp(rule, self.port)) for rule in self.inbound]
        if any(verdict is None for _, verdict in verdicts):
            return None
        return tuple(rule for rule, verdict in verdicts if verdict)

    @property
    def lets_nothing_in(self) -> bool:
        """Whether the rules, as the files write them, let none of the VPC link's traffic reach the port: for a
        v1 link, an NLB applying its rules to PrivateLink traffic (unless set off) with no rule open on the port
        at all; for a v2 link, no rule on the port whose source may be one of the link's groups. A rule whose
        protocol or ports are unknown, or link groups the files do not determine, decide nothing."""
        open_rules = self.open_to_port()
        if self.vpc_link.version == 1:
            enforced = self.load_balancer.private_link_inbound
            return known_str(self.load_balancer.lb_type) == "network" and open_rules == () \
                and (enforced is None or known_str(enforced) == "on")
        return self.link_groups is not None and bool(self.link_groups.groups) and open_rules is not None \
            and not any(self.admits_link(rule) for rule in open_rules)

    def admits_link(self, rule: InboundRule) -> bool:
        """Whether a rule may admit the v2 link's ENIs: a source that is one of the link's groups, or one the
        files do not pin down (an address range may hold the ENIs' addresses, a group id may be the link's)."""
        own = {group.key for group in self.link_groups.groups} if self.link_groups is not None else set()
        return bool(rule.peer_ranges) or any(not isinstance(peer, Reference) or peer.key in own
                                             for peer in rule.peer_groups)


@dataclass(frozen=True, eq=False, repr=False)
class Placed:
    """A hop of the path and where the files put it: by its own placement (a Terraform provider), or by an ARN
    written where it is named -- then ``field_name`` is set, and with ``subject`` says where that ARN is."""

    role: Role
    name: str
    placement: Placement
    subject: Resource
    field_name: str | None = None


@dataclass(frozen=True, eq=False, repr=False)
class TlsAtTargets:
    """API Gateway's TLS session ends at the targets' own certificate, which only their boot scripts or
    containers can show: passed through a TCP listener, or made straight to an instance a public URI names."""

    targets: tuple[Target, ...]
    listener: Listener | None  # the TCP listener passing TLS through; None when API Gateway reaches the instance
    host: Host  # the name API Gateway verifies


@dataclass(frozen=True, eq=False, repr=False)
class PublicIntegration:
    """An HTTP or HTTP_PROXY integration without a VPC link: API Gateway connects over the internet to the
    URI's host, resolved through public DNS, and verifies that same name (fact-updates-2026-11.md)."""

    host: Host
    port: int | None
    tls: bool | None  # https:// (None when the files do not say)
    load_balancer: LoadBalancer | None = None  # the one the host is, itself or through DNS records
    refused_port: int | None = None  # the port, when API Gateway does not connect to it (E9525)
    off_the_internet: str | None = None  # what the host is, when no client on the internet reaches it (W9524)

    @property
    def reachable(self) -> bool:
        """Whether API Gateway can connect to the endpoint at all (``--probe`` leaves the others alone)."""
        return self.refused_port is None and self.off_the_internet is None


@dataclass(frozen=True, eq=False, repr=False)
class UncheckedEndpoint:
    """A public endpoint whose certificate neither the files nor ``--probe`` show: a host the files do not
    define (a partner's API), or an instance without a sign of the certificate it serves. ``--probe`` reads
    it when the host is a name: API Gateway connects to ``host`` at ``port`` and verifies that same name."""

    host: Host  # a reference when only AWS knows the name (an instance's public DNS name)
    port: int | None
    instance: Target | None  # the instance, when the files define it


# --------------------------------------------------------------------------------------------- path


@dataclass(frozen=True, eq=False, repr=False)
class Path:
    """One way a request travels, as far as the files tell. Rules read the views (``private_link``,
    ``connection``, ``unmatched_port``, ``tls_at_listener``, ``pass_through``); the fields below them are the
    walk's record."""

    api: Api
    integration: RestIntegration | HttpApiIntegration  # a WebSocketIntegration is a RestIntegration
    hops: tuple[Hop, ...] = ()
    gaps: tuple[Gap, ...] = ()
    assumptions: tuple[tuple[str, bool], ...] = ()
    uses_tls: bool | None = None  # whether API Gateway speaks TLS; None when unknown
    host: Host = None  # the host name API Gateway verifies
    port: int | None = None  # the port API Gateway connects to (REST: from the URI)
    skip_verification: bool = False
    internet: bool = False  # a public integration: API Gateway connects over the internet to the URI's host
    vpc_link: VpcLink | None = None
    entry: Resource | None = None  # what the integration (or the v1 link) names: a load balancer or listener
    load_balancer: LoadBalancer | None = None  # the load balancer API Gateway reaches
    listeners: tuple[Listener, ...] = ()  # every listener of that load balancer where none takes the port (E9507)
    listener: Listener | None = None  # the listener API Gateway connects to
    target_groups: tuple[TargetGroup, ...] = ()
    targets: tuple[Target, ...] = ()
    alb: LoadBalancer | None = None  # an ALB registered with an ``alb`` target group of the listener
    alb_target_group: TargetGroup | None = None  # that ``alb`` target group
    alb_listeners: tuple[Listener, ...] = ()  # every listener of the ALB where none takes the port (E9507)
    alb_listener: Listener | None = None  # the ALB's listener on that target group's port
    tls: TlsTermination | None = None  # set once the walk reached the end of the path
    endpoint_services: tuple[EndpointService, ...] = ()  # VPC endpoint services on the load balancer
    balancer_groups: SecurityGroups | None = None  # the load balancer's security groups; None when unknown
    link_groups: SecurityGroups | None = None  # a v2 VPC link's security groups; None when unknown

    @property
    def integration_name(self) -> str:
        """The integration as people know it: "OrdersGet (GET /orders)", "Api GET /orders"."""
        integration = self.integration
        route = getattr(integration, "route", "")
        return integration.name if not route or route in integration.name else f"{integration.name} ({route})"

    @property
    def host_field(self) -> str:
        """Where the verified host is written: the URI (REST, and public HTTP APIs) or ServerNameToVerify."""
        if self.api in BY_URI:
            return "uri"
        return "integration_uri" if self.internet else "server_name_to_verify"

    @property
    def verified_name(self) -> str:
        """The name API Gateway verifies, as a fix names it: the name itself when the files give it
        ("api.example.com"), else where it is written ("the host of Uri", "the name in ServerNameToVerify")."""
        if isinstance(self.host, str):
            return self.host
        field = self.integration.spelling.name(self.host_field)
        return f"the name in {field}" if self.host_field == "server_name_to_verify" else f"the host of {field}"

    @property
    def conditions(self) -> str:
        """The assumptions, as people read them: "UseTls is false and var.private is true"."""
        return spoken([self.assumptions])

    def blocked(self, needs: frozenset[Role]) -> bool:
        """Whether a hop (or fact) a verdict needs is a gap: then no error is claimed on top of it."""
        return any(gap.blocks and gap.role in needs for gap in self.gaps)

    @property
    def private_link(self) -> PrivateLink | None:
        """The VPC link (``None`` when the files do not determine it) and what is named through it; ``None`` for
        an integration that does not go through a VPC link."""
        if (known_str(self.integration.connection_type) or "").upper() != "VPC_LINK":
            return None
        return PrivateLink(self.vpc_link, self.entry, self.endpoint_services)

    @property
    def connection(self) -> Connection | None:
        """The listener API Gateway's connection meets; ``None`` until one is reached, or when it is unknown
        whether API Gateway speaks TLS."""
        listener = self.alb_listener or self.listener
        if listener is None or self.uses_tls is None or (self.alb is not None and self.alb_listener is None):
            return None
        return Connection(listener, protocol_of(listener), self.uses_tls)

    @property
    def unmatched_port(self) -> UnmatchedPort | None:
        """The load balancer and port where no listener takes the connection; ``None`` otherwise."""
        alb_port = known_int(self.alb_target_group.port) if self.alb_target_group is not None else None
        if self.alb is not None and self.alb_listener is None and alb_port is not None:
            return UnmatchedPort(self.alb, alb_port, self.alb_listeners, self.alb_target_group)
        if self.listener is not None or self.port is None or self.load_balancer is None:
            return None
        return UnmatchedPort(self.load_balancer, self.port, self.listeners)

    @property
    def tls_at_listener(self) -> TlsAtListener | None:
        """Where API Gateway's TLS session ends, when that is a listener's certificate."""
        if not self.uses_tls or self.tls is None or self.tls.at is not Termination.LISTENER or self.tls.listener is None:
            return None
        balancer = self.alb if self.alb_listener is not None else self.load_balancer
        return TlsAtListener(self.tls.listener, balancer, self.tls.certificates, self.host)

    @property
    def guarded_listener(self) -> GuardedListener | None:
        """The load balancer's security groups and the listener port they guard; ``None`` without a VPC link,
        a listener with a known port, or security groups the files determine."""
        port = known_int(self.listener.port) if self.listener is not None else None
        if self.vpc_link is None or self.load_balancer is None or self.listener is None or port is None \
                or self.balancer_groups is None or not self.balancer_groups.groups:
            return None
        return GuardedListener(self.vpc_link, self.load_balancer, self.listener, port, self.balancer_groups.groups,
                               self.balancer_groups.inbound, self.link_groups)

    @property
    def placed(self) -> tuple[Placed, ...]:
        """The hops whose region or account the files state, in path order: the integration, the VPC link, the
        load balancer(s), the listener(s), the listener's certificates -- resources by their own placement,
        hops the files name only by ARN by that ARN."""
        hops: list[tuple[Role, Resource | None]] = [
            (Role.INTEGRATION, self.integration), (Role.VPC_LINK, self.vpc_link),
            (Role.LOAD_BALANCER, self.load_balancer), (Role.LISTENER, self.listener),
            (Role.LOAD_BALANCER, self.alb), (Role.LISTENER, self.alb_listener)]
        placed = [Placed(role, hop.name, hop.placement, hop) for role, hop in hops if hop is not None]
        placed += self._named_by_arn()
        for certificate in self.tls.certificates if self.tls is not None else ():
            by_arn = arn_placement(certificate.arn, certificate.loc)
            placement = by_arn or certificate.placement
            if certificate.source is CertificateSource.IAM:  # IAM is global: whichever provider made it, no region
                placement = replace(placement, region=None)
            placed.append(Placed(Role.CERTIFICATE, certificate.name, placement, certificate, "arn" if by_arn else None))
        return tuple(p for p in placed if p.placement.region or p.placement.account)

    def _named_by_arn(self) -> Iterator[Placed]:
        """Hops the files name only by an ARN written out: a v1 link's target, a load balancer or listener an
        integration names, a listener's load balancer -- when the files do not hold the resource itself."""
        integration, link, listener = self.integration, self.vpc_link, self.listener
        named: list[tuple[Role, Resource, str, object]] = []
        if self.load_balancer is None and link is not None and link.version == 1 \
                and not isinstance(link.targets, Unknown) and len(link.targets) == 1:
            named.append((Role.LOAD_BALANCER, link, "targets", link.targets[0]))
        if self.entry is None:
            field_name = "integration_target" if isinstance(integration, RestIntegration) else "integration_uri"
            value = getattr(integration, field_name)
            role = Role.LISTENER if LISTENER_ARN.match(known_str(value) or "") else Role.LOAD_BALANCER
            named.append((role, integration, field_name, value))
        if self.load_balancer is None and listener is not None:
            named.append((Role.LOAD_BALANCER, listener, "load_balancer", listener.load_balancer))
        for role, subject, field_name, value in named:
            placement = arn_placement(value, subject.at(field_name))
            if placement is not None:
                yield Placed(role, str(value), placement, subject, field_name)

    @property
    def pass_through(self) -> PassThrough | None:
        """Where API Gateway's TLS session ends, when a TCP listener passes it through to the targets."""
        if not self.uses_tls or self.tls is None or self.tls.at is not Termination.BACKEND or self.tls.listener is None:
            return None
        return PassThrough(self.tls.listener, self.target_groups, self.targets, self.host, self.tls.certificates)

    @property
    def tls_at_targets(self) -> TlsAtTargets | None:
        """Where API Gateway's TLS session ends, when that is the targets' own certificate."""
        if not self.uses_tls or self.tls is None or self.tls.at not in (Termination.BACKEND, Termination.ENDPOINT) \
                or (self.tls.at is Termination.ENDPOINT and not self.targets):
            return None
        return TlsAtTargets(self.targets, self.tls.listener, self.host)

    @cached_property
    def public(self) -> PublicIntegration | None:
        """The public integration's host and port, the load balancer found there and why API Gateway cannot
        connect to it, if so -- worked out once for E9525, W9524, the walk and ``--probe``; ``None`` for an
        integration through a VPC link."""
        if not self.internet:
            return None
        refused = None if self.port is None or port_api_gateway_allows(self.port) else self.port
        kind = off_the_internet(self.host) if isinstance(self.host, str) else None
        return PublicIntegration(self.host, self.port, self.uses_tls, self.load_balancer, refused, kind)

    @property
    def unchecked_endpoint(self) -> UncheckedEndpoint | None:
        """The public endpoint where TLS ends, when nothing shows its certificate (a sign of a self-made one on
        an instance is what E9501 judges; what ``--probe`` read is judged like any certificate)."""
        if not self.uses_tls or self.tls is None or self.tls.at is not Termination.ENDPOINT or self.tls.certificates:
            return None
        instance = self.targets[0] if self.targets else None
        if (instance is not None and instance.tls_evidence is not None) or not self.reachable_endpoint:
            return None
        return UncheckedEndpoint(self.host, self.port, instance)

    @property
    def reachable_endpoint(self) -> bool:
        """Whether API Gateway can connect to the endpoint at all: always through a VPC link (as far as the files
        tell), over the internet as :attr:`PublicIntegration.reachable` says."""
        return self.public is None or self.public.reachable

    @property
    def presented(self) -> tuple[Presented, ...]:
        """Every certificate API Gateway may be shown: those a TLS listener may present for the verified host,
        or what ``--probe`` read where the files cannot show it (behind a pass-through listener, at a public
        endpoint)."""
        validator = f"API Gateway ({self.integration_name})"
        if (tls := self.tls_at_listener) is not None:
            return tuple(Presented(c, f"{c.source.value} '{c.name}'", f" on listener '{tls.listener.name}'",
                                   validator, self.host, self.api, self.skip_verification, self.integration)
                         for c in tls.presented)
        if self.uses_tls and self.tls is not None and self.tls.at in (Termination.BACKEND, Termination.ENDPOINT):
            return tuple(Presented(c, f"the certificate seen at {c.name}", "", validator, self.host, self.api,
                                   self.skip_verification, self.integration) for c in self.tls.certificates)
        return ()


# ------------------------------------------------------------------------------- the walk's record


class Termination(enum.Enum):
    LISTENER = "at the load balancer's listener"
    BACKEND = "at the targets (TCP pass-through)"
    ENDPOINT = "at the public endpoint the URI names (an instance, or a host the files do not define)"
    NONE = "nowhere (plain HTTP)"


@dataclass(frozen=True, eq=False, repr=False)
class TlsTermination:
    """Where a TLS session would end, and with which certificates: a listener's (default first, then the SNI
    list), or what ``--probe`` read where the files cannot show one."""

    at: Termination
    listener: Listener | None  # the listener API Gateway's connection meets; None at a public endpoint
    certificates: tuple[Certificate, ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class SecurityGroups:
    """The security groups a resource names, and every inbound rule the files give them."""

    groups: tuple[SecurityGroup, ...]
    inbound: tuple[InboundRule, ...] = ()

