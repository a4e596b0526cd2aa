"""E9503: the host name API Gateway verifies is not on the certificate."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Reference, Unknown
from linter.path import TO_LISTENER, Path, Presented, Role, TlsAtListener, covers, is_load_balancer_dns
from linter.rule import Rule, Settings, Violation


class HostNameMismatch(Rule):
    """
    ## What it does
    Compares the host name API Gateway verifies -- the host of a REST integration's `uri`, an HTTP API's
    `TlsConfig.ServerNameToVerify` -- with the DNS names of every certificate the listener can present
    (its default certificate and its SNI list). A wildcard covers exactly one label. An `https://` URI whose
    host is the load balancer's own DNS name (`*.elb.amazonaws.com`) always fails: no public CA issues
    certificates for Amazon's names.

    ## Why is this bad?
    API Gateway checks the host name even when `insecureSkipVerification` is on. A mismatch fails every
    request with `Host name '…' does not match the certificate subject provided by the peer` (HTTP 500).

    ## Example
    ```yaml
    Uri: !Sub "https://${Nlb.DNSName}/orders"      # the NLB's name: no certificate covers it
    ```

    ## How to fix
    Put the certificate's name in the URI: the REST URI host is used for the Host header and certificate
    validation, not for routing (the VPC link routes), so `https://api.example.com/orders` works even if that
    name does not resolve inside the VPC. Or add the host to the certificate's SubjectAlternativeNames.

    ## Sources
    aws-tls-path.md §1.2, §1.3, §2, §8: [S1] [S5] [S6] [S17] [S25] [S28] [S45]
    """

    id = "E9503"
    title = "The verified host name is not on the certificate"
    fix = ("Use a host the certificate covers in the integration URI (it only sets the Host header and the name "
           "verified; the VPC link routes), or add the host to the certificate's names")
    needs = TO_LISTENER | {Role.CERTIFICATE, Role.HOST}
    sources = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-api-with-vpclink-cli.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integration-tls-config.html",
        "https://repost.aws/knowledge-center/api-gateway-500-error-vpc",
    )

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        host = path.host
        if host is None or isinstance(host, Unknown):
            return
        if (tls := path.tls_at_listener) is not None:
            yield from self._at_listener(path, tls, host)
        elif path.pass_through is not None and is_load_balancer_dns(host) and not path.skip_verification:
            yield self._elb_name(path, host)
        elif path.pass_through is not None:  # what --probe saw at the backend
            for shown in path.presented:
                yield from self.check_presented(shown, settings)

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        """One certificate against the name verified (a listener's SNI list is judged as a whole above)."""
        names = shown.certificate.facts.names
        if isinstance(shown.host, str) and not isinstance(names, Unknown) and not covers(names, shown.host):
            yield Violation(f"{shown.validator} verifies host '{shown.host}', but {shown.what} covers "
                            f"{', '.join(names) or 'no name'}", shown.certificate, "names")

    def _at_listener(self, path: Path, tls: TlsAtListener, host: str | Reference) -> Iterator[Violation]:
        certificates = tls.certificates
        known = [names for names in (c.facts.names for c in certificates) if not isinstance(names, Unknown)]
        if not certificates or len(known) < len(certificates):
            if is_load_balancer_dns(host) and not path.skip_verification:
                yield self._elb_name(path, host)
            return
        if isinstance(host, str) and any(covers(names, host) for names in known):
            return
        if is_load_balancer_dns(host):
            yield self._elb_name(path, host)
        else:
            listed = ", ".join(sorted({name for names in known for name in names})) or "no name"
            yield Violation(f"{path.integration_name} verifies host '{_shown(host)}', but listener "
                            f"'{tls.listener.name}' presents certificates for {listed}", path.integration,
                            _host_field(path))

    def _elb_name(self, path: Path, host: str | Reference) -> Violation:
        return Violation(f"{path.integration_name} uses https with {_shown(host)}, a load balancer DNS name; no "
                         "public certificate can cover it, so host-name verification fails", path.integration,
                         _host_field(path),
                         fix=("Use the certificate's own name as the URI host (e.g. https://api.example.com/...); the "
                              "VPC link routes the request, the host only sets the Host header and the name verified"))


def _host_field(path: Path) -> str:
    return "uri" if path.api == "rest" else "server_name_to_verify"


def _shown(host: str | Reference) -> str:
    if isinstance(host, Reference):
        return f"the DNS name of '{host.key.rsplit('#', 1)[-1]}'"
    return host
