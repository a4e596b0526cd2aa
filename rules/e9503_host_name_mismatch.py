"""E9503: the host name API Gateway verifies is not on the certificate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from linter.model import VALUE_FROM, Certificate, Interpolated, Reference, Unknown
from linter.names import as_name, problem, shown
from linter.path import (
    TO_LISTENER, Host, Path, Presented, Role, TlsAtListener, certificate_covers, host_coverage, is_load_balancer_dns,
)
from linter.rule import Rule, Settings, Violation


class HostNameMismatch(Rule):
    """
    ## What it does
    Compares the host name API Gateway verifies -- the host of a REST integration's `uri` or of a public
    HTTP API integration's `IntegrationUri`, a private HTTP API's `TlsConfig.ServerNameToVerify` -- with the
    DNS names of every certificate the listener can present (its default certificate and its SNI list). A
    wildcard covers exactly one label. Names built from the same variable or parameter are compared as
    written: `acm.${var.domain_name}` is covered by `*.${var.domain_name}` whatever the variable holds. An
    `https://` URI whose host is the load balancer's own DNS name (`*.elb.amazonaws.com`) always fails: no
    public CA issues certificates for Amazon's names. A name that cannot be a host name at all -- with a
    scheme, a path, a port or spaces -- never matches.

    ## Why is this bad?
    API Gateway checks the host name even when `insecureSkipVerification` is on. A mismatch fails every
    request with `Host name '…' does not match the certificate subject provided by the peer` (HTTP 500).

    ## Example
    ```yaml
    Uri: !Sub "https://${Nlb.DNSName}/orders"      # the NLB's name: no certificate covers it
    ServerNameToVerify: https://api.example.com    # a URL, not a host name
    ```

    ## How to fix
    Put the certificate's name in the URI. On a private integration the REST URI host is used for the Host
    header and certificate validation, not for routing (the VPC link routes), so `https://api.example.com/orders`
    works even if that name does not resolve inside the VPC. On a public integration the host is also where
    API Gateway connects: point a name the certificate covers at the load balancer (a Route 53 alias) and use
    it. A private HTTP API verifies `ServerNameToVerify` (`server_name_to_verify`), not its URI (the listener
    ARN, which stays): set it to a name the certificate covers. Or add the verified name to the certificate's
    SubjectAlternativeNames.

    ## Sources
    aws-tls-path.md §1.2, §1.3, §2, §8: [S1] [S5] [S6] [S17] [S25] [S28] [S45]; fact-updates-2026-11.md
    ("Public (non-VPC-link) HTTP and HTTP_PROXY integrations")
    """

    id = "E9503"
    tags = ("certificate", "host-name")
    title = "The verified host name is not on the certificate"
    fix = ("Verify a name the certificate covers -- the integration URI's host, or a private HTTP API's "
           "ServerNameToVerify -- or add the verified name to the certificate's names")
    needs = frozenset({Role.HOST})  # a name that can never match needs nothing else; the comparison checks below
    sources = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-api-with-vpclink-cli.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integration-tls-config.html",
        "https://repost.aws/knowledge-center/api-gateway-500-error-vpc",
    )

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        host = path.host
        if not path.uses_tls or host is None or isinstance(host, Unknown):
            return
        why = problem(as_name(host) or "")
        if why is not None:
            yield Violation(f"{path.integration_name} verifies '{shown(as_name(host) or '')}', which cannot be a host "
                            f"name ({why}), so it matches no certificate", path.integration, path.host_field,
                            fix=f"Write {_field(path)} as the bare host name the certificate covers: no scheme, path "
                                "or port" + (", in ASCII (an international domain in its punycode form, xn--...)"
                                             if not shown(as_name(host) or "").isascii() else ""))
            return
        if path.blocked(TO_LISTENER | {Role.CERTIFICATE}):
            return
        if (tls := path.tls_at_listener) is not None:
            yield from self._at_listener(path, tls, host)
        elif is_load_balancer_dns(host) and not path.skip_verification and (
                path.pass_through is not None or path.unchecked_endpoint is not None):
            yield self._elb_name(path, host)  # whatever certificate is there, it cannot cover Amazon's name
        else:  # what --probe saw where the files cannot show a certificate
            for presented in path.presented:
                for violation in self.check_presented(presented, settings):
                    yield replace(violation, fix=_rename(path, "the certificate the endpoint presents"))

    def check_presented(self, presented: Presented, settings: Settings) -> Iterator[Violation]:
        """One certificate against the name verified (a listener's SNI list is judged as a whole above)."""
        if certificate_covers(presented.certificate, presented.host) is False:
            listed = ", ".join(shown(name) for name in map(as_name, _names(presented.certificate)) if name is not None)
            yield Violation(f"{presented.validator} verifies host '{_shown(presented.host)}', but {presented.what} "
                            f"covers {listed or 'no name'}", presented.certificate, "names")

    def _at_listener(self, path: Path, tls: TlsAtListener, host: str | Interpolated | Reference) -> Iterator[Violation]:
        coverage = host_coverage(host, tls.certificates)
        if coverage is True:
            return
        if is_load_balancer_dns(host):
            if coverage is False or not path.skip_verification:
                yield self._elb_name(path, host)
        elif coverage is False:
            listed = ", ".join(sorted({shown(name) for certificate in tls.certificates
                                       for name in map(as_name, _names(certificate)) if name is not None}))
            yield Violation(f"{path.integration_name} verifies host '{_shown(host)}', but listener "
                            f"'{tls.listener.name}' presents certificates for {listed or 'no name'}", path.integration,
                            path.host_field, fix=_rename(path, f"a certificate of listener '{tls.listener.name}'"))

    def _elb_name(self, path: Path, host: str | Interpolated | Reference) -> Violation:
        field = _field(path)
        if path.host_field == "server_name_to_verify":
            fix = f"Set {field} to the name on the listener's certificate (e.g. api.example.com)"
        elif path.internet:
            fix = (f"Point a name the certificate covers at the load balancer (a Route 53 alias record) and use that "
                   f"name as the host of {field}")
        else:
            fix = (f"Use the certificate's own name as the host of {field} (e.g. https://api.example.com/...); the VPC "
                   "link routes the request, the host only sets the Host header and the name verified")
        return Violation(f"{path.integration_name} uses https with {_shown(host)}, a load balancer DNS name; no "
                         "public certificate can cover it, so host-name verification fails", path.integration,
                         path.host_field, fix=fix)


def _field(path: Path) -> str:
    """The field that holds the verified name, as the user's file spells it (Uri, integration_uri,
    ServerNameToVerify)."""
    return path.integration.spelling.name(path.host_field)


def _rename(path: Path, certificate: str) -> str:
    """How to make the verified name one the certificate covers, where this kind of path takes it from: a
    private HTTP API's ServerNameToVerify (its URI is the listener ARN, which must stay), a private REST URI's
    host (the VPC link routes; the host is only the Host header and the name verified), or a public URI's host,
    which is also where API Gateway connects. A name given from outside the files is changed where it is given."""
    field = _field(path)
    given = path.integration.at(path.host_field).note
    if given.startswith(VALUE_FROM):  # --parameter, a parameters file, --var, TF_VAR_: the template is not where
        rename = f"Change the value of {given.removeprefix(VALUE_FROM)}, to a host {certificate} covers"
    elif path.host_field == "server_name_to_verify":
        rename = f"Set {field} to a name {certificate} covers"
    elif path.internet:
        where = "the load balancer" if path.load_balancer is not None else "the endpoint"
        rename = (f"Use a host {certificate} covers in {field}, with a DNS record that points it at {where} "
                  "(API Gateway connects to that name and verifies it)")
    else:
        rename = (f"Use a host {certificate} covers in {field} (on a private integration it only sets the Host "
                  "header and the name verified; the VPC link routes)")
    return f"{rename}, or add the verified name to the certificate's names"


def _names(certificate: Certificate) -> tuple[object, ...]:
    names = certificate.facts.names
    return () if isinstance(names, Unknown) else names


def _shown(host: Host) -> str:
    if isinstance(host, Reference):
        return f"the DNS name of '{host.key.rsplit('#', 1)[-1]}'"
    return shown(as_name(host) or "")
