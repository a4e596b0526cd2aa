"""E9507: no TCP-capable listener on the port API Gateway connects to."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import known_int, known_str
from linter.path import TO_LISTENER, Path
from linter.rule import Rule, Settings, Violation


class NoListenerOnPort(Rule):
    """
    ## What it does
    Finds REST private integrations whose URI port (explicit, or 443 for `https` and 80 for `http`) has no
    TCP-capable listener (TCP, TLS, TCP_UDP, HTTP, HTTPS) on the load balancer the VPC link reaches -- a
    port mismatch, or only a UDP/QUIC listener there.

    ## Why is this bad?
    The URI's port selects the listener. Traffic to a port without a matching listener is "unintended
    traffic" that the NLB drops, and API Gateway answers 500 after its timeout.

    ## Example
    ```yaml
    Uri: https://api.example.com/orders     # port 443 ...
    Listener: {Port: 8443, Protocol: TLS}   # ... but the NLB listens on 8443
    ```

    ## How to fix
    Put the listener's port in the URI (`https://api.example.com:8443/...`), or add a listener on the port
    the URI uses.

    ## Sources
    aws-tls-path.md §1.2, §4.1, §8: [S8] [S30] [S37]
    """

    id = "E9507"
    title = "No TCP listener on the port API Gateway connects to"
    fix = "Use the listener's port in the integration URI, or add a TCP/TLS listener on the URI's port"
    needs = TO_LISTENER
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-nlb-for-vpclink-using-console.html",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        unmatched = path.unmatched_port
        if unmatched is None:
            return
        listeners = unmatched.listeners
        present = ", ".join(sorted(f"{known_int(each.port)}/{known_str(each.protocol)}" for each in listeners))
        on_port = [each for each in listeners if known_int(each.port) == unmatched.port]
        why = (f"only {', '.join(sorted({str(known_str(each.protocol)) for each in on_port}))} listens there"
               if on_port else "nothing listens there")
        yield Violation(f"{path.integration_name} connects to port {unmatched.port} of "
                        f"'{unmatched.load_balancer.name}', but {why} (listeners: {present})", path.integration, "uri")
