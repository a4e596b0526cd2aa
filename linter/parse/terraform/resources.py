"""Terraform resources to the neutral model, whether they were read from HCL or from plan JSON.

A builder sees one resource instance through a :class:`View` -- its arguments as model values, where each
was written, its API body as a document, the certificate-generating commands in its scripts -- and a
:class:`Lookup` for the resources it names (a launch template, a ``tls_private_key``). Both front ends
(``modules.py`` for HCL, ``plan.py`` for plan JSON) provide views, so the mapping is written once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, Protocol

from linter.conditions import branch_over, concat
from linter.evidence import find_evidence, offset_of, script_text
from linter.parse.ecs import load_balanced_container
from linter.model import (
    AddressAssociation, Certificate, CertificateFacts, CertificateSource, Choice, DnsRecord, ElasticIp, EndpointService,
    EvidenceKind, HttpApiIntegration, InboundRule,
    Interpolated, Issuance, Listener, ListenerCertificate, LoadBalancer, Location, Placement, Reference, Resource,
    RestIntegration, SecurityGroup, Stage, Suppression,
    Target, TargetAttachment, TargetGroup, TargetKind, TlsEvidence, TlsSign, Trust, Unknown,
    UNKNOWN_PART, UnreadableDefinition, VpcLink, WebSocketIntegration, as_items, first_unknown, known_bool, known_int, known_str,
    registrations,
    route_words,
)
from linter.names import as_name, ends_with, written_names
from linter.parse.openapi import ApiKind, definition_not_scanned, definition_unparsed, quick_create, read_integrations, undeclared_api_kind
from linter.parse.terraform.embedded import Unparsed
from linter.parse.terraform.values import Encoded, Located, index_text
from linter.spelling import Spelling, Syntax

Path = tuple[Any, ...]


class View(Protocol):
    """One resource instance as a builder reads it."""

    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...  # the Terraform address
    @property
    def type(self) -> str: ...
    @property
    def label(self) -> str: ...  # its block's name label: what its module writes after the type
    @property
    def index(self) -> Any: ...  # its count.index or each.key; None when the block makes one instance
    @property
    def loc(self) -> Location: ...
    @property
    def condition(self) -> str | None: ...
    @property
    def suppressions(self) -> tuple[Suppression, ...]: ...  # tlspath:ignore comments on its block

    def get(self, *path: Any) -> Any:
        """A (nested) argument as a model value; ``None`` when not written. Blocks are lists of dicts."""

    def at(self, *path: Any) -> Location:
        """Where a (nested) argument was written, else the closest enclosing place."""

    def document(self, name: str) -> Any:
        """A JSON/YAML document argument (an API ``body``) decoded, ``None``, :class:`Unknown`, or
        :class:`Unparsed` (text from a file that does not parse: an input error already)."""

    def script(self, name: str, part: Callable[[Any], Any] | None = None) -> TlsEvidence | None:
        """What a script argument (user data, container definitions) shows of the TLS its backend serves --
        only in ``part`` of its evaluated value when given (one container's commands), and then located where
        that part is written."""

    def placement(self) -> Placement:
        """The region and account the instance is created in: its own ``region`` argument's region (see
        :func:`in_region`), else its provider configuration's."""


class Lookup(Protocol):
    def view(self, value: Any) -> View | None:
        """The resource instance a reference names."""

    def named(self, kind: str, name: Any) -> View | None:
        """The resource of a type whose ``name`` argument is the given literal."""

    def of_type(self, kind: str) -> Sequence[View] | Unknown:
        """Every instance of a resource type; unknown when some block of that type has instances nobody can
        tell."""

    def written_from(self, kind: str, view: View) -> Sequence[View]:
        """The resources of a type, in the module of ``view``, whose arguments read ``view``'s attributes (the
        DNS records written from a certificate's ``domain_validation_options``) -- one stand-in, whose
        per-instance arguments are unknown, for a block whose instances nobody can tell."""

    def source_of(self, view: View, argument: str) -> View | None:
        """The resource or data source an argument of ``view`` reads (``zone_id =
        data.aws_route53_zone.main.zone_id``), when it names exactly one."""

    def waits_for(self, view: View, others: Sequence[View]) -> bool | None:
        """Whether terraform creates ``view`` only once one of ``others`` exists: it orders a resource after
        everything its arguments and ``depends_on`` read (through locals, module variables and outputs, and the
        ``depends_on`` of the module calls it is in), and after what those wait for. ``None`` when that cannot
        be told (a module tlspath cannot read is on the way)."""


REGION_ARGUMENT = "its region argument"


def in_region(provider: Placement, region: Any, where: Location) -> Placement:
    """Where an AWS resource is created when its top-level ``region`` argument is written (``None`` when not):
    AWS provider v6 ("Enhanced Region Support") takes that region over its provider configuration's, in the
    provider's account. A ``region`` read from a variable nobody gives is unknown, and then so is the region."""
    if region is None:
        return provider
    return Placement(known_str(region), provider.account, REGION_ARGUMENT, where)


def common(view: View, **fields: Path) -> dict:
    """The fields every resource has; ``fields`` maps model fields to the arguments they are read from (an
    integer steps into a block), which also says how the user spells them; ``placement`` is where the
    ``region`` argument, else the ``provider`` meta-argument, is written."""
    spans = {name: view.at(*path) for name, path in fields.items() if view.get(*path) is not None}
    placement = view.placement()
    placed_by = "region" if placement.stated_by == REGION_ARGUMENT else "provider"
    if view.at(placed_by) != view.loc:
        spans["placement"] = view.at(placed_by)
    if placed_by == "region":  # then also how the user moves it: a fix sets its region, not a provider
        spans["region"] = view.at("region")
        fields = {"region": ("region",), **fields}
    fields = {"placement": (placed_by,), **fields}
    syntax = Syntax.JSON if view.loc.file.endswith((".tf.json", ".tofu.json")) else Syntax.HCL  # JSON syntax or CDK for Terraform
    return dict(key=view.key, name=view.name, loc=view.loc, spans=spans, condition=view.condition,
                spelling=Spelling(syntax, fields), placement=placement, suppressions=view.suppressions)


def value_evidence(value: Any, loc: Location, depth: int = 0) -> TlsEvidence | None:
    """Self-signed certificate generation inside an evaluated script: a command in its text, or a
    ``tls_self_signed_cert``/``tls_locally_signed_cert`` it is handed (``${tls_self_signed_cert.x.cert_pem}``)."""
    if depth > 50:
        return None
    if isinstance(value, str):
        found = find_evidence(value)
        return TlsEvidence(found[0], loc) if found else None
    if isinstance(value, Reference):
        return tls_evidence(value, loc)
    if isinstance(value, Interpolated):
        return value_evidence(script_text(value), loc) or next(
            (e for e in (value_evidence(p, loc) for p in value.parts if isinstance(p, Reference)) if e), None)
    if isinstance(value, Encoded):
        return value_evidence(value.value, loc, depth + 1)
    if isinstance(value, Choice):  # only what every branch shows is evidence
        when_true = value_evidence(value.if_true, loc, depth + 1)
        return when_true if when_true and value_evidence(value.if_false, loc, depth + 1) else None
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((e for e in (value_evidence(v, loc, depth + 1) for v in children) if e), None)


_TLS_CERTIFICATES = {"tls_self_signed_cert": "a self-signed certificate",
                     "tls_locally_signed_cert": "a certificate signed by a CA of your own"}


def tls_evidence(reference: Reference, loc: Location) -> TlsEvidence | None:
    address = reference.key.split("#", 1)[-1]
    for kind, what in _TLS_CERTIFICATES.items():
        if f".{kind}." in f".{address}" and reference.attribute == "cert_pem":
            return TlsEvidence(TlsSign(EvidenceKind.SELF_MADE, f"{address}.cert_pem ({what})"), loc)
    return None


# ------------------------------------------------------------------------------------ API Gateway


def _rest_integration(view: View, lookup: Lookup) -> Iterator[Resource]:
    fields = {"integration_type": ("type",), "connection_type": ("connection_type",),
              "connection_id": ("connection_id",), "uri": ("uri",), "integration_target": ("integration_target",),
              "skip_verification": ("tls_config", 0, "insecure_skip_verification")}
    route = route_words(known_str(view.get("http_method")), _resource_path(lookup, view.get("resource_id")))
    yield RestIntegration(**common(view, **fields), route=route, api=view.get("rest_api_id"), **{name: view.get(*path) for name, path in fields.items()})


def _resource_path(lookup: Lookup, resource_id: Any, depth: int = 0) -> str:
    """``/orders/{id}`` from a chain of ``aws_api_gateway_resource`` parents, for people reading findings."""
    resource = lookup.view(resource_id)
    if resource is None or resource.type != "aws_api_gateway_resource" or depth > 50:
        return "/"
    part = known_str(resource.get("path_part")) or UNKNOWN_PART
    return _resource_path(lookup, resource.get("parent_id"), depth + 1).rstrip("/") + "/" + part


def _api_body(view: View, lookup: Lookup) -> Iterator[Resource]:
    kind: ApiKind = "http" if view.type == "aws_apigatewayv2_api" else "rest"
    if kind == "http" and view.get("target") is not None:
        yield from quick_create(common(view, integration_uri=("target",)), view.get("target"), view.get("route_key"),
                                view.get("protocol_type"))
    body = view.document("body")
    if isinstance(body, dict):
        fallback = view.at("body")

        def locate(node: object, key: str) -> Location:
            return node.location(key) if isinstance(node, Located) and node.file else fallback

        yield from read_integrations(body, api=view.name, key=view.key, kind=kind, locate=locate, owner=common(view),
                                     syntax=Syntax.HCL)
    elif isinstance(body, Unparsed):  # said whatever the module mentions: what the body holds is not known
        yield UnreadableDefinition(**common(view, body=("body",)), field_name="body",
                                   unknown=definition_unparsed("body", body.failed))
    elif isinstance(body, Unknown):  # whatever the module mentions: a private integration may be in it
        yield UnreadableDefinition(**common(view, body=("body",)), field_name="body", unknown=definition_not_scanned(
            "body", body.supply or "write the OpenAPI body in the scanned files", body))


def _http_integration(view: View, lookup: Lookup) -> Iterator[Resource]:
    api = lookup.view(view.get("api_id"))
    protocol = known_str(api.get("protocol_type")) if api is not None and api.type == "aws_apigatewayv2_api" else None
    if (protocol or "").upper() == "WEBSOCKET":  # judged like REST (WebSocketIntegration)
        websocket = {"integration_type": ("integration_type",), "connection_type": ("connection_type",),
                     "connection_id": ("connection_id",), "uri": ("integration_uri",)}
        yield WebSocketIntegration(**common(view, **websocket), route="", api=view.get("api_id"),
                                   **{name: view.get(*path) for name, path in websocket.items()})
        return
    fields = {"integration_type": ("integration_type",), "connection_type": ("connection_type",),
              "connection_id": ("connection_id",), "integration_uri": ("integration_uri",),
              "server_name_to_verify": ("tls_config", 0, "server_name_to_verify")}
    tls = view.get("tls_config")
    yield HttpApiIntegration(**common(view, **fields, tls_config=("tls_config",)),
                             tls_config=isinstance(tls, list) and bool(tls),
                             api_kind=undeclared_api_kind(view.get("integration_uri"), "integration_uri", "api_id", "protocol_type")
                             if api is None else None, api=view.get("api_id"),
                             **{name: view.get(*path) for name, path in fields.items()})


def _stage(view: View, lookup: Lookup) -> Iterator[Resource]:
    variables = "variables" if view.type == "aws_api_gateway_stage" else "stage_variables"
    yield Stage(**common(view, variables=(variables,)), api=view.get("rest_api_id") or view.get("api_id"),
                stage_name=view.get("stage_name") or view.get("name"), variables=view.get(variables))


def _vpc_link_v1(view: View, lookup: Lookup) -> Iterator[Resource]:
    targets = view.get("target_arns")
    if isinstance(targets, list):
        known: tuple | Unknown = tuple(targets)
    else:
        known = targets if isinstance(targets, Unknown) else Unknown(
            "target_arns is only known at deploy time", "reference the load balancer (aws_lb.NAME.arn) in target_arns")
    yield VpcLink(**common(view, targets=("target_arns",)), version=1, targets=known)


def _vpc_link_v2(view: View, lookup: Lookup) -> Iterator[Resource]:
    yield VpcLink(**common(view, security_groups=("security_group_ids",)), version=2,
                  security_groups=view.get("security_group_ids"))


# ---------------------------------------------------------------------------------- load balancing


_SCHEMES = {"internal": True, "internet-facing": False}  # the model's scheme as Terraform's internal argument


def _load_balancer(view: View, lookup: Lookup) -> Iterator[Resource]:
    lb_type = view.get("load_balancer_type")
    fields = {"security_groups": ("security_groups",),
              "private_link_inbound": ("enforce_security_group_inbound_rules_on_private_link_traffic",)}
    spelled = common(view, lb_type=("load_balancer_type",), scheme=("internal",), **fields)
    spelled["spelling"] = replace(spelled["spelling"], values={"scheme": _SCHEMES})
    yield LoadBalancer(**spelled, lb_type="application" if lb_type is None else lb_type,
                       scheme=branch_over([view.get("internal")], lambda internal: _scheme(internal[0])),
                       **{name: view.get(*path) for name, path in fields.items()})


def _scheme(internal: Any) -> Any:
    """``internal`` as ELBv2's scheme: internet-facing when not written; a value the files do not give stays
    what it is."""
    if internal is None:
        return "internet-facing"
    truth = known_bool(internal)
    return internal if truth is None else "internal" if truth else "internet-facing"


# ---------------------------------------------------------------------------------- security groups

_PEERS = {  # resource type -> (argument of the group, arguments naming peer groups, arguments naming address ranges)
    "aws_security_group": ("", ("security_groups",), ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids")),
    "aws_security_group_rule": ("security_group_id", ("source_security_group_id",),
                                ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids")),
    "aws_vpc_security_group_ingress_rule": ("security_group_id", ("referenced_security_group_id",),
                                            ("cidr_ipv4", "cidr_ipv6", "prefix_list_id")),
}


def _security_group(view: View, lookup: Lookup) -> Iterator[Resource]:
    yield SecurityGroup(**common(view, inbound=("ingress",)))
    for index in range(len(as_items(view.get("ingress")))):
        yield _inbound_rule(view, Reference(view.key, "id"), ("ingress", index),
                            key=f"{view.key}/ingress/{index}", loc=view.at("ingress", index))


def _security_group_rule(view: View, lookup: Lookup) -> Iterator[Resource]:
    if known_str(view.get("type")) != "egress":  # an aws_security_group_rule of a type nobody knows may admit
        yield _inbound_rule(view, view.get(_PEERS[view.type][0]), ())


def _inbound_rule(view: View, group: Any, at: Path, **where: Any) -> InboundRule:
    """An inbound rule written as a block of a security group (``at`` that block) or as a resource of its own;
    ``self = true`` admits the group itself."""
    _, group_peers, range_peers = _PEERS[view.type]
    protocol = "ip_protocol" if view.type == "aws_vpc_security_group_ingress_rule" else "protocol"
    fields = {"protocol": (*at, protocol), "from_port": (*at, "from_port"), "to_port": (*at, "to_port")}
    peer_groups = [p for name in group_peers for p in as_items(view.get(*at, name))]
    own = view.get(*at, "self")
    if own is not None and known_bool(own) is not False:
        peer_groups.append(group if known_bool(own) else Unknown("whether the rule admits its own group is unknown"))
    return InboundRule(**{**common(view, **fields), **where}, group=group,
                       **{name: view.get(*path) for name, path in fields.items()}, peer_groups=tuple(peer_groups),
                       peer_ranges=tuple(p for name in range_peers for p in as_items(view.get(*at, name))))


def _endpoint_service(view: View, lookup: Lookup) -> Iterator[Resource]:
    yield EndpointService(**common(view, load_balancers=("network_load_balancer_arns",)),
                          load_balancers=tuple(as_items(view.get("network_load_balancer_arns"))))


def _listener(view: View, lookup: Lookup) -> Iterator[Resource]:
    certificate = view.get("certificate_arn")
    protocol = view.get("protocol")
    if protocol is None and _load_balancer_type(lookup, view.get("load_balancer_arn")) == "application":
        protocol = "HTTP"  # the ALB default; an NLB has none
    yield Listener(**common(view, load_balancer=("load_balancer_arn",), protocol=("protocol",), port=("port",),
                            ssl_policy=("ssl_policy",), certificates=("certificate_arn",),
                            target_groups=("default_action",)),
                   load_balancer=view.get("load_balancer_arn"), protocol=protocol, port=view.get("port"),
                   ssl_policy=view.get("ssl_policy"), certificates=() if certificate is None else (certificate,),
                   target_groups=tuple(_forward_targets(view.get("default_action"))))


def _load_balancer_type(lookup: Lookup, reference: Any) -> str | None:
    balancer = lookup.view(reference)
    if balancer is None or balancer.type not in ("aws_lb", "aws_alb"):
        return None
    return known_str(balancer.get("load_balancer_type")) or "application"


def _forward_targets(actions: Any) -> Iterator[Any]:
    """Target groups of forward actions: ``target_group_arn`` and weighted ``forward { target_group {} }``."""
    for action in as_items(actions):
        if not isinstance(action, dict):
            yield action
            continue
        if action.get("target_group_arn") is not None:
            yield action["target_group_arn"]
        for forward in as_items(action.get("forward")):
            for group in as_items(forward.get("target_group") if isinstance(forward, dict) else forward):
                yield group.get("arn") if isinstance(group, dict) else group


def _listener_certificate(view: View, lookup: Lookup) -> Iterator[Resource]:
    certificate = view.get("certificate_arn")
    yield ListenerCertificate(**common(view, listener=("listener_arn",), certificates=("certificate_arn",)),
                              listener=view.get("listener_arn"),
                              certificates=() if certificate is None else (certificate,))


def _target_group(view: View, lookup: Lookup) -> Iterator[Resource]:
    fields = {"protocol": ("protocol",), "port": ("port",), "target_type": ("target_type",),
              "health_check_protocol": ("health_check", 0, "protocol")}
    values = {name: view.get(*path) for name, path in fields.items()}
    values["target_type"] = values["target_type"] or "instance"
    yield TargetGroup(**common(view, **fields), **values)


def _target_group_attachment(view: View, lookup: Lookup) -> Iterator[Resource]:
    yield TargetAttachment(**common(view, target_group=("target_group_arn",), target=("target_id",)),
                           target_group=view.get("target_group_arn"), target=view.get("target_id"))


def _autoscaling_attachment(view: View, lookup: Lookup) -> Iterator[Resource]:
    group_name = view.get("autoscaling_group_name")
    named = lookup.named("aws_autoscaling_group", group_name) if isinstance(group_name, str) else None
    target_group = view.get("lb_target_group_arn")
    yield TargetAttachment(**common(view, target_group=("lb_target_group_arn",), target=("autoscaling_group_name",)),
                           target_group=target_group,
                           target=Reference(named.key, "id") if named is not None else group_name)


# ------------------------------------------------------------------------------------------- targets


def _instance(view: View, lookup: Lookup) -> Iterator[Resource]:
    evidence = view.script("user_data") or view.script("user_data_base64")
    evidence = evidence or _launch_template_evidence(lookup, view.get("launch_template", 0), "id", "name")
    yield Target(**common(view), kind=TargetKind.INSTANCE, tls_evidence=evidence)


def _elastic_ip(view: View, lookup: Lookup) -> Iterator[Resource]:
    yield ElasticIp(**common(view, instance=("instance",)), instance=view.get("instance"))


def _address_association(view: View, lookup: Lookup) -> Iterator[Resource]:
    field = "allocation_id" if view.get("allocation_id") is not None else "public_ip"
    yield AddressAssociation(**common(view, address=(field,), instance=("instance_id",)), address=view.get(field),
                             instance=view.get("instance_id"))


# ------------------------------------------------------------------------------------------ Route 53

_RESOLVING = ("A", "AAAA", "CNAME")  # record types a host name resolves through


def _record(view: View, lookup: Lookup) -> Iterator[Resource]:
    """A record a host name can resolve through: its full name, what it points at (an alias's name, else its
    records) and whether its zone is private."""
    kind = known_str(view.get("type"))
    if kind is not None and kind.upper() not in _RESOLVING:
        return
    alias = view.get("alias", 0, "name")
    targets = (alias,) if alias is not None else tuple(as_items(view.get("records")))
    zone = lookup.view(view.get("zone_id"))
    yield DnsRecord(**common(view, domain_name=("name",), targets=("alias",) if alias is not None else ("records",)),
                    domain_name=_full_name(view, zone), record_name=view.get("name"), targets=targets,
                    private_zone=zone is not None and bool(as_items(zone.get("vpc"))))


def _full_name(view: View, zone: View | None) -> Any:
    """``fqdn`` as the provider computes it: the name, with the zone's name appended unless it already ends
    with it -- decided as written where the zone's name is a variable (``api.${var.domain}`` in the zone
    ``var.domain``, or ``api`` in any zone)."""
    zone_name = zone.get("name") if zone is not None else Unknown(
        f"the hosted zone of {view.name} is not managed in the scanned files, so the record's full name is not known",
        "manage the zone in the scanned files, or write the record's full name as the host")

    def qualify(values: list[Any]) -> Any:
        written, suffix = values
        name, zone_name = as_name(written), as_name(suffix)
        if name is None or zone_name is None:
            return Unknown(f"the name of {view.name} or of its zone is not set", "set the record's name and zone")
        if name == "":
            return suffix
        under = ends_with(name, zone_name)
        if under is None and isinstance(written, str) and "." not in written.rstrip("."):
            under = False  # a single label is relative: a zone's name is a domain, which has more than one
        if under is None:
            return first_unknown(suffix) or Unknown(
                f"the full name of {view.name} depends on whether its name ends with its zone's",
                "write the record's full name as its name")
        return written if under else concat([written, ".", suffix])

    return branch_over([view.get("name"), zone_name], qualify)


def _auto_scaling_group(view: View, lookup: Lookup) -> Iterator[Resource]:
    evidence = _launch_template_evidence(lookup, view.get("launch_template", 0), "id", "name")
    specification = view.get("mixed_instances_policy", 0, "launch_template", 0, "launch_template_specification", 0)
    evidence = evidence or _launch_template_evidence(lookup, specification, "launch_template_id", "launch_template_name")
    configuration = view.get("launch_configuration")
    launch_configuration = lookup.view(configuration) or lookup.named("aws_launch_configuration", configuration)
    if evidence is None and launch_configuration is not None:
        evidence = launch_configuration.script("user_data") or launch_configuration.script("user_data_base64")
    target = Target(**common(view), kind=TargetKind.AUTO_SCALING_GROUP, tls_evidence=evidence)
    yield target
    yield from registrations(target, view.get("target_group_arns"), "target_group_arns", view.at, lambda arn: arn)


def _launch_template_evidence(lookup: Lookup, specification: Any, id_field: str, name_field: str) -> TlsEvidence | None:
    if not isinstance(specification, dict):
        return None
    template = lookup.view(specification.get(id_field)) or lookup.view(specification.get(name_field)) or lookup.named(
        "aws_launch_template", specification.get(name_field))
    return None if template is None else template.script("user_data")


def _ecs_service(view: View, lookup: Lookup) -> Iterator[Resource]:
    """An ECS service: its evidence is what the container its load balancers send traffic to shows (found in
    the task's container_definitions where it is written), never a sidecar's."""
    task = lookup.view(view.get("task_definition"))
    containers = _decoded(task.get("container_definitions")) if task is not None else None
    served = load_balanced_container(containers, view.get("load_balancer"), "name", "container_name")
    evidence = None if task is None or served is None else task.script(
        "container_definitions", lambda definitions: _commands(_decoded(definitions), served))
    target = Target(**common(view), kind=TargetKind.ECS_SERVICE, tls_evidence=evidence)
    yield target
    yield from registrations(target, view.get("load_balancer"), "load_balancer", view.at,
                             lambda entry: entry.get("target_group_arn") if isinstance(entry, dict) else entry)


def _commands(containers: Any, served: int) -> list[Any]:
    """What one container of the ECS API's container definitions runs: its ``entryPoint`` and ``command``."""
    container = containers[served] if isinstance(containers, list) and served < len(containers) else None
    return [] if not isinstance(container, dict) else [
        container[key] for key in ("entryPoint", "command") if container.get(key) is not None]


def part_offset(sign: TlsSign, written: str, part: Any) -> int | None:
    """Where ``sign`` shows in ``written`` (an argument as the file writes it) inside ``part`` of its value (one
    container's command): from the one place a string of the part that shows it is written word for word, else
    where the text shows it on one line only -- ``None`` when the text does not say which (the same words in
    two containers, one of them written with an interpolation)."""
    for text in _strings(part):
        if find_evidence(text) is not None and written.count(text) == 1:
            start = written.index(text)
            offset = offset_of(sign, written[start:start + len(text)])
            return None if offset is None else start + offset
    first = offset_of(sign, written)
    rest = (written.find("\n", first) + 1 or len(written)) if first is not None else 0
    return first if first is not None and offset_of(sign, written[rest:]) is None else None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _decoded(definitions: Any) -> Any:
    """Container definitions as a list: ``jsonencode([...])`` keeps it, plan JSON holds the encoded text."""
    if isinstance(definitions, Encoded):
        return definitions.value
    if isinstance(definitions, str):
        try:
            return json.loads(definitions)
        except ValueError:
            return None
    return definitions


# -------------------------------------------------------------------------------------- certificates


def _acm_certificate(view: View, lookup: Lookup) -> Iterator[Resource]:
    from linter.certs import requested_facts

    if view.get("certificate_body") is not None:
        yield _uploaded(view, lookup, CertificateSource.ACM_IMPORTED)
        return
    source, facts = requested_facts(view.get("certificate_authority_arn"),
                                    [view.get("domain_name"), *as_items(view.get("subject_alternative_names"))],
                                    view.get("key_algorithm"))
    yield Certificate(**common(view, trust=("certificate_authority_arn",), names=("domain_name",),
                               key=("key_algorithm",), issuance=("validation_method",)),
                      source=source, facts=facts, issuance=_issuance(view, lookup))


def _issuance(view: View, lookup: Lookup) -> Issuance | None:
    """A public certificate's issuance: DNS or EMAIL validation, awaited only by an
    ``aws_acm_certificate_validation`` that names it -- and then only by what terraform orders after it."""
    method = (known_str(view.get("validation_method")) or "").upper()
    if view.get("certificate_authority_arn") is not None or method not in ("DNS", "EMAIL"):
        return None
    zone = _private_validation_zone(view, lookup) if method == "DNS" else None
    validations = _validations(view, lookup)
    awaited = None if validations is None else bool(validations)
    if not validations:
        return Issuance(method, awaited, zone[0] if zone else None, zone[1] if zone else None)
    first = validations[0]
    address = f"{first.type}.{first.label}"
    return Issuance(method, awaited, zone[0] if zone else None, zone[1] if zone else None,
                    validation_address=address, validation_instance=address + index_text(first.index),
                    unordered=_unordered(view, validations, lookup))


def _validations(certificate: View, lookup: Lookup) -> list[View] | None:
    """The ``aws_acm_certificate_validation`` resources that name the certificate; ``None`` when that is not
    known (one names a certificate the files do not show, or its instances cannot be told)."""
    validations = lookup.of_type("aws_acm_certificate_validation")
    if isinstance(validations, Unknown):
        return None
    named = [(validation, validation.get("certificate_arn")) for validation in validations]
    found = [validation for validation, arn in named if isinstance(arn, Reference) and arn.key == certificate.key]
    return found if found or all(isinstance(arn, Reference) for _, arn in named) else None


def _unordered(certificate: View, validations: list[View], lookup: Lookup) -> frozenset[str]:
    """The listeners that take the certificate itself (``aws_acm_certificate.x.arn``, not the validation's
    ``certificate_arn``) and that terraform certainly does not order after any of its validations: it creates
    them while the certificate may still be pending. One whose ordering is unknown is not among them."""
    return frozenset(listener.key for listener in lookup.written_from("aws_lb_listener", certificate)
                     if lookup.waits_for(listener, validations) is False)


def _private_validation_zone(certificate: View, lookup: Lookup) -> tuple[str, Location] | None:
    """A private hosted zone (``vpc`` blocks, or a data source with ``private_zone = true``) that a DNS record
    written from the certificate's validation options goes to."""
    for record in lookup.written_from("aws_route53_record", certificate):
        zone = lookup.source_of(record, "zone_id")
        if zone is not None and zone.type == "aws_route53_zone" and (
                as_items(zone.get("vpc")) or known_bool(zone.get("private_zone")) is True):
            return known_str(zone.get("name")) or zone.name, record.at("zone_id")
    return None


def _iam_server_certificate(view: View, lookup: Lookup) -> Iterator[Resource]:
    yield _uploaded(view, lookup, CertificateSource.IAM)


def _uploaded(view: View, lookup: Lookup, source: CertificateSource) -> Certificate:
    """A certificate imported into ACM or uploaded to IAM: facts from its PEM text, or from the ``tls_*``
    resource whose ``cert_pem`` it is (then the expiry and key rules point at that resource's lines)."""
    from linter.certs import uploaded_facts

    body, chain = view.get("certificate_body"), view.get("certificate_chain")
    fields = common(view, trust=("certificate_body",), names=("certificate_body",), chain=("certificate_chain",))
    generated = lookup.view(body) if isinstance(body, Reference) and body.attribute == "cert_pem" else None
    if generated is not None and generated.type in _TLS_CERTIFICATES:
        fields["spans"].update(validity_hours=generated.at("validity_period_hours"), key=generated.at("private_key_pem"))
        return Certificate(**fields, source=source, facts=tls_facts(generated, lookup))
    facts = uploaded_facts(body, chain, "write the PEM in the scanned files or read it with file()")
    return Certificate(**fields, source=source, facts=facts)


def tls_facts(view: View, lookup: Lookup) -> CertificateFacts:
    """A ``tls_self_signed_cert`` (self-signed) or ``tls_locally_signed_cert`` (signed by a CA of your own):
    names from ``dns_names`` and the subject's common name (of the request, for a locally signed one)."""
    self_signed = view.type == "tls_self_signed_cert"
    subject = view if self_signed else lookup.view(view.get("cert_request_pem"))
    names: tuple[object, ...] | Unknown = Unknown(
        "the certificate request is not among the scanned resources", "scan the files that request the certificate")
    key = None
    if subject is not None:
        names = written_names([*as_items(subject.get("dns_names")), subject.get("subject", 0, "common_name")])
        key = _private_key_type(lookup.view(subject.get("private_key_pem")))
    return CertificateFacts(
        trust=Trust.SELF_SIGNED if self_signed else Trust.PRIVATE_CA, names=names, key=key,
        validity_hours=known_int(view.get("validity_period_hours")))


def _private_key_type(key: View | None) -> str | None:
    if key is None or key.type != "tls_private_key":
        return None
    algorithm = (known_str(key.get("algorithm")) or "").upper()
    if algorithm == "RSA":
        return f"RSA-{known_int(key.get('rsa_bits')) or 2048}"
    if algorithm == "ECDSA":
        return f"EC-{known_str(key.get('ecdsa_curve')) or 'P224'}"
    return algorithm or None


def _tls_certificate(view: View, lookup: Lookup) -> Iterator[Resource]:
    source = (CertificateSource.TLS_SELF_SIGNED if view.type == "tls_self_signed_cert"
              else CertificateSource.TLS_LOCALLY_SIGNED)
    yield Certificate(**common(view, names=("dns_names",), validity_hours=("validity_period_hours",)),
                      source=source, facts=tls_facts(view, lookup))


Builder = Callable[[View, Lookup], Iterator[Resource]]

BUILDERS: dict[str, Builder] = {
    "aws_api_gateway_integration": _rest_integration,
    "aws_api_gateway_rest_api": _api_body,
    "aws_apigatewayv2_api": _api_body,
    "aws_apigatewayv2_integration": _http_integration,
    "aws_api_gateway_stage": _stage,
    "aws_apigatewayv2_stage": _stage,
    "aws_api_gateway_vpc_link": _vpc_link_v1,
    "aws_apigatewayv2_vpc_link": _vpc_link_v2,
    "aws_lb": _load_balancer,
    "aws_alb": _load_balancer,
    "aws_vpc_endpoint_service": _endpoint_service,
    "aws_security_group": _security_group,
    "aws_security_group_rule": _security_group_rule,
    "aws_vpc_security_group_ingress_rule": _security_group_rule,
    "aws_lb_listener": _listener,
    "aws_alb_listener": _listener,
    "aws_lb_listener_certificate": _listener_certificate,
    "aws_alb_listener_certificate": _listener_certificate,
    "aws_lb_target_group": _target_group,
    "aws_alb_target_group": _target_group,
    "aws_lb_target_group_attachment": _target_group_attachment,
    "aws_alb_target_group_attachment": _target_group_attachment,
    "aws_autoscaling_attachment": _autoscaling_attachment,
    "aws_instance": _instance,
    "aws_eip": _elastic_ip,
    "aws_eip_association": _address_association,
    "aws_route53_record": _record,
    "aws_autoscaling_group": _auto_scaling_group,
    "aws_ecs_service": _ecs_service,
    "aws_acm_certificate": _acm_certificate,
    "aws_iam_server_certificate": _iam_server_certificate,
    "tls_self_signed_cert": _tls_certificate,
    "tls_locally_signed_cert": _tls_certificate,
}
