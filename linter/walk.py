"""From resources to paths: integration -> VPC link -> load balancer -> listener -> target group -> targets.

For every API Gateway private integration in the run the walk finds the listener API Gateway reaches
(REST: by the URI's port; HTTP API: the listener ARN itself); for a public HTTP/HTTP_PROXY integration, the
load balancer listener or instance its URI's host leads to (through Route 53 records and Elastic IPs). It
follows the listener to target groups and targets (through an ``alb`` target group into the ALB's listener),
decides where TLS terminates and which certificates can be presented, and records every hop it could not
resolve as a :class:`~linter.path.Gap` -- it never guesses. Undecided conditions fork the walk (:mod:`linter.conditions`); each path carries its
assumptions. What the walk produces, and what rules read, is :mod:`linter.path`.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from linter.conditions import MAX_VARIANTS, Assumptions, Relations, branches, concat, settle, variants
from linter.findings import InputError, reported
from linter.model import (
    Formula,
    Is,
    Value,
    AddressAssociation,
    Certificate,
    CertificateFacts,
    CertificateSource,
    Choice,
    DnsRecord,
    ElasticIp,
    EndpointService,
    HttpApiIntegration,
    InboundRule,
    Interpolated,
    Listener,
    ListenerCertificate,
    LoadBalancer,
    Location,
    Model,
    Reference,
    Resource,
    RestIntegration,
    SecurityGroup,
    Shared,
    Stage,
    Target,
    TargetAttachment,
    TargetGroup,
    TargetKind,
    Unknown,
    VpcLink,
    WebSocketIntegration,
    first_unknown,
    as_items,
    known_bool,
    known_int,
    known_str,
    unread_files,
)
from linter.names import as_name, problem, shown
from linter.names import key as name_key
from linter.path import (
    CLOUD_MAP_ARN,
    Api,
    IAM_CERTIFICATE_ARN,
    LISTENER_ARN,
    PASS_THROUGH,
    TCP_CAPABLE,
    TLS_PROTOCOLS,
    Gap,
    Hop,
    Host,
    Path,
    Role,
    SecurityGroups,
    Termination,
    TlsTermination,
    certificate_covers,
    host_coverage,
    on_stage,
    protocol_of,
)

Integration = RestIntegration | HttpApiIntegration
R = TypeVar("R", bound=Resource)


class World:
    """Every resource of the run, indexed the ways the walk needs."""

    def __init__(self, models: Iterable[Model],
                 lookup_certificate: Callable[[str], Certificate | Unknown | None] | None = None,
                 seen_at: Callable[[str, int], Certificate | Unknown | None] | None = None):
        models = list(models)
        self.resources: dict[str, Resource] = {}
        self.unfollowed: dict[str, str] = {}
        self.unread_of: dict[str, list[Location]] = {}  # resource key -> the files of its model that did not parse
        self.shared: dict[str, Shared] = {}  # resource key -> how configurations not scanned may add to it
        for model in models:
            self.resources.update(model.resources)
            self.unfollowed.update(model.unfollowed)
            self.shared.update(model.shared)
            if model.unread:
                self.unread_of.update(dict.fromkeys(model.resources, model.unread))
        self.lookup_certificate = lookup_certificate or (lambda _: None)
        self.seen_at = seen_at or (lambda host, port: None)  # --probe: what an endpoint presents
        self.listeners_of: dict[str, list[Listener]] = defaultdict(list)
        self.sni_of: dict[str, list[ListenerCertificate]] = defaultdict(list)
        self.attachments_of: dict[str, list[TargetAttachment]] = defaultdict(list)
        self.services_on: dict[str, list[EndpointService]] = defaultdict(list)
        self.inbound_of: dict[str, list[InboundRule]] = defaultdict(list)
        self.records_named: dict[tuple[object, ...], list[DnsRecord]] = defaultdict(list)  # public records only
        self.associations_of: dict[str, list[AddressAssociation]] = defaultdict(list)
        self._ports_of: dict[str, dict[int | None, list[int]]] = {}  # load balancer -> port -> listener positions
        self.stages_of: dict[str, list[Stage]] = defaultdict(list)  # API key -> its stages
        for resource in self.resources.values():
            if isinstance(resource, Stage):
                for key in _reference_keys(resource.api):
                    self.stages_of[key].append(resource)
            elif isinstance(resource, Listener):
                for key in _reference_keys(resource.load_balancer):
                    self.listeners_of[key].append(resource)
            elif isinstance(resource, ListenerCertificate):
                for key in _reference_keys(resource.listener):
                    self.sni_of[key].append(resource)
            elif isinstance(resource, TargetAttachment):
                for key in _reference_keys(resource.target_group):
                    self.attachments_of[key].append(resource)
            elif isinstance(resource, EndpointService):
                for key in _reference_keys(list(resource.load_balancers)):
                    self.services_on[key].append(resource)
            elif isinstance(resource, InboundRule):
                for key in list(_reference_keys(resource.group)) or [""]:  # "": a group the files do not name
                    self.inbound_of[key].append(resource)
            elif isinstance(resource, DnsRecord) and not resource.private_zone:
                for name in branches(resource.domain_name):
                    if (found := _name_key(name)) is not None:
                        self.records_named[found].append(resource)
            elif isinstance(resource, AddressAssociation):
                for key in _reference_keys(resource.address):
                    self.associations_of[key].append(resource)
        self.relations = Relations([*(model.conditions for model in models), _stage_formulas(self.stages_of)])

    def listeners_maybe_on(self, balancer: str, port: int) -> list[Listener]:
        """The listeners of a load balancer that some way the conditions go may put on ``port``: those with
        that port on a branch, and those whose port is not a number the files give (it may be any), in the
        order of ``listeners_of``. Each integration looks up its own port, so a load balancer with thousands
        of listeners costs each integration the few that may take its connection, not all of them."""
        if balancer not in self._ports_of:
            index: dict[int | None, list[int]] = defaultdict(list)
            for position, listener in enumerate(self.listeners_of.get(balancer, [])):
                for number in dict.fromkeys(known_int(branch) for branch in branches(listener.port)):
                    index[number].append(position)
            self._ports_of[balancer] = index
        found = self._ports_of[balancer]
        declared = self.listeners_of[balancer]
        return [declared[position] for position in sorted({*found.get(port, ()), *found.get(None, ())})]

    def integrations(self) -> Iterator[Integration]:
        for resource in self.resources.values():
            if isinstance(resource, (RestIntegration, HttpApiIntegration)):
                yield resource


def _name_key(value: object) -> tuple[object, ...] | None:
    name = as_name(value)
    return name_key(name) if name is not None else None


def _reference_keys(value: object) -> Iterator[str]:
    if isinstance(value, Reference):
        yield value.key
    elif isinstance(value, Choice):
        yield from _reference_keys(value.if_true)
        yield from _reference_keys(value.if_false)
    elif isinstance(value, list):
        for item in value:
            yield from _reference_keys(item)


# ----------------------------------------------------------------------------------------------- URI


@dataclass(frozen=True)
class Uri:
    """The parts of an integration URI API Gateway connects with."""

    scheme: str
    host: Host
    port: int | Unknown | None


# the host: an IPv6 literal in brackets ("[fd00::5]", RFC 3986 IP-literal; the name is what is inside), or a name
_URI = re.compile(r"^(?P<scheme>[A-Za-z][\w+.-]*)://(?:[^/?#@]*@)?(?:\[(?P<literal>[^\]/?#]*)\]|(?P<host>[^/:?#]*))"
                  r"(?::(?P<port>[^/?#]*))?")
_PLACEHOLDER = re.compile("\x00([0-9]+)\x00")
Parts = tuple[str | Reference | Unknown, ...]


def parse_uri(value: object, plan: bool = False) -> Uri | Unknown:
    """Scheme, host and port of an integration URI that may be partly unknown; ``plan``: the URI is read from a
    Terraform plan, which keeps the references of an expression but not the text around them."""
    if isinstance(value, str):
        parts: Parts = (value,)
    elif isinstance(value, Interpolated):
        parts = value.parts
    elif isinstance(value, Reference) and plan:
        return Unknown(f"the URI is only the {value.attribute} of '{value.name}', known after apply: scheme, port "
                       "and path are not known (a Terraform plan keeps the references of an expression, not the text "
                       "around them)", "scan the .tf configuration (tlspath evaluates it) together with or instead of "
                       "the plan, or write the URI as https://host[:port]/path")
    elif isinstance(value, Reference):
        return Unknown(f"the URI is the {value.attribute} of '{value.name}', only known once deployed: scheme, host "
                       "and port are not known", "write the URI as https://host[:port]/path")
    else:
        return first_unknown(value) or Unknown("the integration URI is not set",
                                               "write the URI API Gateway calls (https://host[:port]/path)")
    # placeholders for the parts that are not text; a NUL written in the text itself cannot fake one
    text = "".join(p.replace("\x00", "\ufffd") if isinstance(p, str) else f"\x00{i}\x00"
                   for i, p in enumerate(parts))
    match = _URI.match(text)
    if match is None:
        return first_unknown(value) or Unknown(f"'{value}' is not a URL", "write the URI as https://host[:port]/path")
    if _PLACEHOLDER.search(match.group("scheme")):
        return first_unknown(value) or Unknown("the URI scheme is only known at deploy time",
                                               "write the scheme (https:// or http://) in the URI itself")
    host = match.group("literal") if match.group("literal") is not None else match.group("host")
    return Uri(match.group("scheme").lower(), _piece(host, parts),
               _port(match.group("port"), parts, match.group("scheme").lower()))


def _piece(text: str, parts: Parts) -> Host:
    """The host: written out, a resource's name, or assembled from parts only known at deploy time -- kept
    as written, so it can be compared with certificate names built from the same parts."""
    whole = _PLACEHOLDER.fullmatch(text)
    if whole:
        return parts[int(whole.group(1))]
    pieces = _PLACEHOLDER.split(text)  # written text at even positions, part numbers at odd ones
    value = concat([piece.lower() if position % 2 == 0 else parts[int(piece)] for position, piece in enumerate(pieces)])
    return value if isinstance(value, (str, Interpolated)) else Unknown("the host is only known at deploy time")


def _port(text: str | None, parts: Parts, scheme: str) -> int | Unknown | None:
    if text is None or text == "":
        return {"https": 443, "http": 80}.get(scheme)
    number = known_int(text)
    if number is not None:
        return number
    unknown = next((parts[int(i)] for i in _PLACEHOLDER.findall(text)), None)
    if unknown is None:
        return Unknown(f"the URI port '{text}' is not a number", "write the port as a number")
    return unknown if isinstance(unknown, Unknown) else Unknown("the URI port is only known at deploy time")


# ---------------------------------------------------------------------------------------------- walk


@dataclass
class _Walk:
    """One path under construction: the path so far (frozen, replaced as the walk goes on), the assumptions
    it stands on, and the ALBs registered with the ``alb`` target groups it passed. Copied at every fork."""

    world: World
    path: Path
    assumptions: Assumptions
    albs: dict[str, LoadBalancer] = field(default_factory=dict)  # alb target group key -> the ALB registered

    def fork(self, assumptions: Assumptions | None = None) -> _Walk:
        return _Walk(self.world, self.path, self.assumptions if assumptions is None else assumptions,
                     dict(self.albs))

    def hop(self, role: Role, resource: Resource) -> _Walk:
        self.path = replace(self.path, hops=(*self.path.hops, Hop(role, resource)))
        return self

    def gap(self, role: Role, subject: Resource, field_name: str, unknown: Unknown, blocks: bool = True) -> _Walk:
        self.path = replace(self.path, gaps=(*self.path.gaps, Gap(role, subject, field_name, unknown, blocks)))
        return self

    def finish(self) -> Path:
        balancer, link = self.path.load_balancer, self.path.vpc_link
        unread = _unread(self)
        missing = unread if unread is not None else _listener_elsewhere(self)
        if missing is not None:
            self.path = replace(self.path, gaps=(*self.path.gaps, missing))
        whole = unread is None  # security group rules may be in a file that did not parse
        return _with_name_gaps(_rules_elsewhere(replace(
            self.path, assumptions=self.assumptions.stated(), endpoint_services=_endpoint_services(self),
            balancer_groups=_security_groups(self, balancer.security_groups) if balancer and whole else None,
            link_groups=_security_groups(self, link.security_groups) if link and link.version == 2 and whole else None),
            self.world.shared))

    def certain(self, resource: R) -> R | None:
        """The resource as the walk's assumptions settle it; ``None`` when they rule it out or leave it to a
        condition they do not decide (what surrounds a path is never a reason to fork it)."""
        return next((variant for variant, settled in variants(resource, self.assumptions)
                     if self.assumptions.entails(settled)), None)

    def exists(self, resource: Resource) -> bool:
        """Whether the walk's assumptions leave no doubt that the resource exists (its fields may still be
        undecided)."""
        return resource.condition is None or self.assumptions.assume(resource.condition, False) is None

    def resolve(self, value: object, role: Role, subject: Resource, field_name: str,
                types: tuple[type, ...]) -> Iterator[tuple[_Walk, Resource | None]]:
        """Follow a value to the resource it names. Yields (walk, resource) -- the resource may be of another
        type than ``types`` (the rules judge such wiring) -- or (walk, None) with a gap recorded."""
        for settled, assumptions in settle(value, self.assumptions):
            target = self.world.resources.get(settled.key) if isinstance(settled, Reference) else None
            if target is None:
                gap = _missing(settled, role, self.world.unfollowed, subject)
                yield self.fork(assumptions).gap(role, subject, field_name, gap), None
            elif isinstance(target, types):
                for variant, settled_assumptions in variants(target, assumptions):
                    yield self.fork(settled_assumptions), variant
            else:
                yield self.fork(assumptions), target

    def each_variant(self, items: list[R]) -> Iterator[tuple[_Walk, tuple[R, ...]]]:
        """Every consistent way to settle the items (listeners, registrations, SNI certificates) under the
        walk's assumptions: the walk forked for it and the items present -- an item an undecided condition
        splits forks the walk, an item that exists only under an undecided condition is present on one fork
        and absent on the other, an item absent under the assumptions is left out."""
        if not items:
            yield self, ()
            return
        item, rest = items[0], items[1:]
        for variant, assumptions in variants(item, self.assumptions):
            for walk, others in self.fork(assumptions).each_variant(rest):
                yield walk, (variant, *others)
        absent = self.assumptions.assume(item.condition, False) if item.condition is not None else None
        if absent is not None:
            yield from self.fork(absent).each_variant(rest)


def _unread(walk: _Walk) -> Gap | None:
    """The gap of a path through resources of a module or template set with a file that did not parse: what
    that file declares is missing, so nothing the path found absent is claimed -- no listener on the port
    (E9507, held back: the gap blocks it), no inbound rule, no certificate validation -- once per path."""
    path = walk.path
    unread = next((found for resource in (path.integration, *(hop.resource for hop in path.hops))
                   if (found := walk.world.unread_of.get(resource.key))), None)
    if unread is None:
        return None
    if (unlistened := _unlistened(path)) is not None:
        balancer, port = unlistened
        what = f"a listener {'' if port is None else f'on port {port} '}of '{balancer.name}'"
        unknown = unread_files(unread, what)
        return Gap(Role.LISTENER, path.integration, path.host_field, unknown)
    groups = [value for value in (path.load_balancer and path.load_balancer.security_groups,
                                  path.vpc_link and path.vpc_link.security_groups) if value]
    issued = [c for c in (path.tls.certificates if path.tls else ()) if c.issuance is not None]
    if not groups and not issued:
        return None  # nothing on the path is judged by what the files leave out
    unknown = unread_files(unread, "what this path is judged by (an inbound rule of a security group, a validation "
                                   "of a certificate)")
    if any(gap.unknown.supply == unknown.supply for gap in path.gaps):
        return None  # a gap names the file already
    return Gap(Role.INTEGRATION, path.integration, path.host_field, unknown, blocks=False)


def _unlistened(path: Path) -> tuple[LoadBalancer, int | None] | None:
    """The load balancer where the path found no listener for its connection, and the port it looked on: an
    ALB's behind an ``alb`` target group (the group's port), else the load balancer API Gateway reaches."""
    balancer = path.alb if path.alb is not None else path.load_balancer
    if balancer is None or (path.alb_listener if path.alb is not None else path.listener) is not None:
        return None
    return balancer, known_int(path.alb_target_group.port) if path.alb_target_group is not None else path.port


def _listener_elsewhere(walk: _Walk) -> Gap | None:
    """The gap of a path that found no listener on its port of a load balancer the files hand to configurations
    not scanned (an export no scanned template imports): they may attach the listener, so nothing is claimed
    absent (E9507, held back: the gap blocks it) -- the user is told which configurations to scan with it."""
    path = walk.path
    unlistened = _unlistened(path)
    shared = walk.world.shared.get(unlistened[0].key) if unlistened is not None else None
    if unlistened is None or shared is None or unlistened[1] is None or path.blocked(frozenset({Role.LISTENER})):
        return None
    balancer, port = unlistened
    return Gap(Role.LISTENER, path.integration, path.host_field, Unknown(
        f"no scanned listener of '{balancer.name}' takes port {port}, and '{balancer.name}' is {shared.how}: "
        f"{shared.users} may attach one", f"scan {shared.users} together with this one"))


def _rules_elsewhere(path: Path, shared: Mapping[str, Shared]) -> Path:
    """A path whose load balancer's security groups, as scanned, let none of the VPC link's traffic in, where a
    group is handed to configurations not scanned: they may add the inbound rule, so the groups are not judged
    (W9517 stays silent) and a gap says which configurations to scan with it."""
    guarded = path.guarded_listener
    group = next((group for group in guarded.groups if group.key in shared), None) if guarded is not None else None
    if guarded is None or group is None or not guarded.lets_nothing_in:
        return path
    given = shared[group.key]
    unknown = Unknown(f"the scanned inbound rules of security group '{group.name}' let nothing from VPC link "
                      f"'{guarded.vpc_link.name}' in on TCP port {guarded.port} of '{guarded.load_balancer.name}', "
                      f"and '{group.name}' is {given.how}: {given.users} may add the rule",
                      f"scan {given.users} together with this one")
    gap = Gap(Role.SECURITY_GROUP, guarded.load_balancer, "security_groups", unknown, blocks=False)
    return replace(path, balancer_groups=None, gaps=(*path.gaps, gap))


def _missing(value: object, role: Role, unfollowed: Mapping[str, str], subject: Resource) -> Unknown:
    what = role.label
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Reference) and (kind := unfollowed.get(_INDEX.sub("", value.key))) is not None:
        return _cloud_map(value.name, subject) if kind in _CLOUD_MAP else Unknown(
            f"'{value.name}' is of type {kind}, not a {what} tlspath follows", f"name the {what} here")
    if isinstance(value, Reference):
        return Unknown(f"the {what} '{value.key.split('#')[-1]}' is not among the scanned resources",
                       "scan the files that define it together with this one")
    unknown = first_unknown(value)
    if unknown is not None:
        return unknown
    if isinstance(value, (list, tuple, dict)):
        return Unknown(f"the {what} is given as {'a list' if isinstance(value, (list, tuple)) else 'a map'}, not as "
                       "one resource", "give one resource (a reference or an ARN) here")
    text = known_str(value) or (shown(value) if isinstance(value, Interpolated) else None)
    if text and "stageVariables." in text:
        return Unknown(f"the {what} comes from a stage variable ({text})",
                       "stage variables are set per stage at deploy time; reference the resource directly")
    if value is None:
        return Unknown(f"no {what} is set", f"set the {what}")
    return Unknown(f"the {what} '{text}' is not defined in the scanned files",
                   "scan the files that define it, or reference the resource instead of a literal id")


_INDEX = re.compile(r"\[[^\[\]]*\]$")  # a Terraform instance's index: the unfollowed are known by resource
_CLOUD_MAP = ("AWS::ServiceDiscovery::Service", "aws_service_discovery_service")


def _cloud_map(name: str, integration: Resource) -> Unknown:
    """An HTTP API integration to an AWS Cloud Map service (its ARN, or a reference to it): where it goes is
    decided at run time, so the path is open -- said, never passed silently."""
    return Unknown(f"the integration goes to the AWS Cloud Map service '{name}': API Gateway connects to the "
                   "instances it registers at run time, which no file shows",
                   "make sure every instance the service registers presents a certificate from a public CA for the "
                   f"name API Gateway verifies ({integration.spelling.name('server_name_to_verify')}); tlspath "
                   "follows load balancer listeners")


def build_paths(world: World, errors: list[InputError] | None = None) -> Iterator[Path]:
    """Every path of every integration in the world (at most MAX_VARIANTS per integration). A walk
    that fails is an input error of the integration's file (in ``errors``); the other integrations go on."""
    for integration in world.integrations():
        with reported([] if errors is None else errors, integration.loc.file):
            yield from _capped(_paths_of(world, integration), integration)


def _capped(paths: Iterator[Path], integration: Integration) -> Iterator[Path]:
    """At most MAX_VARIANTS paths of one integration -- never silently: past that, the last one says the
    others are not checked (a gap that holds back no verdict)."""
    kept = list(itertools.islice(paths, MAX_VARIANTS + 1))
    if len(kept) > MAX_VARIANTS:
        last = kept[MAX_VARIANTS - 1]
        kept[MAX_VARIANTS - 1] = replace(last, gaps=(*last.gaps, Gap(Role.INTEGRATION, integration, "", Unknown(
            f"its undecided conditions (and the stages of its API) fork more than {MAX_VARIANTS} paths; only the "
            f"first {MAX_VARIANTS} are checked", "decide some of the conditions (a parameter Default, a variable "
            "value), or write in the URI what its stages set"), blocks=False)))
    yield from kept[:MAX_VARIANTS]


def _paths_of(world: World, integration: Integration) -> Iterator[Path]:
    for staged, on_stages in _on_stages(world, integration, Assumptions(world.relations)):
        for settled, assumptions in variants(staged, on_stages):
            api: Api = "websocket" if isinstance(settled, WebSocketIntegration) else \
                "rest" if isinstance(settled, RestIntegration) else "http"
            yield from _integration(_Walk(world, Path(api, settled), assumptions), settled)


# ------------------------------------------------------------------------------------------ stage variables

_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")  # a whole reference, as API Gateway reads it
_STAGED_FIELDS = ("uri", "integration_uri", "connection_id")  # where an integration may read stage variables
MAX_STAGES = 16  # stages of one API the walk follows one path each (the assumptions of each are related)


def _stage_label(stage: Stage) -> str:
    """The stage as people name it: its stage name, else the resource that declares it."""
    return known_str(stage.stage_name) or stage.name


def _stage_formulas(stages_of: Mapping[str, list[Stage]]) -> dict[str, Formula]:
    """What "on stage green" stands for: the API's stage is ``green``, one of the stages the files declare --
    so a problem found on every scanned stage is said once, without a stage."""
    table: dict[str, Formula] = {}
    for api, stages in stages_of.items():
        labels = tuple(sorted({_stage_label(stage) for stage in stages}))
        for label in labels if len(labels) <= MAX_STAGES else ():
            table[on_stage(api, label)] = Is(f"stage of {api}", label, labels)
    return table


def _on_stages(world: World, integration: Integration,
               assumptions: Assumptions) -> Iterator[tuple[Integration, Assumptions]]:
    """The integration as each scanned stage of its API calls it: every whole ``${stageVariables.NAME}`` in its
    URI or connection id replaced by the value the stage sets, on a path that assumes the stage (as on a
    condition: "when on stage green"). A variable no scanned stage sets -- or an API whose stages the files do
    not declare -- is an unknown that says so, on one path."""
    read = {name for field_name in _STAGED_FIELDS
            for name in _stage_variables_in(getattr(integration, field_name, None))}
    if not read:
        yield integration, assumptions
        return
    api = integration.api if isinstance(integration.api, Reference) else None
    stages = world.stages_of.get(api.key, []) if api is not None else []
    if api is None or not any(_may_set(stage, name) for stage in stages for name in read):
        yield _with_stage_values(integration, {name: _unset(api, stages, name) for name in read}), assumptions
        return
    if len({_stage_label(stage) for stage in stages}) > MAX_STAGES:
        yield _with_stage_values(integration, dict.fromkeys(read, Unknown(
            f"API '{api.name}' has more than {MAX_STAGES} stages, more than tlspath follows one path each",
            "write the values the stages set in the integration itself"))), assumptions
        return
    for stage in stages:
        assumed = assumptions.assume(on_stage(api.key, _stage_label(stage)), True)
        for settled, on_it in variants(stage, assumed) if assumed is not None else ():
            for variables, given in settle(settled.variables, on_it):
                values = {name: _stage_value(settled, variables, name) for name in read}
                yield _with_stage_values(integration, values), given


def _stage_variables_in(value: object) -> Iterator[str]:
    """The stage variables a value reads (in either branch of a choice)."""
    for branch in branches(value):
        parts = (branch,) if isinstance(branch, str) else branch.parts if isinstance(branch, Interpolated) else ()
        for part in parts:
            if isinstance(part, str):
                yield from _STAGE_VARIABLE.findall(part)


def _may_set(stage: Stage, name: str) -> bool:
    """Whether the stage sets the variable, or may (its variables are not all known)."""
    return any(name in variables if isinstance(variables, dict) else variables is not None
               for variables in branches(stage.variables))


def _unset(api: Reference | None, stages: list[Stage], name: str) -> Unknown:
    """Why a stage variable no scanned stage sets is not known, and how to supply it."""
    instead = f"or write the value in place of ${{stageVariables.{name}}}"
    if api is None or not stages:
        whose = f"API '{api.name}'" if api is not None else "the integration's API"
        return Unknown(f"stage variable '{name}' is set by the stages of {whose}, which are created outside the "
                       "scanned files", f"scan the files that create its stages together with these, {instead}")
    field_name = stages[0].spelling.name("variables")
    return Unknown(f"no scanned stage of API '{api.name}' sets stage variable '{name}'",
                   f"set '{name}' in the {field_name} of its stages "
                   f"({', '.join(stage.name for stage in stages[:3])}{', ...' if len(stages) > 3 else ''}), {instead}")


def _stage_value(stage: Stage, variables: object, name: str) -> Value:
    """The value one stage gives a variable: what it sets, else an unknown that says it does not."""
    if isinstance(variables, dict) and name in variables:
        return variables[name]
    if variables is not None and not isinstance(variables, dict):
        return first_unknown(variables) or Unknown(f"the {stage.spelling.name('variables')} of stage "
                                                   f"'{_stage_label(stage)}' are not a map")
    return Unknown(f"stage '{_stage_label(stage)}' does not set stage variable '{name}'",
                   f"set '{name}' in the {stage.spelling.name('variables')} of {stage.name}, or write the value in "
                   f"place of ${{stageVariables.{name}}}")


def _with_stage_values(integration: Integration, values: Mapping[str, Value]) -> Integration:
    staged: dict[str, Any] = {field_name: _substituted(getattr(integration, field_name), values)
                              for field_name in _STAGED_FIELDS if hasattr(integration, field_name)}
    return replace(integration, **staged)


def _substituted(value: Value, values: Mapping[str, Value]) -> Value:
    """A value with every whole ``${stageVariables.NAME}`` in its text replaced by ``values[NAME]``."""
    if isinstance(value, Choice):
        return replace(value, if_true=_substituted(value.if_true, values),
                       if_false=_substituted(value.if_false, values))
    parts = (value,) if isinstance(value, str) else value.parts if isinstance(value, Interpolated) else None
    if parts is None or not any(isinstance(part, str) and _STAGE_VARIABLE.search(part) for part in parts):
        return value
    pieces: list[Value] = []
    for part in parts:
        if not isinstance(part, str):
            pieces.append(part)
            continue
        pieces.extend(values[piece] if position % 2 else piece
                      for position, piece in enumerate(_STAGE_VARIABLE.split(part)))
    return concat(pieces)


def _integration(walk: _Walk, integration: Integration) -> Iterator[Path]:
    connection = known_str(integration.connection_type)
    if connection is None:
        if integration.connection_type is None or integration.connection_id is None:
            yield from _public(walk, integration)  # INTERNET is the default
            return
        unknown = first_unknown(integration.connection_type) or Unknown(
            "it is only known at deploy time", "write the connection type (VPC_LINK or INTERNET) itself")
        walk.gap(Role.INTEGRATION, integration, "connection_type",
                 Unknown(f"whether it goes through a VPC link is not known ({unknown.reason})", unknown.supply))
    elif connection.upper() != "VPC_LINK":
        yield from _public(walk, integration)
        return
    walk.hop(Role.INTEGRATION, integration)
    if isinstance(integration, RestIntegration):
        _read_rest_uri(walk, integration)
    else:
        walk.path = replace(walk.path, uses_tls=integration.tls_config, host=_host(integration.server_name_to_verify))
    for named in _verified(walk):
        yield from _through_link(named, integration)


def _through_link(walk: _Walk, integration: Integration) -> Iterator[Path]:
    for link_walk, link in walk.resolve(integration.connection_id, Role.VPC_LINK, integration, "connection_id",
                                        (VpcLink,)):
        if isinstance(link, VpcLink) and link.version != 2 and isinstance(integration, HttpApiIntegration) \
                and integration.api_kind is not None:  # a WebSocket API's wiring, or an HTTP API's mistake
            yield link_walk.hop(Role.VPC_LINK, link).gap(Role.INTEGRATION, integration, "integration_uri",
                                                         integration.api_kind).finish()
        elif isinstance(link, VpcLink):
            link_walk.hop(Role.VPC_LINK, link)
            link_walk.path = replace(link_walk.path, vpc_link=link)
            yield from _after_link(link_walk, integration, link)
        elif link is None and _names_its_entry(integration):
            yield from _named_entry(link_walk, integration)  # the link is a gap; what lies behind it is not
        else:
            yield link_walk.finish()


def _host(value: object) -> Host:
    """The name an HTTP API verifies: written out, a resource's DNS name, assembled from parts only known at
    deploy time (compared with certificate names built from the same parts), or unknown."""
    if value is None or isinstance(value, (str, Interpolated, Reference, Unknown)):
        return value
    return first_unknown(value) or Unknown(f"the host name '{value}' is only known at deploy time")


def _read_rest_uri(walk: _Walk, integration: RestIntegration, role: Role = Role.LISTENER) -> None:
    skip = known_bool(integration.skip_verification)
    if integration.skip_verification is not None and skip is None:
        walk.gap(Role.INTEGRATION, integration, "skip_verification", first_unknown(integration.skip_verification)
                 or Unknown("insecureSkipVerification is computed", "write insecureSkipVerification as true or false"))
    walk.path = replace(walk.path, skip_verification=bool(skip))
    _read_uri(walk, integration, integration.uri, "uri", role)


def _read_uri(walk: _Walk, integration: Integration, value: object, field_name: str, role: Role) -> None:
    """Scheme, host and port of a URI API Gateway connects to; what cannot be read is a gap of ``role`` (the
    listener a private URI's port selects, the endpoint a public URI names)."""
    what = _aws_named(walk.world, value) if isinstance(value, Reference) else None
    if isinstance(value, Reference) and what is not None:
        walk.gap(role, integration, field_name, _aws_certificate("URI", f"the {value.attribute} of {what}"))
        return
    uri = parse_uri(value, plan=integration.loc.line is None)
    if isinstance(uri, Unknown):
        walk.gap(role, integration, field_name, uri)
        return
    walk.path = replace(walk.path, host=uri.host, uses_tls=uri.scheme == "https",
                        port=uri.port if isinstance(uri.port, int) else None)
    if isinstance(uri.port, Unknown):
        walk.gap(role, integration, field_name, uri.port)


def _verified(walk: _Walk) -> Iterator[_Walk]:
    """The walk once per name API Gateway verifies: a Route 53 record's reference is the record's name (once
    per way undecided conditions settle it); a load balancer's, an instance's or an Elastic IP's own name stays
    that resource's, which only AWS knows; another resource's attribute is a name the files do not give, and
    the name of an endpoint AWS runs (a CloudFront distribution's, a Lambda function URL's) is said to be."""
    host = walk.path.host
    resource = walk.world.resources.get(host.key) if isinstance(host, Reference) else None
    if not isinstance(host, Reference) or _names_itself(resource):
        yield walk
        return
    if not isinstance(resource, DnsRecord):
        aws = _aws_named(walk.world, host) if resource is None else None
        what = f"'{resource.name}'" if resource is not None else f"'{host.name}'"
        walk.path = replace(walk.path, host=_aws_certificate("host name", f"the {host.attribute} of {aws}") if aws
                            else Unknown(f"the host name is the {host.attribute} of {what}, which only AWS knows",
                                         "use a name the files define (a Route 53 record, the certificate's name) as "
                                         "the host"))
        yield walk
        return
    for record, assumptions in variants(resource, walk.assumptions):
        for name, settled in settle(_record_name(record, host.attribute), assumptions):
            named = walk.fork(settled)
            named.path = replace(named.path, host=_host(name.rstrip(".") if isinstance(name, str) else name))
            yield named


# resources whose own name, which AWS assigns, a public integration may call -- as people call them
_AWS_NAMED = {"AWS::CloudFront::Distribution": "CloudFront distribution",
              "aws_cloudfront_distribution": "CloudFront distribution",
              "AWS::S3::Bucket": "S3 bucket", "aws_s3_bucket": "S3 bucket",
              "AWS::Lambda::Url": "Lambda function URL", "aws_lambda_function_url": "Lambda function URL"}
_EXECUTE_API = re.compile(r"^\.execute-api\.", re.IGNORECASE)  # after the API id: {api-id}.execute-api.{region}...


def _aws_named(world: World, reference: Reference) -> str | None:
    """The resource a reference names, as people call it, when its name is one AWS assigns to an endpoint of
    its own (a CloudFront distribution, an S3 bucket, a Lambda function URL)."""
    kind = _AWS_NAMED.get(world.unfollowed.get(_INDEX.sub("", reference.key), ""))
    return f"{kind} '{reference.name}'" if kind else None


def _execute_api(host: object) -> str | None:
    """The API whose default endpoint a host is (``${Api}.execute-api.${AWS::Region}.amazonaws.com``), as
    people call it."""
    if isinstance(host, Interpolated) and len(host.parts) > 1 and isinstance(host.parts[0], Reference) \
            and isinstance(host.parts[1], str) and _EXECUTE_API.match(host.parts[1]):
        return f"API '{host.parts[0].name}'"
    return None


def _aws_certificate(what: str, whose: str) -> Unknown:
    """A public integration to an endpoint AWS names: the certificate served there is AWS's, for a name only
    AWS knows before deploy -- nothing the files hold decides it, and tlspath does not judge it."""
    return Unknown(f"the {what} is {whose}, a name AWS assigns; the certificate served for it is AWS's, not one the "
                   "files hold, so tlspath cannot check it",
                   "nothing in the files sets that certificate; to have this hop checked, call the endpoint by a name "
                   "the files define, with a certificate they hold -- or, relying on AWS's certificate, suppress "
                   "I9513 on this integration")


def _record_name(record: DnsRecord, attribute: str) -> object:
    """The name a reference to a record reads: Terraform's ``name`` as written, else the full name."""
    return record.record_name if attribute == "name" else record.domain_name


def _with_name_gaps(path: Path) -> Path:
    """The names a verdict on the verified host depends on, where the files do not give them: the host
    (unless it cancels out -- a certificate's names built from the same inputs decide the comparison whatever
    they hold) and certificate names written with parts only known at deploy time, when the comparison
    depends on them. A host that can never be a host name needs nothing: E9503 speaks."""
    if not path.uses_tls or path.host is None or problem(as_name(path.host) or "x") is not None:
        return path
    tls = path.tls_at_listener
    if tls is not None and host_coverage(path.host, tls.certificates) is not None:
        return path
    gaps = []
    if isinstance(path.host, (Interpolated, Unknown)) and not path.blocked(frozenset({Role.HOST})):
        gaps.append(Gap(Role.HOST, path.integration, path.host_field, _unknown_name(path.host, "the host name")))
    for certificate in tls.certificates if tls is not None else ():
        names = certificate.facts.names
        if not isinstance(names, Unknown) and certificate_covers(certificate, path.host) is None:
            written = [name for name in map(as_name, names) if name is not None and not isinstance(name, str)]
            unknown = _unknown_name(written[0], f"a name of certificate '{certificate.name}'") if written else None
            if unknown is not None and all(gap.unknown != unknown for gap in gaps):  # one missing value, said once
                gaps.append(Gap(Role.CERTIFICATE, certificate, "names", unknown, blocks=False))
    return replace(path, gaps=(*path.gaps, *gaps))


def _unknown_name(name: Interpolated | Unknown, what: str) -> Unknown:
    """Why a name is not known: the first unknown part, else the resource attribute it is made of."""
    if isinstance(name, Unknown):
        return name
    return first_unknown(name) or Unknown(f"{what} '{shown(name)}' is only known once deployed",
                                          "use a name the files define (a Route 53 record, the certificate's name)")


def _names_its_entry(integration: Integration) -> bool:
    """Whether the integration itself names what API Gateway reaches -- an HTTP API's listener ARN, a REST
    integration's IntegrationTarget (only a v2 link uses it) -- so a VPC link the files do not determine hides
    nothing behind it."""
    return isinstance(integration, HttpApiIntegration) or integration.integration_target is not None


def _after_link(walk: _Walk, integration: Integration, link: VpcLink) -> Iterator[Path]:
    """From the VPC link to what the integration (or a v1 link) names: a load balancer or a listener."""
    if isinstance(integration, HttpApiIntegration) or link.version == 2 or integration.integration_target is not None:
        yield from _named_entry(walk, integration)
    elif isinstance(link.targets, Unknown):
        yield walk.gap(Role.LOAD_BALANCER, link, "targets", link.targets).finish()
    elif len(link.targets) != 1:
        yield walk.finish()  # E9509: a v1 link targets exactly one NLB
    else:
        yield from _entry(walk, integration, link.targets[0], Role.LOAD_BALANCER, link, "targets")


def _named_entry(walk: _Walk, integration: Integration) -> Iterator[Path]:
    """What the integration names itself: the listener ARN of an HTTP API's IntegrationUri (literal, imported
    or referenced), a REST integration's IntegrationTarget (a load balancer or listener)."""
    if isinstance(integration, RestIntegration):
        if integration.integration_target is None:
            yield walk.finish()  # E9509: a v2 link without IntegrationTarget reaches nothing
        else:
            yield from _entry(walk, integration, integration.integration_target, Role.LOAD_BALANCER, integration,
                              "integration_target")
        return
    text = known_str(integration.integration_uri)
    if text is not None and CLOUD_MAP_ARN.match(text):
        yield walk.gap(Role.LISTENER, integration, "integration_uri",
                       _cloud_map(text.rsplit("/", 1)[-1], integration)).finish()
    elif text is not None and not LISTENER_ARN.match(text):
        yield walk.finish()  # E9509: neither a listener nor a Cloud Map service
    else:
        yield from _entry(walk, integration, integration.integration_uri, Role.LISTENER, integration, "integration_uri")


def _entry(walk: _Walk, integration: Integration, entry: object, role: Role, subject: Resource,
           field_name: str) -> Iterator[Path]:
    """Follow what the integration or link names to the load balancer or listener it is."""
    for target_walk, target in walk.resolve(entry, role, subject, field_name, (LoadBalancer, Listener)):
        target_walk.path = replace(target_walk.path, entry=target)
        if isinstance(target, Listener):
            yield from _from_listener(target_walk, target)
        elif isinstance(target, LoadBalancer):
            target_walk.hop(Role.LOAD_BALANCER, target)
            target_walk.path = replace(target_walk.path, load_balancer=target)
            if isinstance(integration, RestIntegration):
                yield from _listeners(target_walk, target)
            else:
                yield target_walk.finish()  # E9509: an HTTP API names a listener, not a load balancer
        else:
            yield target_walk.finish()


def _listeners(walk: _Walk, balancer: LoadBalancer) -> Iterator[Path]:
    """The listener on the port API Gateway uses, among every listener of the load balancer."""
    for port_walk, listeners, listener in _on_port(walk, balancer, walk.path.port):
        port_walk.path = replace(port_walk.path, listeners=listeners)
        if listener is None:
            yield port_walk.finish()  # E9507 unless a gap says why the listener cannot be told
        else:
            yield from _at_listener(port_walk, listener)


def _on_port(walk: _Walk, balancer: LoadBalancer,
             port: int | None) -> Iterator[tuple[_Walk, tuple[Listener, ...], Listener | None]]:
    """The listener that takes a TCP connection on ``port`` -- once per such listener, or once with ``None``
    when none does, together with every listener of the load balancer (what E9507 names; recorded only then,
    and only when the port is known: a path is never a copy of every listener). Then a gap says what the files
    leave open (no listener scanned at all, a listener's port or protocol unknown); without one, nothing listens
    there.

    A listener that may be on the port and exists only under an undecided condition forks the walk: on one
    side it listens, on the other nothing may. Listeners elsewhere never fork it, and only those the port
    index names as maybe on the port are read to find the one that listens (:meth:`World.listeners_maybe_on`):
    a listener whose port is another number on every branch can never be it."""
    declared = walk.world.listeners_of.get(balancer.key, [])
    if not declared:
        yield walk.gap(Role.LISTENER, balancer, "lb_type", Unknown(
            f"no listener of load balancer '{balancer.name}' is among the scanned resources",
            "scan the files that define its listeners")), (), None
        return
    if port is None:
        yield walk, (), None  # the port is unknown: a gap says so already
        return
    maybe = walk.world.listeners_maybe_on(balancer.key, port)
    relevant = [listener for listener in maybe if any(
        known_int(variant.port) in (port, None) for variant, _ in variants(listener, walk.assumptions))]
    for listed, present in walk.each_variant(relevant):
        matching = [listener for listener in _settled(listed, balancer, present, maybe, relevant)
                    if known_int(listener.port) == port]
        capable = [listener for listener in matching if protocol_of(listener) in TCP_CAPABLE]
        if not capable:
            listeners = _settled(listed, balancer, present, declared, relevant)
            for listener in listeners:
                if known_int(listener.port) is None:
                    listed.gap(Role.LISTENER, listener, "port", first_unknown(listener.port)
                               or _no_port_number(listener.port))
            for listener in matching:
                if not protocol_of(listener):
                    listed.gap(Role.LISTENER, listener, "protocol", first_unknown(listener.protocol) or _NO_PROTOCOL)
            yield listed, listeners, None
            continue
        for listener in capable:
            yield listed.fork(), (), listener


def _settled(walk: _Walk, balancer: LoadBalancer, present: tuple[Listener, ...], pool: list[Listener],
             relevant: list[Listener]) -> tuple[Listener, ...]:
    """The listeners of the load balancer among ``present`` (those the walk settled) and ``pool`` (the others,
    as far as the walk's assumptions settle them), in that order; those the assumptions rule out are left out."""
    elsewhere = (walk.certain(listener) or listener for listener in pool
                 if listener not in relevant and walk.exists(listener))
    return tuple(listener for listener in (*present, *elsewhere)
                 if balancer.key in set(_reference_keys(listener.load_balancer)))


_NO_PROTOCOL = Unknown("the listener protocol is not set", "set the listener's protocol (TLS or TCP on an NLB, HTTPS or "
                                                             "HTTP on an ALB)")


def _no_port_number(port: Value) -> Unknown:
    """Why a listener's port is no port: a value written that is not a whole number (443.5, "abc": the
    deployment refuses it), or one only known at deploy time."""
    if isinstance(port, (int, float, str)) and not isinstance(port, bool):
        return Unknown(f"the listener port {port} is not a whole number, which the deployment refuses",
                       "write the listener's port as a whole number")
    return Unknown("the listener port is only known at deploy time", "write the listener's port as a number")


def _from_listener(walk: _Walk, listener: Listener) -> Iterator[Path]:
    """A path that names its listener directly (HTTP API IntegrationUri, REST IntegrationTarget)."""
    walk.path = replace(walk.path, port=known_int(listener.port), listeners=(listener,))
    for balancer_walk, balancer in walk.resolve(listener.load_balancer, Role.LOAD_BALANCER, listener,
                                                "load_balancer", (LoadBalancer,)):
        if isinstance(balancer, LoadBalancer):
            balancer_walk.hop(Role.LOAD_BALANCER, balancer)
            balancer_walk.path = replace(balancer_walk.path, load_balancer=balancer)
        yield from _at_listener(balancer_walk, listener)


def _at_listener(walk: _Walk, listener: Listener) -> Iterator[Path]:
    walk.hop(Role.LISTENER, listener)
    walk.path = replace(walk.path, listener=listener)
    if not protocol_of(listener):
        yield walk.gap(Role.LISTENER, listener, "protocol", first_unknown(listener.protocol) or _NO_PROTOCOL).finish()
        return
    yield from _target_groups(walk, listener, list(listener.target_groups))


def _target_groups(walk: _Walk, listener: Listener, remaining: list[object]) -> Iterator[Path]:
    """Collect every target group of the listener (forking only on conditions), then finish the path."""
    if not remaining:
        yield from _through_alb(walk, listener)
        return
    for entry_walk, entry in _entries(walk, remaining[0]):
        if entry is None:
            yield from _target_groups(entry_walk, listener, remaining[1:])
            continue
        for group_walk, group in entry_walk.resolve(entry, Role.TARGET_GROUP, listener, "target_groups",
                                                    (TargetGroup,)):
            walks: Iterable[_Walk] = (group_walk,)
            if isinstance(group, TargetGroup):
                group_walk.hop(Role.TARGET_GROUP, group)
                group_walk.path = replace(group_walk.path, target_groups=(*group_walk.path.target_groups, group))
                walks = _registered(group_walk, group)
            for registered in walks:
                yield from _target_groups(registered, listener, remaining[1:])


def _entries(walk: _Walk, value: object) -> Iterator[tuple[_Walk, object]]:
    """A list entry settled under the walk's assumptions -- ``None`` where a condition leaves the position
    empty (``Certificates: !If [HasCert, [...], !Ref AWS::NoValue]``): nothing is written there, which is not
    an unresolved value."""
    for settled, assumptions in settle(value, walk.assumptions):
        yield walk.fork(assumptions), settled


def _registered(walk: _Walk, group: TargetGroup) -> Iterator[_Walk]:
    """The walk with what is registered with ``group`` -- targets, or the ALB of an ``alb`` group -- once per
    consistent set of registrations."""
    for registered, attachments in walk.each_variant(walk.world.attachments_of.get(group.key, [])):
        for attachment in attachments:
            if group.key not in set(_reference_keys(attachment.target_group)):
                continue
            target = (registered.world.resources.get(attachment.target.key)
                      if isinstance(attachment.target, Reference) else None)
            if isinstance(target, Target) and target not in registered.path.targets:
                registered.hop(Role.TARGET, target)
                registered.path = replace(registered.path, targets=(*registered.path.targets, target))
            elif isinstance(target, LoadBalancer):
                registered.albs[group.key] = target
        yield registered


def _through_alb(walk: _Walk, listener: Listener) -> Iterator[Path]:
    """A TCP listener forwarding to an ``alb`` target group continues at the ALB's listener on the group's
    port; that listener is where TLS terminates (aws-tls-path.md §4.3 [S34]). An ALB without a listener on
    that port is recorded for E9507."""
    group = next((g for g in walk.path.target_groups if (known_str(g.target_type) or "").lower() == "alb"), None)
    if group is None or protocol_of(listener) in TLS_PROTOCOLS:
        yield from _terminate(walk, listener)
        return
    alb = walk.albs.get(group.key)
    if alb is None:
        yield walk.gap(Role.LOAD_BALANCER, group, "target_type", Unknown(
            f"the Application Load Balancer registered with target group '{group.name}' is not among the "
            "scanned resources", "scan the files that register it")).finish()
        return
    walk.hop(Role.LOAD_BALANCER, alb)
    walk.path = replace(walk.path, alb=alb, alb_target_group=group)
    port = known_int(group.port)
    if port is None:
        walk.gap(Role.LISTENER, group, "port", first_unknown(group.port)
                 or Unknown(f"the port of target group '{group.name}' is not set",
                            "set the target group's port: the ALB's listener on that port takes the traffic"))
    for inner_walk, listeners, alb_listener in _on_port(walk, alb, port):
        inner_walk.path = replace(inner_walk.path, alb_listeners=listeners)
        if alb_listener is None:
            yield inner_walk.finish()  # E9507 unless a gap says why the ALB's listener cannot be told
            continue
        inner_walk.hop(Role.LISTENER, alb_listener)
        inner_walk.path = replace(inner_walk.path, alb_listener=alb_listener)
        yield from _terminate(inner_walk, alb_listener)


def _terminate(walk: _Walk, listener: Listener) -> Iterator[Path]:
    protocol = protocol_of(listener)
    if protocol in TLS_PROTOCOLS:
        if walk.path.uses_tls is True and listener.ssl_policy is not None and known_str(listener.ssl_policy) is None:
            walk.gap(Role.LISTENER, listener, "ssl_policy", _unknown_policy(listener), blocks=False)
        for certificate_walk, certificates in _certificates(walk, listener):
            certificate_walk.path = replace(certificate_walk.path,
                                            tls=TlsTermination(Termination.LISTENER, listener, certificates))
            yield certificate_walk.finish()
        return
    passthrough = protocol in PASS_THROUGH and walk.path.uses_tls is True
    seen = _seen(walk, listener, "protocol") if passthrough else ()  # may add a hop or a gap: before the path is replaced
    walk.path = replace(walk.path, tls=TlsTermination(Termination.BACKEND if passthrough else Termination.NONE,
                                                      listener, seen))
    yield walk.finish()


def _unknown_policy(listener: Listener) -> Unknown:
    """A security policy the files do not give, where API Gateway's TLS session ends: whether the listener
    accepts TLS 1.2 (E9508) rests on it. Not set at all, it is the default, which does; a value only known at
    deploy time is said -- what decides it, and that a TLS13-1-3 policy refuses API Gateway."""
    unknown = first_unknown(listener.ssl_policy) or Unknown("the security policy is only known at deploy time",
                                                           "write the policy name out")
    field = listener.spelling.name("ssl_policy")
    return Unknown(f"whether listener '{listener.name}' accepts API Gateway's TLS 1.2 depends on its {field}, which "
                   f"the files do not give ({unknown.reason}); a TLS13-1-3 policy accepts only TLS 1.3",
                   f"{unknown.supply}, and deploy a policy that accepts TLS 1.2 (not an ELBSecurityPolicy-TLS13-1-3-* "
                   "one)" if unknown.supply else "deploy a policy that accepts TLS 1.2 (not an "
                   "ELBSecurityPolicy-TLS13-1-3-* one)")


def _seen(walk: _Walk, subject: Resource, field_name: str) -> tuple[Certificate, ...]:
    """What ``--probe`` read at the endpoint API Gateway connects to -- the verified host at the port it uses --
    where the files cannot show the certificate (TLS passed through a TCP listener: ``subject`` is that listener,
    ``field_name`` where the pass-through is written). A probe that failed is a gap that names why; it blocks
    nothing, since what the files do show is still judged."""
    host, port = walk.path.host, walk.path.port
    if not isinstance(host, str) or port is None or not walk.path.reachable_endpoint:
        return ()
    found = walk.world.seen_at(host, port)
    if isinstance(found, Unknown):
        walk.gap(Role.CERTIFICATE, subject, field_name, found, blocks=False)
    if not isinstance(found, Certificate):
        return ()
    found = replace(found, loc=replace(subject.at(field_name), seen_at=found.loc.seen_at))
    walk.hop(Role.CERTIFICATE, found)
    _fact_gaps(walk, found)
    return (found,)


def _certificates(walk: _Walk, listener: Listener) -> Iterator[tuple[_Walk, tuple[Certificate, ...]]]:
    """The default certificate and the SNI list of a TLS/HTTPS listener, once per consistent combination. An SNI
    certificate the listener may hold but can never show for the verified host does not fork the walk: present
    or absent, API Gateway is shown the same certificates, so it is on the list wherever it can be (its own
    findings hold where it is)."""
    attached = walk.world.sni_of.get(listener.key, [])
    quiet = [extra for extra in attached if extra.condition is not None and not _may_be_shown(walk, extra)
             and walk.assumptions.assume(extra.condition, True) is not None]
    for listed, forked in walk.each_variant([extra for extra in attached if extra not in quiet]):
        extras = (*forked, *quiet)
        written = [*((value, listener) for value in listener.certificates),
                   *((value, extra) for extra in extras if listener.key in set(_reference_keys(extra.listener))
                     for value in extra.certificates)]
        for collected, certificates in _collect_certificates(listed, written, ()):
            if not certificates:
                collected.gap(Role.CERTIFICATE, listener, "certificates", Unknown(
                    "the listener names no certificate",
                    "give the TLS listener its certificate (an ACM certificate ARN); AWS refuses a TLS or HTTPS listener "
                    "without one"))
            yield collected, certificates


def _may_be_shown(walk: _Walk, extra: ListenerCertificate) -> bool:
    """Whether an SNI entry may hold a certificate the load balancer picks for the verified host: it does
    unless every value it names is a certificate of the run that certainly does not cover the host, in
    every form it may take (and no variant of the entry itself is undecided)."""
    host = walk.path.host
    if host is None:
        return False  # no SNI: the default certificate is shown
    settled = list(itertools.islice(variants(extra, walk.assumptions), 2))
    if len(settled) != 1:
        return True
    for value in settled[0][0].certificates:
        resource = walk.world.resources.get(value.key) if isinstance(value, Reference) else None
        if not isinstance(resource, Certificate) or any(
                certificate_covers(certificate, host) is not False
                for certificate, _ in variants(resource, walk.assumptions)):
            return True
    return False


def _collect_certificates(walk: _Walk, written: list[tuple[object, Resource]],
                          found: tuple[Certificate, ...]) -> Iterator[tuple[_Walk, tuple[Certificate, ...]]]:
    if not written:
        yield walk, found
        return
    (value, subject), rest = written[0], written[1:]
    for entry_walk, entry in _entries(walk, value):
        if entry is None:
            yield from _collect_certificates(entry_walk, rest, found)
            continue
        for branch, certificate in _certificate(entry_walk, entry, subject):
            if certificate.source is not CertificateSource.UNRESOLVED:
                branch.hop(Role.CERTIFICATE, certificate)
            yield from _collect_certificates(branch, rest, (*found, certificate))


def _certificate(walk: _Walk, value: Any, subject: Resource) -> Iterator[tuple[_Walk, Certificate]]:
    """The certificate a listener names -- a resource of the run (once per variant), an ARN looked up in ACM --
    or, as a gap, a stand-in that keeps its place in the list (so the SNI list is never taken for the
    default certificate)."""
    resource = walk.world.resources.get(value.key) if isinstance(value, Reference) else None
    if isinstance(resource, Certificate):
        for certificate, assumptions in variants(resource, walk.assumptions):
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
        unknown = _missing(value, Role.CERTIFICATE, walk.world.unfollowed, subject)
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
    untold = certificate.facts.untold()
    if untold is not None:
        walk.gap(Role.CERTIFICATE, certificate, untold[0], untold[1], blocks=False)


# ------------------------------------------------------------------------------------- around the path


def _endpoint_services(walk: _Walk) -> tuple[EndpointService, ...]:
    """The VPC endpoint services the files certainly put on the path's load balancer."""
    balancer = walk.path.load_balancer
    if balancer is None:
        return ()
    services = (walk.certain(service) for service in walk.world.services_on.get(balancer.key, []))
    return tuple(service for service in services
                 if service is not None and balancer.key in set(_reference_keys(list(service.load_balancers))))


def _security_groups(walk: _Walk, value: object) -> SecurityGroups | None:
    """The security groups a field names, with every inbound rule the files give them -- a rule a condition
    leaves open, or one whose group the files do not name, counts: it may admit; ``None`` when the files do not
    determine the groups (a data source, a literal id, a condition the path does not decide)."""
    settled = list(settle(value, walk.assumptions))
    if len(settled) != 1 or settled[0][1] != walk.assumptions:
        return None
    found = [walk.world.resources.get(item.key) if isinstance(item, Reference) else None
             for item in as_items(settled[0][0])]
    groups = [group for group in found if isinstance(group, SecurityGroup)]
    if len(groups) != len(found):
        return None
    inbound = (rule for key in ("", *(group.key for group in groups)) for rule in walk.world.inbound_of.get(key, []))
    return SecurityGroups(tuple(groups), tuple(rule for rule in inbound if next(variants(rule, walk.assumptions), None)))



# ------------------------------------------------------------------------------------ public integrations

_HTTP_TYPES = frozenset({"HTTP", "HTTP_PROXY"})
_DUALSTACK = "dualstack."  # the prefix an alias to a load balancer may carry (the CDK writes it)


def _public(walk: _Walk, integration: Integration) -> Iterator[Path]:
    """An HTTP or HTTP_PROXY integration without a VPC link: API Gateway resolves the URI's host through public
    DNS, connects over the internet and verifies that same name (fact-updates-2026-11.md, "Public ...
    integrations"). The host is followed into the files -- Route 53 records, a load balancer's listener on the
    URI's port, an instance or its Elastic IP -- and a host the files do not define is where ``--probe`` looks."""
    uri = integration.uri if isinstance(integration, RestIntegration) else integration.integration_uri
    if not _speaks_http(integration, uri):
        return
    walk.hop(Role.INTEGRATION, integration)
    walk.path = replace(walk.path, internet=True)
    if isinstance(integration, RestIntegration):
        _read_rest_uri(walk, integration, Role.HOST)
    else:
        _read_uri(walk, integration, uri, "integration_uri", Role.HOST)
    if walk.path.uses_tls is None:
        yield walk.finish()  # the URI cannot be read: a gap says why
        return
    api = _execute_api(walk.path.host)
    if api is not None:  # another API's default endpoint: only its certificate is unknown, not the region's name
        walk.path = replace(walk.path, host=_aws_certificate("host name", f"the execute-api endpoint of {api}"))
    written = walk.path.host
    for named in _verified(walk):
        yield from _reach(named, written, frozenset())


def _speaks_http(integration: Integration, uri: object) -> bool:
    """Whether an integration without a VPC link calls an HTTP endpoint: its type says so, or -- when the
    type is not known -- its URI is an http(s) URL (Lambda and AWS service integrations name ARNs). When
    neither is known before deploy, the integration is followed so its unresolved URI is reported, not
    passed over."""
    kind = known_str(integration.integration_type)
    if kind is not None:
        return kind.upper() in _HTTP_TYPES
    parsed = parse_uri(uri)
    if isinstance(parsed, Uri):
        return parsed.scheme in ("http", "https")
    return isinstance(integration.integration_type, Unknown) and isinstance(uri, Unknown)  # the gap says why


def _reach(walk: _Walk, host: object, followed: frozenset[str]) -> Iterator[Path]:
    """What answers at a host: a Route 53 record's target (followed), a load balancer, an instance or its
    Elastic IP, or -- for a name the files do not define -- an endpoint they do not show."""
    for settled, assumptions in settle(host, walk.assumptions):
        branch = walk.fork(assumptions)
        name = as_name(settled)
        records = branch.world.records_named.get(name_key(name) or (), []) if name is not None else []
        if isinstance(settled, Reference):
            yield from _reach_resource(branch, settled, followed)
        elif records:
            for record in records:
                yield from _through_record(branch.fork(), record, name, followed)
        elif isinstance(settled, str):
            yield from _at_endpoint(branch, None)
        else:
            unknown = _unknown_name(settled, "the host name") if isinstance(settled, (Interpolated, Unknown)) else \
                Unknown(f"the host '{settled}' is not a name", "write the host name in the URI")
            yield branch.gap(Role.HOST, branch.path.integration, branch.path.host_field, unknown).finish()


def _reach_resource(walk: _Walk, reference: Reference, followed: frozenset[str]) -> Iterator[Path]:
    """The resource whose own name the host is (a record is followed; any other name is one only AWS knows,
    and the verified host's gap says so)."""
    resource = walk.world.resources.get(reference.key)
    if resource is None or not (isinstance(resource, DnsRecord) or _names_itself(resource)):
        yield walk.finish()
        return
    for found, assumptions in variants(resource, walk.assumptions):
        branch = walk.fork(assumptions)
        if isinstance(found, DnsRecord):
            yield from _through_record(branch, found, None, followed)
        elif isinstance(found, LoadBalancer):
            branch.hop(Role.LOAD_BALANCER, found)
            branch.path = replace(branch.path, load_balancer=found)
            yield from _listeners(branch, found)
        elif isinstance(found, ElasticIp):
            yield from _through_address(branch, found)
        elif isinstance(found, Target):
            yield from _at_endpoint(branch, found)


def _names_itself(resource: Resource | None) -> bool:
    """Whether a resource's own DNS name or address is a host API Gateway can reach: a load balancer, an EC2
    instance, an Elastic IP (no certificate ACM issues covers such a name)."""
    return isinstance(resource, (LoadBalancer, ElasticIp)) or (
        isinstance(resource, Target) and resource.kind is TargetKind.INSTANCE)


def _through_record(walk: _Walk, record: DnsRecord, name: object, followed: frozenset[str]) -> Iterator[Path]:
    """A Route 53 record the host resolves through, to each value it points at (API Gateway may reach any of
    them). A record found by its name counts only where the walk's assumptions keep that name."""
    for settled, assumptions in variants(record, walk.assumptions):
        if name is not None and _name_key(settled.domain_name) != name_key(as_name(name) or ""):
            continue
        branch = walk.fork(assumptions)
        if record.key in followed:
            yield branch.gap(Role.DNS_RECORD, settled, "targets", Unknown(
                f"record '{settled.name}' resolves through itself",
                "point the record at the load balancer or address it stands for, not back at itself")).finish()
            continue
        branch.hop(Role.DNS_RECORD, settled)
        if not settled.targets:
            yield branch.gap(Role.DNS_RECORD, settled, "targets", Unknown(
                f"record '{settled.name}' names no alias target or value", "give the record its target")).finish()
        for target in settled.targets:
            yield from _reach(branch.fork(), _alias_of(target), followed | {record.key})


def _alias_of(target: object) -> object:
    """An alias target without the ``dualstack.`` prefix, which names the same load balancer."""
    if isinstance(target, Interpolated) and len(target.parts) == 2 and target.parts[0] == _DUALSTACK:
        return target.parts[1]
    return target


def _through_address(walk: _Walk, address: ElasticIp) -> Iterator[Path]:
    """An Elastic IP: the instance it names, or the one an association gives it."""
    walk.hop(Role.ELASTIC_IP, address)
    instances = [address.instance] if address.instance is not None else [
        association.instance for association in walk.world.associations_of.get(address.key, [])]
    if not instances:
        yield walk.gap(Role.ENDPOINT, address, "instance", Unknown(
            f"no instance of the scanned files is associated with Elastic IP '{address.name}'",
            "scan the files that associate it")).finish()
        return
    for instance in instances:
        for found_walk, found in walk.fork().resolve(instance, Role.ENDPOINT, address, "instance", (Target,)):
            if isinstance(found, Target):
                yield from _at_endpoint(found_walk, found)
            else:
                yield found_walk.finish()


def _at_endpoint(walk: _Walk, instance: Target | None) -> Iterator[Path]:
    """TLS ends at the public endpoint itself: an instance, whose boot script or container may show the
    certificate it makes (E9501), or a host the files do not define. Neither shows a certificate; ``--probe``
    reads the one the named host presents."""
    if instance is not None:
        walk.hop(Role.ENDPOINT, instance)
        walk.path = replace(walk.path, targets=(instance,))
    seen = _seen(walk, walk.path.integration, walk.path.host_field) if walk.path.uses_tls else ()
    at = Termination.ENDPOINT if walk.path.uses_tls else Termination.NONE
    walk.path = replace(walk.path, tls=TlsTermination(at, None, seen))
    yield walk.finish()
