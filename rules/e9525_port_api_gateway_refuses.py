"""E9525: a public integration's URI names a port API Gateway does not connect to."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import API_GATEWAY_PORTS, Path, Role, port_to_use
from linter.rule import Rule, Settings, Violation


class PortApiGatewayRefuses(Rule):
    """
    ## What it does
    Finds HTTP and HTTP_PROXY integrations without a VPC link -- a REST `Uri`, an HTTP API `IntegrationUri`,
    a quick-create API's `Target` (Terraform `uri`, `integration_uri`, `target`) -- whose URL names a port
    outside 80, 443 and 1024-65535.

    ## Why is this bad?
    API Gateway supports HTTP integration endpoints on ports 80, 443 and 1024-65535 only (aws-tls-path.md §8,
    [S27]). An integration on another port (`:22`, `:1000`) is refused or never reaches the backend: every
    request through it fails. `--probe` does not connect to such a port either.

    Whether the range also holds for private integrations (through a VPC link, where the port selects the
    load balancer's listener) is not documented: those are a note (I9525), not this error.

    ## Example
    ```yaml
    Integration:
      Type: HTTP_PROXY
      Uri: https://rates.partner.example.net:1000/v1/rates   # port 1000: API Gateway does not connect there
    ```

    ## How to fix
    Serve the endpoint on 443 (or 80, or a port from 1024 to 65535) and write that port in the URI.

    ## Sources
    aws-tls-path.md §8: [S27]
    """

    id = "E9525"
    tags = ("port", "public-integration")
    title = "A public integration's URI port is one API Gateway does not connect to"
    fix = f"Serve the endpoint on a port API Gateway connects to ({API_GATEWAY_PORTS}) and write it in the URI"
    needs = frozenset({Role.INTEGRATION})
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html",)

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        public = path.public
        if public is None or public.refused_port is None:
            return
        field = path.integration.spelling.name(path.host_field)
        host = f" of '{public.host}'" if isinstance(public.host, str) else ""
        yield Violation(f"{path.integration_name} connects over the internet to port {public.refused_port}{host}, but API "
                        f"Gateway connects to HTTP endpoints only on ports {API_GATEWAY_PORTS}: every request fails",
                        path.integration, path.host_field,
                        fix=f"Serve the endpoint on {port_to_use(plain_http=True)} and write that port in {field}")
