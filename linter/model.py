"""The neutral model every front end builds and every rule reads.

CloudFormation, Terraform HCL and Terraform plan JSON all end here: typed resources that say where they were
written (file:line) and whose values are either known or explicitly :class:`Unknown`. Nothing in this module
knows YAML or HCL, so the walk and the rules stay format-free.

Values a field can hold:

* plain Python data (``str``, ``int``, ``bool``, ``list``/``tuple``, ``dict``) when the value is known;
* :class:`Reference` when the value is an attribute of another resource in the run (an ARN, an id, a DNS
  name) -- the walk follows these;
* :class:`Interpolated` for a string assembled from literal text and references or unknowns
  (``!Sub "https://${Nlb.DNSName}/"``, ``"${aws_lb.main.dns_name}"``);
* :class:`Choice` when the value depends on a condition nobody can evaluate statically; the walk follows
  both branches;
* :class:`Unknown` with the reason and how to supply it, when nothing better can be said.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from linter.spelling import Spelling


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written. ``line`` is 1-based; ``None`` when the source has no lines (plan JSON).
    ``column`` is the 1-based column (in characters) of the key or value pointed at, where the parser knows it;
    ``None`` where it cannot be known honestly (a value set outside any file, text decoded from a string).
    ``note`` says what the place itself does not show: a value set outside any file points at what it was
    given to (a variable's declaration) and says where it came from (``the value comes from the environment
    variable TF_VAR_port``); findings there repeat it. ``seen_at`` marks something no file holds -- a
    certificate a server presented to ``--probe`` -- which is reported at the place in the files that leads to
    it (``file``, ``line``) and shown, as a hop of a path, where it was seen."""

    file: str
    line: int | None = None
    column: int | None = None
    note: str = ""
    seen_at: str = ""  # HOST:PORT where --probe read it: in no file (``file``:``line`` is where it is reported)

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


VALUE_FROM = "the value comes from "  # how a Location's note says a value was given outside the files


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the linter cannot know from the files, with the reason and how the user can supply it.

    ``identity`` names the input whose whole value this is -- a Terraform variable, a CloudFormation parameter
    -- uniquely in the run, so two unknowns with the same identity hold the same text (a host name and a
    certificate's name built from one variable can be compared, :mod:`linter.names`). A value computed from
    an unknown is :meth:`derived`: the same reason, no identity. It takes no part in equality.
    """

    reason: str
    supply: str = ""
    identity: str = field(default="", compare=False)

    def derived(self) -> Unknown:
        """The unknown as the result of computing with it (an attribute, a function, an index)."""
        return Unknown(self.reason, self.supply) if self.identity else self

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


@dataclass(frozen=True, slots=True)
class Reference:
    """An attribute of another resource of the run: ``attribute`` is ``arn``, ``id``, ``dns_name`` or the
    front end's own attribute name for anything else."""

    key: str
    attribute: str = "arn"

    @property
    def name(self) -> str:
        """The resource as its file names it. Keys are ``namespace#name``: a CloudFormation logical id (letters
        and digits) ends the key -- a nested stack's namespace holds ``#`` itself -- and a Terraform address
        (never letters and digits alone) follows the first ``#``."""
        logical = _LOGICAL_ID.search(self.key)
        return logical.group(1) if logical else self.key.split("#", 1)[-1]

    def __str__(self) -> str:
        return f"${{{self.name}.{self.attribute}}}"


_LOGICAL_ID = re.compile(r"#([A-Za-z0-9]+)$")


@dataclass(frozen=True, slots=True)
class Interpolated:
    """A string assembled from literal text, references and unknowns (in order)."""

    parts: tuple[str | Reference | Unknown, ...]

    def __str__(self) -> str:
        return "".join(p if isinstance(p, str) else str(p) for p in self.parts)


@dataclass(frozen=True, slots=True)
class Choice:
    """A value that is ``if_true`` when ``condition`` holds and ``if_false`` otherwise, where the condition
    cannot be decided from the files. The walk forks a path at every undecided choice."""

    condition: str
    if_true: object
    if_false: object


Value = object  # any of the above; kept as ``object`` because plain data is part of the union


def known_str(value: Value) -> str | None:
    """The value as a string when it is a fully known scalar, else ``None`` (a whole number too long for
    Python to write out is not known as text either)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (int, float)):
        try:
            return str(value)
        except ValueError:  # past sys.get_int_max_str_digits()
            return None
    return None


def known_int(value: Value) -> int | None:
    """The value as an integer when it is a known integer or a string of ASCII digits (CloudFormation allows
    both); digits too many for Python's int/str conversion limit are not a known number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            try:
                return int(text)
            except ValueError:  # past sys.get_int_max_str_digits()
                return None
    return None


def known_bool(value: Value) -> bool | None:
    """The value as a boolean when it is known (``true``/``false`` strings count)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def first_unknown(value: Value) -> Unknown | None:
    """The first :class:`Unknown` inside a value, so a gap can say *why* something is unresolved."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Interpolated):
        return next((p for p in value.parts if isinstance(p, Unknown)), None)
    if isinstance(value, (list, tuple)):
        return next((u for u in map(first_unknown, value) if u is not None), None)
    return None


def step_into(value: Value, key: object) -> Value:
    """One step into a nested value (a mapping key or a list index); ``None`` when absent, an unknown stays
    unknown, and an undecided choice is followed into both branches."""
    if isinstance(value, Choice):
        return Choice(value.condition, step_into(value.if_true, key), step_into(value.if_false, key))
    if isinstance(key, int):
        return value[key] if isinstance(value, list) and key < len(value) else None
    if isinstance(value, dict):
        return value.get(key)
    return value if isinstance(value, Unknown) else None


def as_items(value: Value) -> list:
    """A list-valued field as a list; an unknown (or a lone value) stays one item so its gap is reported."""
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return [] if value is None else [value]


# -------------------------------------------------------------------------------------------- conditions

# What an undecided condition stands for. Conditions are built from other conditions and from the same
# inputs (``IsDev: !Equals [!Ref Env, dev]``, ``NotProd: !Not [!Condition IsProd]``, ``var.a && var.b``), so
# their names are not independent: front ends say what each name is, as a formula over *inputs* -- values
# only known at deploy time (a parameter without default, a variable without value) and conditions nothing
# reduces further -- and the walk keeps only the assumptions that can hold together (linter.conditions).


@dataclass(frozen=True, slots=True)
class Is:
    """An input is ``value``. ``domain`` lists every value the input may take, when the files say
    (``AllowedValues``); a condition nothing reduces is the test of its own truth, ``("true", "false")``."""

    input: str
    value: str = "true"
    domain: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Not:
    """The formula does not hold."""

    operand: Formula


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every formula holds (``!And``, ``&&``)."""

    operands: tuple[Formula, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one formula holds (``!Or``, ``||``)."""

    operands: tuple[Formula, ...]


Formula = bool | Is | Not | AllOf | AnyOf


def opaque(name: str) -> Is:
    """A condition that is an input of its own: true or false, related to nothing else."""
    return Is(name, "true", ("true", "false"))


def define(table: dict[str, Formula], name: str, formula: Formula) -> None:
    """Say in ``table`` what a condition stands for; a name defined two ways (two templates' ``IsProd``, a
    nested stack's condition named like its parent's) stands for itself, related to nothing."""
    if table.setdefault(name, formula) != formula:
        table[name] = opaque(name)


# ------------------------------------------------------------------------------------------ suppressions


@dataclass(frozen=True, slots=True)
class Suppression:
    """One rule silenced on one resource where the user wrote it: ``Metadata: tlspath: ignore`` (or cfn-lint's
    ``ignore_checks``) on a CloudFormation resource, a ``tlspath:ignore`` comment in or above a Terraform block.
    Front ends read what is written -- ``problem`` says what is wrong with it as written (no reason, a date
    that is no date) -- and the engine decides what it silences (:mod:`linter.suppressions`)."""

    rule: str  # a rule id or id prefix, upper-case; "" when none is written (``problem`` says so)
    loc: Location  # where it is written
    owner: str = ""  # the resource it stands on, as the user names it ("" when it stands on none)
    reason: str = ""
    expires: dt.date | None = None  # it applies up to and including this day
    problem: str = ""  # why it can never apply, as written
    written_as: str = ""  # a whole suppression in the syntax this one is written in (for fixes)
    cfn_lint: bool = False  # cfn-lint's ignore_checks: shared with cfn-lint's rules, no reason asked, never judged
    # the lines (in loc.file) of the declaration it stands on, the last ``None`` for "to the end of the file":
    # a finding whose line is there is on that resource too (a command in a launch template's user data)
    declaration: tuple[int, int | None] | None = None

    def holds(self, place: Location) -> bool:
        """Whether ``place`` lies in the declaration this suppression stands on."""
        if self.declaration is None or place.file != self.loc.file or place.line is None:
            return False
        first, last = self.declaration
        return first <= place.line and (last is None or place.line <= last)


# --------------------------------------------------------------------------------------------- resources


@dataclass(frozen=True, slots=True)
class Placement:
    """The region and account AWS puts a resource in, as far as the files say, and what says so (a Terraform
    provider configuration, an ARN written out, a CDK stack's environment). ``None`` where the files do not
    say: a CloudFormation stack's region and account are usually only known when it is deployed."""

    region: str | None = None
    account: str | None = None
    stated_by: str = ""  # "provider aws.use1", "its ARN"
    loc: Location | None = None  # where that is written


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Resource:
    """Common part of every resource: a key unique in the run, the name users know it by (logical id or
    Terraform address), where it is declared, where each of its fields was written and how."""

    key: str
    name: str
    loc: Location
    spans: Mapping[str, Location] = field(default_factory=dict)
    condition: str | None = None  # a condition the files do not decide (CloudFormation, Terraform count); paths assume it
    suppressions: tuple[Suppression, ...] = ()  # written on the resource; the engine applies them, rules never see them
    placement: Placement = field(default_factory=Placement)  # its region and account, where the files say
    spelling: Spelling = field(default_factory=Spelling)  # how the user's file names each field
    construct: str = ""  # the CDK construct that synthesized it (OrdersStack/OrdersNlb/TlsListener), in CDK output

    def __repr__(self) -> str:
        """The resource by its key and place. One ``__repr__`` serves every kind (``repr=False`` on each): a
        generated one would list a dozen fields, and each is code the ``dataclasses`` module writes and compiles
        at import -- start-up a pre-commit hook pays on every commit (README, Performance)."""
        return f"<{type(self).__name__} {self.key} at {self.loc}>"

    def at(self, field_name: str) -> Location:
        """Where ``field_name`` was written, falling back to the resource itself."""
        return self.spans.get(field_name, self.loc)

    def set_to(self, field_name: str, value: str | bool | int) -> str:
        """How to give a field ``value`` where the user must edit it: ``Set ssl_policy = "..."`` on the resource,
        or -- when its value is given from outside (a variable set in ``terraform.tfvars`` or a Terragrunt
        unit's ``inputs``, a parameter given in a parameters file) -- ``Change the value of variable
        'tls_policy', set in terraform.tfvars:1, to "..."``: editing the resource would change every
        environment, or nothing at all."""
        clause = self.assignment(field_name, value)
        return clause[0].upper() + clause[1:]

    def assignment(self, field_name: str, value: str | bool | int) -> str:
        """:meth:`set_to` as a clause that follows other words: ``set ssl_policy = "..."``."""
        given = self.at(field_name).note
        if not given.startswith(VALUE_FROM):
            return f"set {self.spelling.setting(field_name, value)}"
        return f"change the value of {given.removeprefix(VALUE_FROM)}, to {self.spelling.value(field_name, value)}"


UNKNOWN_PART = "\u2026"  # a route segment the files do not give


def route_words(verb: str | None, path: str) -> str:
    """A REST method's route for people: "GET /orders/{id}", with a path segment the files do not give shown
    as "\u2026" ("POST /v1/\u2026"); what is not known at all is left out ("/v1/orders", or "" -- the
    integration's name alone -- when neither verb nor path is known)."""
    known_path = "" if UNKNOWN_PART in path and not path.strip("/" + UNKNOWN_PART) else path
    return " ".join(part for part in ((verb or "").upper(), known_path) if part)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class RestIntegration(Resource):
    """A REST API (v1) method integration, from ``AWS::ApiGateway::Method``, an OpenAPI body or
    ``aws_api_gateway_integration``."""

    route: str  # "GET /orders", for people (route_words)
    integration_type: Value = None  # HTTP, HTTP_PROXY (followed without a VPC link), AWS, AWS_PROXY, MOCK
    connection_type: Value = None
    connection_id: Value = None
    uri: Value = None
    integration_target: Value = None
    skip_verification: Value = None  # tlsConfig.insecureSkipVerification; None when not set
    api: Value = None  # the API it belongs to (a reference), whose stages set the stage variables it reads


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class WebSocketIntegration(RestIntegration):
    """An integration of a WebSocket API: ``AWS::ApiGatewayV2::Integration`` / ``aws_apigatewayv2_integration``
    whose API has ``ProtocolType: WEBSOCKET``. AWS documents its private integrations as working the way a REST
    API's do -- a VPC link v1 to an NLB, the URL in ``uri`` (the user's ``IntegrationUri``) giving scheme, host
    and port -- so it is judged as one; it has no ``integration_target`` and no skip option."""


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class HttpApiIntegration(Resource):
    """An HTTP API (v2) integration: ``AWS::ApiGatewayV2::Integration`` / ``aws_apigatewayv2_integration``."""

    integration_type: Value = None  # HTTP_PROXY (followed without a VPC link), AWS_PROXY
    connection_type: Value = None
    connection_id: Value = None
    integration_uri: Value = None
    tls_config: bool = False  # whether a TlsConfig block is present at all
    server_name_to_verify: Value = None
    # why it may be a WebSocket API's integration instead: a URL integration URI (which only a WebSocket API's
    # private integration takes, on a VPC link v1) while no scanned file declares the API; None when it is an
    # HTTP API's. On a VPC link v2 it is wrong either way (judged as an HTTP API's)
    api_kind: Unknown | None = None
    api: Value = None  # the API it belongs to (a reference), whose stages set the stage variables it reads


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Stage(Resource):
    """A stage of an API and the stage variables it sets (``AWS::ApiGateway::Stage`` ``Variables``,
    ``AWS::ApiGatewayV2::Stage`` ``StageVariables``, a SAM API's own stage, ``aws_api_gateway_stage``
    ``variables``, ``aws_apigatewayv2_stage`` ``stage_variables``): an integration URI or connection id that
    reads ``${stageVariables.NAME}`` is one path per stage."""

    api: Value  # the API (a reference)
    stage_name: Value = None
    variables: Value = None  # a map of names to values; None when the stage sets none


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class VpcLink(Resource):
    """A VPC link. Version 1 (REST only, PrivateLink to exactly one NLB) lists its targets; version 2
    (HTTP APIs, and REST since 2025) is a set of ENIs and names no load balancer."""

    version: int
    targets: tuple[Value, ...] | Unknown = ()
    security_groups: Value = None  # v2: the groups of its ENIs; None when not written


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class LoadBalancer(Resource):
    """An Elastic Load Balancing v2 load balancer: a VPC link reaches an NLB (or an ALB, v2 links)."""

    lb_type: Value = "application"  # "network" | "application" | "gateway"; ELBv2 defaults to application
    scheme: Value = "internet-facing"  # or "internal" (ELBv2's Scheme; Terraform's internal = true): private addresses only
    security_groups: Value = None  # None when not written
    private_link_inbound: Value = None  # whether inbound rules apply to PrivateLink traffic ("on", the default, or "off")


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class SecurityGroup(Resource):
    """A VPC security group. Its inbound rules are resources of their own (:class:`InboundRule`), whether the
    files write them inside the group or apart."""


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class InboundRule(Resource):
    """One inbound rule of a security group: ``protocol`` as written (``tcp``, ``6``, ``-1``, ``all`` ...) to
    ports ``from_port``..``to_port``, from the security groups in ``peer_groups`` (the group itself for a
    ``self`` rule) and from the CIDR blocks and prefix lists in ``peer_ranges``."""

    group: Value = None
    protocol: Value = None
    from_port: Value = None
    to_port: Value = None
    peer_groups: tuple[Value, ...] = ()
    peer_ranges: tuple[Value, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class EndpointService(Resource):
    """A VPC endpoint service (PrivateLink) on Network Load Balancers. A VPC link v1 is one as well, made by
    API Gateway: an NLB can back only one of them."""

    load_balancers: tuple[Value, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Listener(Resource):
    """A load balancer's listener: its protocol decides where API Gateway's TLS session ends."""

    load_balancer: Value = None
    protocol: Value = None
    port: Value = None
    certificates: tuple[Value, ...] = ()  # the default certificate (first) as written on the listener
    ssl_policy: Value = None
    target_groups: tuple[Value, ...] = ()  # forward actions, weighted ForwardConfig included


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ListenerCertificate(Resource):
    """Extra certificates for a listener's SNI list."""

    listener: Value = None
    certificates: tuple[Value, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class TargetGroup(Resource):
    """A target group a listener forwards to."""

    protocol: Value = None
    port: Value = None
    target_type: Value = "instance"
    health_check_protocol: Value = None


class TargetKind(enum.Enum):
    INSTANCE = "EC2 instance"
    AUTO_SCALING_GROUP = "Auto Scaling group"
    ECS_SERVICE = "ECS service"


class EvidenceKind(enum.Enum):
    """What a backend's script shows of the TLS it serves: which rule judges it."""

    SELF_MADE = "a certificate of its own making"  # E9501: API Gateway rejects it
    TLS13_ONLY = "a server that accepts only TLS 1.3"  # E9508: the TLS 1.2 handshake fails whatever the certificate


@dataclass(frozen=True, slots=True)
class TlsSign:
    """One command, directive or resource that shows how a backend serves TLS, wherever it is written: ``what``
    names it as the user wrote it; a TLS-1.3-only directive also carries its ``server`` and the setting that
    would accept TLS 1.2 as well, in that server's words, so a fix quotes the user's own configuration."""

    kind: EvidenceKind
    what: str
    server: str | None = None  # TLS13_ONLY: the server so configured ("nginx")
    accepts_tls12: str | None = None  # TLS13_ONLY: the same setting that accepts TLS 1.2 too


@dataclass(frozen=True, slots=True)
class TlsEvidence:
    """Proof, from a boot script or container command, of how a backend serves TLS, at the line that shows it."""

    sign: TlsSign
    loc: Location


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Target(Resource):
    """What a target group sends traffic to, with what its boot script or container shows of the TLS it
    serves (a certificate of its own making, a TLS-1.3-only server)."""

    kind: TargetKind
    tls_evidence: TlsEvidence | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class DnsRecord(Resource):
    """A Route 53 record a host name resolves through (A, AAAA or CNAME: ``AWS::Route53::RecordSet``, an entry
    of a ``RecordSetGroup``, ``aws_route53_record``): the full name it answers for and what it points at."""

    domain_name: Value = None  # the full name: CloudFormation's Name, Terraform's fqdn
    record_name: Value = None  # the name as written (Terraform's name, which may leave the zone out)
    targets: tuple[Value, ...] = ()  # an alias target's DNS name, else the record's values
    private_zone: bool = False  # in a private hosted zone, which public DNS never answers from


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ElasticIp(Resource):
    """An Elastic IP address (``AWS::EC2::EIP``, ``aws_eip``): a public address of the instance it names, or
    of the instance an association gives it."""

    instance: Value = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class AddressAssociation(Resource):
    """An Elastic IP association (``AWS::EC2::EIPAssociation``, ``aws_eip_association``)."""

    address: Value = None  # the Elastic IP: its address or its allocation id
    instance: Value = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class TargetAttachment(Resource):
    """One registration of a target with a target group, whichever side declares it
    (``TargetGroup.Targets``, ``TargetGroupARNs`` of an Auto Scaling group, an ECS service's load balancers,
    ``aws_lb_target_group_attachment``)."""

    target_group: Value = None
    target: Value = None


def registrations(target: Target, entries: Value, field_name: str, at: Callable[[str, int], Location],
                  target_group_of: Callable[[Value], Value]) -> Iterator[TargetAttachment]:
    """One attachment per entry of a target's own list of target groups (an Auto Scaling group's
    ``TargetGroupARNs``, an ECS service's load balancers), located at the entry -- the same in every front end."""
    for index, entry in enumerate(as_items(entries)):
        yield TargetAttachment(key=f"{target.key}/{field_name}/{index}", name=target.name, loc=at(field_name, index),
                               condition=target.condition, suppressions=target.suppressions,
                               target_group=target_group_of(entry), target=Reference(target.key, "id"))


class Trust(enum.Enum):
    """Whether API Gateway's trust store accepts the certificate's issuer."""

    PUBLIC = "publicly trusted"  # reaches a certificate of API Gateway's list (or of --trust-store)
    MOZILLA_ONLY = "trusted by Mozilla's CA bundle only"  # not on API Gateway's list: it may be rejected
    PRIVATE_CA = "issued by a private CA"
    SELF_SIGNED = "self-signed"


class ChainStatus(enum.Enum):
    COMPLETE = "complete"
    MISSING = "missing"  # issued by a CA but no chain given
    BROKEN = "broken"  # the chain given does not link leaf -> intermediates
    NO_ROOT = "does not end at a root"


@dataclass(frozen=True, slots=True)
class Intermediate:
    """A certificate between the server certificate and the trusted one, with the validity window Java's path
    validation checks at the moment of the handshake (E9504 names it)."""

    name: str
    not_before: dt.datetime
    not_after: dt.datetime


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What is known about a certificate, wherever it was learned (template, PEM, ACM).

    Every field may be :class:`Unknown`; rules only judge what is known.
    """

    trust: Trust | Unknown
    names: tuple[object, ...] | Unknown  # DNS names it covers (SANs, else CN): names as linter.names reads them
    not_before: dt.datetime | None | Unknown = None
    not_after: dt.datetime | None | Unknown = None
    renews: bool = False  # ACM-issued/private certificates renew; imported and IAM ones do not
    key: str | Unknown | None = None  # "RSA-2048", "EC-P256"
    chain: ChainStatus | None = None  # None: not applicable (self-signed, ACM-managed) or not known
    root_can_sign: bool | None = None  # the root given has CA:TRUE and keyCertSign
    issuer: str | None = None
    validity_hours: int | None = None  # tls_* resources: validity_period_hours
    anchor: str | None = None  # the trusted certificate the chain reaches (PUBLIC, MOZILLA_ONLY)
    weak_signatures: tuple[str, ...] = ()  # certificates below that anchor signed with SHA-1 or MD5
    intermediates: tuple[Intermediate, ...] = ()  # the certificates between the leaf and that anchor
    chain_flaws: tuple[str, ...] = ()  # what PKIX path validation refuses in them: not a CA, path length ...
    extended_key_usage: tuple[str, ...] | None = None  # the leaf's EKU purposes; None: no EKU extension

    def untold(self) -> tuple[str, Unknown] | None:
        """The first fact API Gateway's verdict depends on that cannot be told (trust, then names) and the field
        it is, unless the chain already explains it (E9505 speaks for a missing or broken chain)."""
        if self.chain in (ChainStatus.MISSING, ChainStatus.BROKEN, ChainStatus.NO_ROOT):
            return None
        return next(((name, fact) for name, fact in (("trust", self.trust), ("names", self.names))
                     if isinstance(fact, Unknown)), None)


class CertificateSource(enum.Enum):
    ACM_ISSUED = "ACM-issued certificate"
    ACM_PRIVATE = "ACM private-CA certificate"
    ACM_IMPORTED = "imported ACM certificate"
    IAM = "IAM server certificate"
    TLS_SELF_SIGNED = "tls_self_signed_cert"
    TLS_LOCALLY_SIGNED = "tls_locally_signed_cert"
    ARN = "certificate known by ARN"
    SEEN = "certificate a server presented (--probe)"
    PEM_FILE = "certificate in a PEM file (--check-certificate)"
    UNRESOLVED = "certificate the files do not determine"


@dataclass(frozen=True, slots=True)
class Issuance:
    """How a public certificate requested from ACM gets issued, as far as the files say: the validation method,
    whether deploying waits for issuance before anything uses the certificate (CloudFormation always does; in
    Terraform only an ``aws_acm_certificate_validation`` does), and the private hosted zone its DNS validation
    records are written to, if they are -- where ACM, which looks them up in public DNS, never finds them."""

    method: str | None  # "DNS" | "EMAIL"; None when the files do not say
    awaited: bool | None  # whether something waits for issuance at all; None when the files do not tell
    private_zone: str | None = None  # that zone's name
    private_zone_at: Location | None = None  # where the records (or the validation option) name it
    validation_address: str | None = None  # what waits for issuance, as its module names it (in depends_on)
    validation_instance: str | None = None  # the instance whose certificate_arn to read (...validation.api[0])
    unordered: frozenset[str] = frozenset()  # keys of listeners using it that the files create without waiting

    def __post_init__(self) -> None:
        """A listener is unordered only with respect to a validation: the fix names it, so it must be there."""
        if self.unordered and (self.validation_address is None or self.validation_instance is None):
            raise ValueError("unordered listeners of a certificate without a validation")


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Certificate(Resource):
    """A certificate API Gateway may be shown -- ACM, IAM, Terraform-made, known only by ARN, read by ``--probe``
    or from a PEM file -- and what is known about it (``source``, ``facts``)."""

    source: CertificateSource
    facts: CertificateFacts
    arn: str | None = None  # the literal ARN, when that is all the files say
    issuance: Issuance | None = None  # a public certificate requested from ACM


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class UnreadableDefinition(Resource):
    """An API whose definition (and so whose integrations) the files do not contain: an S3 body, a file
    outside the scanned tree -- or a Terraform module named alone whose caller gives its values. Reported so a
    missing integration is never mistaken for a clean one."""

    field_name: str
    unknown: Unknown


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class InlinePrivateKey(Resource):
    """Private key material written into a template (a finding on its own, with or without a path)."""

    field_name: str


R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class Shared:
    """A load balancer or security group whose identity the files hand to configurations not scanned (a
    CloudFormation export no scanned template imports, an SSM parameter): they may attach listeners or inbound
    rules to it, so what the scanned files do not show of it may still exist."""

    how: str  # "exported as 'shared-nlb-arn' (a.yaml:37)"
    users: str  # who may add to it: "the stacks that import 'shared-nlb-arn'"


def unread_files(unread: list[Location], what: str = "it") -> Unknown:
    """Why something the files do not show may still exist: files of the same module or template set did not
    parse (each already an input error), and whatever they declare was never read."""
    places = ", ".join(map(str, unread))
    return Unknown(f"{'a file' if len(unread) == 1 else 'files'} of the same configuration did not parse ({places}) "
                   f"and may declare {what}", f"fix the syntax error{'s' if len(unread) > 1 else ''} at {places} and "
                   "run tlspath again")


@dataclass(eq=False)
class Model:
    """Everything one front end read from one source (a template, a Terraform root module, a plan)."""

    source: str
    resources: dict[str, Resource] = field(default_factory=dict)
    conditions: dict[str, Formula] = field(default_factory=dict)  # undecided condition name -> what it is
    suppressions: list[Suppression] = field(default_factory=list)  # every one written in the files read
    secrets: set[str] = field(default_factory=set)  # texts of sensitive values: judged, never shown (linter.sensitive)
    # resources the files declare that tlspath does not follow, key -> type as written (AWS::ServiceDiscovery::Service,
    # aws_service_discovery_service; a Terraform key without instance index): a reference to one is no missing file
    unfollowed: dict[str, str] = field(default_factory=dict)
    # files of what the model was built from that did not parse (where each failed): what they declare is
    # missing from the model, so it supports no claim that something is absent (:func:`unread_files`)
    unread: list[Location] = field(default_factory=list)
    shared: dict[str, Shared] = field(default_factory=dict)  # resource key -> how other configurations may add to it

    def add(self, resource: Resource) -> None:
        self.resources[resource.key] = resource

    def unfollow(self, key: str, kind: str) -> None:
        """Record a resource tlspath does not follow. The model lives until the run ends, so its type is kept as
        one string shared by every resource of that type: a template of 50,000 topics kept 50,000 copies of
        ``AWS::SNS::Topic`` (5 MB) through the files read after it."""
        self.unfollowed[key] = sys.intern(str(kind))

    def of_type(self, cls: type[R]) -> Iterator[R]:
        return (r for r in self.resources.values() if isinstance(r, cls))
