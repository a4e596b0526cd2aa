"""W9506: TLS passes through to targets that look like plain HTTP servers."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import TO_LISTENER, Path, Role
from linter.rule import Rule, Settings, Violation


class PassThroughToPlaintext(Rule):
    """
    ## What it does
    Finds private integrations that send TLS (`https://` URI, `TlsConfig`) through a TCP listener to a target
    group that looks like a plain HTTP backend: it forwards to port 80 or 8080, or health-checks with HTTP.

    ## Why is this bad?
    A TCP listener does not terminate TLS; the targets receive the raw handshake. A server that speaks plain
    HTTP answers it with garbage and API Gateway fails the request (`General SSLEngine problem`, 5xx).

    ## Example
    ```yaml
    Listener:    {Protocol: TCP, Port: 443}
    TargetGroup: {Protocol: TCP, Port: 80, HealthCheckProtocol: HTTP}   # plain HTTP behind TLS
    ```

    ## How to fix
    Terminate TLS on the load balancer (listener Protocol TLS with an ACM certificate) and keep the plain
    HTTP targets, or make the targets serve TLS on the target group's port.

    ## Sources
    aws-tls-path.md §4.1, §4.3, §8: [S28] [S30] [S32]
    """

    id = "W9506"
    tags = ("listener", "pass-through", "protocol")
    title = "TLS passes through to targets that look like plain HTTP"
    fix = "Terminate TLS on the listener (a TLS listener with an ACM certificate) or serve TLS on the targets"
    needs = TO_LISTENER | {Role.TARGET_GROUP}
    sources = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",)

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        passthrough = path.pass_through
        if passthrough is None:
            return
        listener = passthrough.listener
        for group, field_name, why in passthrough.plaintext_signs():
            yield Violation(f"TCP listener '{listener.name}' passes {path.integration_name}'s TLS through to "
                            f"target group '{group.name}', but {why}", group, field_name,
                            fix=(f"Terminate TLS on listener '{listener.name}' ({listener.spelling.setting('protocol', 'TLS')} "
                                 "with an ACM certificate) or serve TLS on the targets"))
