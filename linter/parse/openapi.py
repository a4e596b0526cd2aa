"""OpenAPI / Swagger bodies with ``x-amazon-apigateway-integration``: one reader for every front end.

In CloudFormation this is the *only* place ``tlsConfig.insecureSkipVerification`` can be set (the Method
resource has no such property, aws-tls-path.md §1.1 [S13][S15]), so bodies must be read, not skipped.
Swagger 2 and OpenAPI 3 put operations in the same place (``paths.<path>.<method>``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from linter.model import (
    HttpApiIntegration, Location, Reference, Resource, RestIntegration, Unknown, UnreadableDefinition, known_str,
)
from linter.spelling import Spelling, Syntax

Locate = Callable[[object, str], Location]
ApiKind = Literal["rest", "http"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "x-amazon-apigateway-any-method")
_EXTENSION = "x-amazon-apigateway-integration"
_FIELDS = {  # model field -> keys inside the operation's integration extension
    "integration_type": ("type",),
    "connection_type": ("connectionType",),
    "connection_id": ("connectionId",),
    "uri": ("uri",),
    "integration_uri": ("uri",),
    "integration_target": ("integrationTarget",),
    "tls_config": ("tlsConfig",),
    "skip_verification": ("tlsConfig", "insecureSkipVerification"),
    "server_name_to_verify": ("tlsConfig", "serverNameToVerify"),
}
_SPELLING = {name: (_EXTENSION, *keys) for name, keys in _FIELDS.items()}
_REF = "$ref"
_COMPONENTS = ("components", "x-amazon-apigateway-integrations")  # where an HTTP API's reusable integrations are


def _operations(body: object):
    paths = body.get("paths") if isinstance(body, dict) else None
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            if str(method).lower() in _METHODS and isinstance(operation, dict):
                verb = "ANY" if str(method).lower() == _METHODS[-1] else str(method).upper()
                yield f"{verb} {path}", operation


def read_integrations(body: object, *, api: str, key: str, kind: ApiKind,
                      locate: Locate, owner: dict, syntax: Syntax) -> list[Resource]:
    """Every integration of the body as REST or HTTP API integrations, each located at its own lines.

    ``body`` is the evaluated document (values may be references or unknowns); ``key`` prefixes the
    resource keys and ``api`` names the API for people; the integrations share the API resource's
    ``condition`` and ``suppressions`` rules (from ``owner``, the API's own common fields); ``syntax`` is how the
    user writes the body (YAML, JSON, or HCL inside ``jsonencode``).
    """
    found: list[Resource] = []
    for route, operation in _operations(body):
        written = operation.get(_EXTENSION)
        integration = _dereferenced(body, written, kind)
        if isinstance(integration, Unknown):  # the route has an integration, which cannot be seen: said, not dropped
            where = locate(operation, _EXTENSION)
            found.append(UnreadableDefinition(
                key=f"{key}#{route}", name=f"{api} {route}", loc=where, spans={_EXTENSION: where},
                condition=owner.get("condition"), suppressions=owner.get("suppressions", ()),
                field_name=_EXTENSION, unknown=integration))
            continue
        if not isinstance(integration, dict):
            continue
        tls = integration.get("tlsConfig")
        tls = tls if isinstance(tls, dict) else None
        spans = {name: _locate(integration, keys, locate) for name, keys in _FIELDS.items() if keys[0] in integration}
        common = dict(key=f"{key}#{route}", name=f"{api} {route}",
                      loc=locate(operation, _EXTENSION), spans=spans,
                      condition=owner.get("condition"), suppressions=owner.get("suppressions", ()),
                      spelling=Spelling(syntax, _SPELLING),
                      integration_type=integration.get("type"),
                      connection_type=integration.get("connectionType"),
                      connection_id=integration.get("connectionId"), api=Reference(key, "id"))
        if kind == "rest":
            found.append(RestIntegration(
                **common, route=route, uri=integration.get("uri"),
                integration_target=integration.get("integrationTarget"),
                skip_verification=None if tls is None else tls.get("insecureSkipVerification")))
        else:
            found.append(HttpApiIntegration(
                **common, integration_uri=integration.get("uri"), tls_config=tls is not None,
                server_name_to_verify=None if tls is None else tls.get("serverNameToVerify")))
    return found


def _dereferenced(body: object, integration: object, kind: ApiKind) -> object:
    """The integration an operation's extension stands for: itself, or -- an HTTP API's reusable integration,
    ``{$ref: "#/components/x-amazon-apigateway-integrations/NAME"}`` -- that component (followed through a chain
    of such references, each at most once). A reference that leads nowhere is an :class:`Unknown` saying why."""
    seen: dict[str, None] = {}  # the references followed, in order
    while isinstance(integration, dict) and _REF in integration:
        ref = integration[_REF]
        name = _component_name(ref)
        if name is None:
            return Unknown(f"its integration is $ref '{ref}', which is no #/{'/'.join(_COMPONENTS)}/NAME of this "
                           "definition; tlspath reads no other document",
                           f"define the integration under {'.'.join(_COMPONENTS)} of this definition and reference "
                           "it there, or write it in the route")
        if kind != "http":
            return Unknown(f"its integration is $ref '{ref}'; API Gateway documents reusable integrations "
                           f"({_COMPONENTS[1]}) for HTTP APIs only, so what this REST API's route gets is not known",
                           "write the integration in the route's x-amazon-apigateway-integration")
        if ref in seen:
            return Unknown(f"its integration is $ref '{next(iter(seen))}', which leads back to itself "
                           f"({' -> '.join([*seen, ref])})", "point the reference at an integration written out")
        seen[ref] = None
        components = _step(_step(body, _COMPONENTS[0]), _COMPONENTS[1])
        integration = _step(components, name)
        if not isinstance(integration, dict):
            names = ", ".join(map(str, list(components)[:10])) if isinstance(components, dict) else ""
            return Unknown(f"its integration is $ref '{ref}', which names no integration of the definition "
                           f"({'.'.join(_COMPONENTS)} {f'has: {names}' if names else 'is empty or absent'})",
                           f"define '{name}' under {'.'.join(_COMPONENTS)}, or reference an integration defined there")
    return integration


def _component_name(ref: object) -> str | None:
    """NAME of a JSON reference ``#/components/x-amazon-apigateway-integrations/NAME`` (its ``~1`` and ``~0``
    escapes and percent-encoding undone); ``None`` for any other reference."""
    prefix = "#/" + "/".join(_COMPONENTS) + "/"
    if not isinstance(ref, str) or not ref.startswith(prefix) or "/" in ref[len(prefix):]:
        return None
    name = ref[len(prefix):]
    if "%" in name:  # rare: imported only then (a one-file run starts without it)
        from urllib.parse import unquote

        name = unquote(name)
    return name.replace("~1", "/").replace("~0", "~")


def _step(node: object, key: str) -> object:
    return node.get(key) if isinstance(node, dict) else None


def _locate(node: dict, keys: tuple[str, ...], locate: Locate) -> Location:
    """Where the deepest of the keys that is written stands (``keys[0]`` is)."""
    key = keys[0]
    for deeper in keys[1:]:
        inner = node.get(key)
        if not isinstance(inner, dict) or deeper not in inner:
            break
        node, key = inner, deeper
    return locate(node, key)


def definition_unparsed(field_name: str, failed: Location) -> Unknown:
    """Why an API's integrations go unchecked when the OpenAPI definition in ``field_name`` does not parse: the
    same words from every front end. The syntax error itself is an input error at ``failed``, the file and line
    that broke (a template names the file, or a Terraform ``body`` reads it), as for a broken template: a syntax
    error, or what the safe loader refuses (an alias bomb)."""
    return Unknown(f"the API definition in {field_name} did not parse ({failed}), so its private integrations "
                   "cannot be checked", f"fix what the input error at {failed} reports")


def definition_not_scanned(field_name: str, supply: str, why: Unknown | None = None) -> Unknown:
    """Why an API's integrations go unchecked when the definition in ``field_name`` is not in the scanned files
    (a deploy-time value, a variable without a value, a file outside the tree): the same words from every front
    end, whatever else the file mentions -- the VPC link of a private integration may be declared anywhere.
    ``why`` is what the value is waiting for, when the front end knows."""
    because = f" ({why.reason})" if why is not None and why.reason else ""
    return Unknown(f"the API definition in {field_name} is not in the scanned files{because}, so its private "
                   "integrations cannot be checked", supply)


def undeclared_api_kind(uri: object, uri_field: str, api_field: str, protocol_field: str) -> Unknown | None:
    """Why an API Gateway v2 integration whose API no scanned file declares cannot be judged as an HTTP API's:
    its URI is a URL, which an HTTP API's private integration never takes and a WebSocket API's does (judged like
    REST). ``None`` when the URI is an ARN, not written, or not known: then it is an HTTP API's integration."""
    text = known_str(uri)
    if text is None or text.startswith("arn:"):
        return None
    return Unknown(f"its {uri_field} '{text}' is a URL, which a WebSocket API's private integration takes and an HTTP "
                   f"API's does not, and the API its {api_field} names is not among the scanned files, so which kind "
                   "of API it belongs to is not known",
                   f"scan the files that declare the API (its {protocol_field}) together with this one")


def quick_create(owner: dict, target: object, route_key: object, protocol: object) -> list[Resource]:
    """The integration an HTTP API *quick create* makes: ``Target`` (``target``) on the API is an integration
    of its ``$default`` route (or the ``RouteKey`` given) -- HTTP_PROXY for a URL, AWS_PROXY for a Lambda
    function's ARN (CreateApi reference) -- so its type is left to the URI, as for an integration whose type is
    not written; a target only known at deploy time leaves it undecided (the walk then says why). ``owner`` is
    the API's common fields, with ``integration_uri`` spelled as the API's own key."""
    if (known_str(protocol) or "HTTP").upper() != "HTTP":  # quick create is for HTTP APIs only
        return []
    route = known_str(route_key) or "$default"
    kind = Unknown("the target is only known at deploy time") if isinstance(target, Unknown) else None
    where = owner["spans"].get("integration_uri", owner["loc"])
    return [HttpApiIntegration(**{**owner, "key": f"{owner['key']}#{route}", "name": f"{owner['name']} {route}",
                                  "loc": where}, integration_type=kind, integration_uri=target)]
