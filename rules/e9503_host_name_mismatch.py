"""E9503: the host name API Gateway verifies is not on the certificate."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import TO_LISTENER, Path, Role, Termination, covers, is_load_balancer_dns
from linter.model import Reference, Unknown
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
        if path.tls_ends is None or path.host is None or isinstance(path.host, Unknown):
            return
        field_name = "uri" if path.api == "rest" else "server_name_to_verify"
        shown = self._shown_host(path)
        if path.tls.at is Termination.LISTENER:
            certificates = path.tls.certificates
            if not certificates or any(isinstance(c.facts.names, Unknown) for c in certificates):
                if is_load_balancer_dns(path.host) and not path.skip_verification:
                    yield self._elb_name(path, shown, field_name)
                return
            if isinstance(path.host, str) and any(covers(c.facts.names, path.host) for c in certificates):
                return
            names = sorted({n for c in certificates for n in c.facts.names})
            if is_load_balancer_dns(path.host):
                yield self._elb_name(path, shown, field_name)
            else:
                yield Violation(f"{path.integration_name} verifies host '{shown}', but listener "
                                f"'{path.tls.listener.name}' presents certificates for {', '.join(names) or 'no name'}",
                                path.integration, field_name)
        elif path.tls.at is Termination.BACKEND and is_load_balancer_dns(path.host) and not path.skip_verification:
            yield self._elb_name(path, shown, field_name)

    @staticmethod
    def _shown_host(path: Path) -> str:
        if isinstance(path.host, Reference):
            return f"the DNS name of '{path.host.key.rsplit('#', 1)[-1]}'"
        return str(path.host)

    def _elb_name(self, path: Path, shown: str, field_name: str) -> Violation:
        return Violation(f"{path.integration_name} uses https with {shown}, a load balancer DNS name; no public "
                         "certificate can cover it, so host-name verification fails", path.integration, field_name,
                         fix=("Use the certificate's own name as the URI host (e.g. https://api.example.com/...); the "
                              "VPC link routes the request, the host only sets the Host header and the name verified"))
