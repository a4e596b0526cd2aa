"""I9525: a private integration's URI port is outside the range documented for HTTP integrations."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import API_GATEWAY_PORTS, Path, Role, port_api_gateway_allows, port_to_use
from linter.rule import Rule, Settings, Violation


class PrivateUriPortOutsideHttpRange(Rule):
    """
    ## What it does
    Notes REST and WebSocket private integrations (through a VPC link) whose URI names a port outside 80, 443
    and 1024-65535 -- the port that selects the load balancer's listener.

    ## Why is this bad?
    API Gateway documents HTTP integration endpoints on ports 80, 443 and 1024-65535 only (aws-tls-path.md §8,
    [S27]); a public integration elsewhere is E9525. Whether the same range holds for a private integration's
    URI is not documented (UNVERIFIED): it may be refused at deploy time or work. Hence a note, not a failure.

    ## Example
    ```yaml
    Integration:
      ConnectionType: VPC_LINK
      Uri: https://pay.example.com:444/pay   # the NLB's TLS listener on 444
    ```

    ## How to fix
    Move the listener (and the URI) to 443 or to a port from 1024 to 65535, which are documented to work.

    ## Sources
    aws-tls-path.md §8: [S27]
    """

    id = "I9525"
    tags = ("port", "vpc-link")
    title = "A private integration's URI port is outside the range documented for HTTP integrations"
    fix = f"Use a listener port documented for HTTP integrations ({API_GATEWAY_PORTS}) in the URI and on the listener"
    needs = frozenset({Role.INTEGRATION})
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html",)

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        if path.private_link is None or path.port is None or port_api_gateway_allows(path.port):
            return
        if path.api == "http":
            return  # an HTTP API private integration's port is its listener's, named by ARN
        field = path.integration.spelling.name(path.host_field)
        yield Violation(f"{path.integration_name} connects through its VPC link to port {path.port}, outside the ports "
                        f"API Gateway documents for HTTP integrations ({API_GATEWAY_PORTS}); whether they apply to "
                        "private integrations is not documented", path.integration, path.host_field,
                        fix=f"Give the listener {port_to_use(plain_http=False)} and use it in {field}")
