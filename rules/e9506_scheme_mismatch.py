"""E9506: API Gateway speaks plain HTTP to a TLS listener, or TLS to a plain HTTP listener."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import BY_URI, TLS_PROTOCOLS, TO_LISTENER, Path
from linter.rule import Rule, Settings, Violation


class SchemeMismatch(Rule):
    """
    ## What it does
    Compares what API Gateway sends with what the listener expects. A REST or WebSocket integration, and a public
    HTTP API integration, speaks TLS when its URI is `https://` and plain HTTP when it is `http://`; a private HTTP API
    integration speaks TLS only when it has a `TlsConfig`. The listener that answers is the one on the path --
    the one on the URI's port of a load balancer a public URI names, or, behind an `alb` target group, the
    ALB's listener on the group's port.

    ## Why is this bad?
    Plain HTTP sent to a TLS/HTTPS listener, or a TLS handshake sent to an HTTP listener, fails on every
    request (500 / `Internal server error`).

    ## Example
    ```yaml
    Uri: http://api.example.com/orders      # plain HTTP ...
    Listener:
      Properties:
        Protocol: TLS                        # ... to a listener that expects a handshake
    ```

    ## How to fix
    Make them agree: `https://` (REST, WebSocket) or a `TlsConfig` (HTTP API) for TLS/HTTPS listeners; `http://` and no
    `TlsConfig` for plain HTTP listeners -- or change the listener.

    ## Sources
    aws-tls-path.md §1.2, §2, §8: [S10] [S17] [S20] [S65]
    """

    id = "E9506"
    tags = ("listener", "protocol")
    title = "The integration's scheme does not match the listener's protocol"
    fix = ("Use https:// (REST) or a TLS configuration (HTTP API) for TLS/HTTPS listeners, http:// and none for HTTP "
           "ones")
    needs = TO_LISTENER
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/private-integration.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        connection = path.connection
        if connection is None:
            return
        listener, protocol = connection.listener, connection.protocol
        by_uri = path.api in BY_URI or path.public is not None  # else a private HTTP API's TLS configuration decides
        field_name = path.host_field if by_uri else "tls_config"
        spelling = path.integration.spelling
        if protocol in TLS_PROTOCOLS and not connection.tls:
            said = "an http:// URI" if by_uri else f"no {spelling.name('tls_config')}"
            add = ("Use an https:// URI" if by_uri else
                   f"Add {spelling.name('tls_config')} with {spelling.name('server_name_to_verify')}")
            yield Violation(f"{path.integration_name} has {said}, so API Gateway sends plain HTTP, but listener "
                            f"'{listener.name}' (port {listener.port}) expects {protocol}", path.integration, field_name,
                            fix=f"{add} for {protocol} listener '{listener.name}'")
        elif protocol == "HTTP" and connection.tls:
            said = "an https:// URI" if by_uri else f"a {spelling.name('tls_config')}"
            yield Violation(f"{path.integration_name} has {said}, so API Gateway starts a TLS handshake, but listener "
                            f"'{listener.name}' (port {listener.port}) speaks plain HTTP", path.integration, field_name,
                            fix=f"Make listener '{listener.name}' HTTPS with a certificate for the host, or drop TLS "
                                "on the integration")
