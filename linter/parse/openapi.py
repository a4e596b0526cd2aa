"""OpenAPI / Swagger bodies with ``x-amazon-apigateway-integration``: one reader for every front end.

In CloudFormation this is the *only* place ``tlsConfig.insecureSkipVerification`` can be set (the Method
resource has no such property, aws-tls-path.md §1.1 [S13][S15]), so bodies must be read, not skipped.
Swagger 2 and OpenAPI 3 put operations in the same place (``paths.<path>.<method>``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from linter.model import HttpApiIntegration, Location, Resource, RestIntegration

Locate = Callable[[object, str], Location]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "x-amazon-apigateway-any-method")
_FIELDS = {
    "connection_type": "connectionType",
    "connection_id": "connectionId",
    "uri": "uri",
    "integration_uri": "uri",
    "integration_target": "integrationTarget",
    "skip_verification": "tlsConfig",
    "server_name_to_verify": "tlsConfig",
}


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


def read_integrations(body: object, *, api: str, key: str, kind: Literal["rest", "http"],
                      locate: Locate, owner: dict) -> list[Resource]:
    """Every integration of the body as REST or HTTP API integrations, each located at its own lines.

    ``body`` is the evaluated document (values may be references or unknowns); ``key`` prefixes the
    resource keys and ``api`` names the API for people; the integrations share the API resource's
    ``condition`` and ``ignored`` rules (from ``owner``, the API's own common fields).
    """
    found: list[Resource] = []
    for route, operation in _operations(body):
        integration = operation.get("x-amazon-apigateway-integration")
        if not isinstance(integration, dict):
            continue
        tls = integration.get("tlsConfig")
        tls = tls if isinstance(tls, dict) else None
        spans = {name: locate(integration, source) for name, source in _FIELDS.items() if source in integration}
        if tls is not None:
            for name, source in (("skip_verification", "insecureSkipVerification"),
                                 ("server_name_to_verify", "serverNameToVerify")):
                if source in tls:
                    spans[name] = locate(tls, source)
        common = dict(key=f"{key}#{route}", name=f"{api} {route}",
                      loc=locate(operation, "x-amazon-apigateway-integration"), spans=spans,
                      condition=owner.get("condition"), ignored=owner.get("ignored", ()),
                      connection_type=integration.get("connectionType"),
                      connection_id=integration.get("connectionId"))
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
