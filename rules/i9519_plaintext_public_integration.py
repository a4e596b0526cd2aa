"""I9519: a public HTTP integration sends plain HTTP across the internet."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import Path, Role
from linter.rule import Rule, Settings, Violation


class PlaintextPublicIntegration(Rule):
    """
    ## What it does
    Notes HTTP and HTTP_PROXY integrations without a VPC link whose URI is `http://`: API Gateway resolves the
    host through public DNS and sends the request to it over the internet, unencrypted -- to a partner's API,
    to a load balancer's listener or to an instance alike.

    ## Why is this bad?
    It works -- this is not a failure -- but the request, its headers and any tokens it carries cross the
    internet in clear text, and nothing proves to API Gateway that the backend is the one it meant to reach.
    With `https://`, API Gateway validates the backend's certificate against its list of trusted CAs, the
    same way it does for private integrations.

    ## Example
    ```yaml
    Integration:
      Type: HTTP_PROXY
      IntegrationHttpMethod: GET
      Uri: http://api.partner.example.com/orders     # no VPC link, no TLS
    ```

    ## How to fix
    Use an `https://` URI whose host has a publicly trusted certificate -- for a load balancer, an HTTPS
    listener with an ACM certificate for a name a Route 53 alias points at it -- or reach a backend in your
    VPC through a VPC link instead of the internet.

    ## Sources
    fact-updates-2026-11.md, "Public (non-VPC-link) HTTP and HTTP_PROXY integrations"; aws-tls-path.md §1.3
    (the certificate checks https:// turns on)
    """

    id = "I9519"
    title = "Public HTTP integration without TLS"
    fix = "Use an https:// URI to a host with a publicly trusted certificate, or reach the backend through a VPC link"
    needs = frozenset({Role.INTEGRATION})
    tags = ("plaintext", "public-integration")
    security_severity = 5.0  # requests and credentials cross the internet unencrypted (I9511 stays inside a VPC: 3.0)
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-supported-certificate-authorities-for-http-endpoints.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        public = path.public
        if public is None or public.tls is not False:
            return
        yield Violation(f"{path.integration_name} sends plain HTTP across the internet (an http:// URI without a "
                        "VPC link): requests and their credentials travel unencrypted", path.integration,
                        path.host_field)
