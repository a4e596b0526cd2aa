"""I9523: on a REST or WebSocket private integration, only a certificate on the listener's SNI list covers the verified host."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Certificate, Unknown
from linter.names import as_name, shown
from linter.path import BY_URI, TO_LISTENER, Path, Role, certificate_covers
from linter.rule import Rule, Settings, Violation


class CertificateOnlyOnSniList(Rule):
    """
    ## What it does
    Notes a REST or WebSocket API private integration whose TLS session ends at an NLB TLS or ALB HTTPS listener where the
    certificate for the verified host (the integration URI's host) is on the listener's SNI list
    (`AWS::ElasticLoadBalancingV2::ListenerCertificate`, `aws_lb_listener_certificate`) while the default
    certificate does not cover that host.

    ## Why is this bad?
    A load balancer shows an SNI-list certificate only to a client that sends the host name as SNI; a client
    that sends none gets the default certificate [S28]. Whether API Gateway sends the URI host as SNI on REST
    private integrations is **UNVERIFIED**: no AWS source says so, and a user report (THIRD-PARTY) says SNI "is
    not supported by VPC Link integrations" [S66]. If it does not, API Gateway is shown the default
    certificate, the host name check fails, and every request ends in a 500. So this path is not known to work.
    It is an info finding, not an error: it may well work. WebSocket private integrations work as REST ones do
    (AWS whitepaper "Best Practices for Designing Amazon API Gateway Private APIs and Private Integration" >
    WebSocket API), and whether they send SNI is just as UNVERIFIED.

    HTTP APIs are not flagged: their `TlsConfig.ServerNameToVerify` is documented to be sent as SNI [S17].

    TLS passed through a TCP listener to targets that pick their certificate by SNI (an ingress controller
    serving several names) carries the same doubt, but the files do not show how a backend picks its
    certificate, so nothing is said there: tlspath does not guess.

    ## Example
    ```yaml
    Listener:
      Type: AWS::ElasticLoadBalancingV2::Listener
      Properties:
        Protocol: TLS
        Certificates: [{CertificateArn: !Ref LegacyCertificate}]   # legacy.example.com
    OrdersSni:
      Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
      Properties:
        ListenerArn: !Ref Listener
        Certificates: [{CertificateArn: !Ref OrdersCertificate}]   # orders.example.com, the URI's host
    ```

    ## How to fix
    Make the certificate that covers the integration host the listener's default certificate (move the other
    names to the SNI list), or add the host to the default certificate's names. Then the path holds whether or
    not API Gateway sends SNI.

    ## Sources
    aws-tls-path.md §1.2 (REST SNI: UNVERIFIED; [S66] THIRD-PARTY), §2 [S17], §4.2 [S28];
    candidate check 25
    """

    id = "I9523"
    tags = ("certificate", "sni", "unverified")
    title = "On a REST or WebSocket private integration, the host's certificate is only on the SNI list"
    fix = ("Make the certificate that covers the integration host the listener's default certificate, or add the "
           "host to the default certificate's names")
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-tls-listener.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-api-with-vpclink-cli.html",
        "https://github.com/kubernetes/ingress-nginx/issues/5678",
    )

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        tls = path.tls_at_listener
        if path.api not in BY_URI or path.private_link is None or tls is None or len(tls.certificates) < 2:
            return
        default, listed = tls.certificates[0], tls.certificates[1:]
        covering = [certificate for certificate in listed if certificate_covers(certificate, tls.host) is True]
        if not covering or certificate_covers(default, tls.host) is not False:
            return  # the default covers the host (or may), or no listed one does: E9503 and I9513 judge that
        listener = tls.listener
        host = f"'{path.verified_name}'" if isinstance(tls.host, str) else path.verified_name
        yield Violation(
            f"{path.integration_name}: the certificate for {host} ({_named(covering)}) is only on the SNI list of "
            f"listener '{listener.name}'; the default certificate '{default.name}' ({_names(default)}) is what API "
            f"Gateway gets if it does not send SNI (unverified for {_KIND[path.api]} private integrations)",
            listener, "certificates",
            fix=(f"Make {_named(covering)} the default certificate of listener '{listener.name}' "
                 f"({listener.spelling.name('certificates')}), or add {host} to the names of '{default.name}', so the "
                 "path holds with or without SNI"))


_KIND = {"rest": "REST", "websocket": "WebSocket"}


def _named(certificates: list[Certificate]) -> str:
    return " or ".join(f"'{certificate.name}'" for certificate in certificates)


def _names(certificate: Certificate) -> str:
    names = certificate.facts.names
    written = [shown(name) for name in map(as_name, () if isinstance(names, Unknown) else names) if name is not None]
    return ", ".join(written) or "no name"
