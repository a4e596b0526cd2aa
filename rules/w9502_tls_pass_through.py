"""W9502: TLS passes through a TCP listener to targets whose certificate the template cannot vouch for."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import TO_LISTENER, Path, Role
from linter.rule import Rule, Settings, Violation


class TlsPassThrough(Rule):
    """
    ## What it does
    Finds private integrations that speak TLS (an `https://` URI on a REST API, a `TlsConfig` on an HTTP
    API) to a **TCP** listener. The NLB then passes the encrypted stream through, and the certificate API
    Gateway validates is the one the *targets* present -- which no template can show.

    ## Why is this bad?
    API Gateway rejects self-signed, private-CA, expired and chain-less certificates and host-name
    mismatches. With TCP pass-through all of that depends on how each instance or container was set up, and
    the first sign of a wrong certificate is `General SSLEngine problem` in production. Other linters pass
    this configuration as compliant; it is the most common cause of this outage.

    ## Example
    ```yaml
    Integration:
      ConnectionType: VPC_LINK
      Uri: https://api.internal.example.com/   # TLS ...
    Listener:
      Properties:
        Protocol: TCP                          # ... passed through to the targets
        Port: 443
    ```

    ## How to fix
    Terminate TLS where the template can see the certificate: a TLS listener with an ACM certificate for the
    URI host (the NLB does not validate the targets' certificates, so they may stay self-signed). If the
    backend must terminate TLS itself, make sure it presents a publicly trusted certificate for the URI host
    with its full chain, and keep this warning as a reminder. `tlspath --probe` reads the certificate the
    backend actually presents (TLS 1.2, SNI = the URI host) and judges it like one in the files.

    ## Sources
    aws-tls-path.md §4.1, §4.3, §3: [S28] [S30] [S31] [S4]
    """

    id = "W9502"
    tags = ("listener", "pass-through")
    title = "TLS passes through a TCP listener to the targets' own certificate"
    fix = ("Make the listener a TLS listener with an ACM certificate for the integration host, or make sure every "
           "target presents a publicly trusted certificate for that host")
    needs = TO_LISTENER | {Role.TARGET_GROUP}
    sources = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-tls-listener.html",
    )

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        passthrough = path.pass_through
        if passthrough is None:
            return
        if any(t.tls_evidence for t in passthrough.targets) or passthrough.plaintext_signs():
            return  # E9501 / W9506 say more
        listener = passthrough.listener
        receivers = ", ".join(f"'{t.name}'" for t in passthrough.targets) or "its targets"
        yield Violation(
            f"{path.integration_name} speaks TLS to TCP listener '{listener.name}' (port {path.port}); the TLS "
            f"session ends at {receivers}, whose certificate API Gateway must trust and the files cannot show",
            listener, "protocol",
            fix=(f"Set {listener.spelling.setting('protocol', 'TLS')} on listener '{listener.name}' with an ACM "
                 f"certificate for {path.verified_name}, or make sure every target presents a publicly trusted "
                 "certificate for that name"))
