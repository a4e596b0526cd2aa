"""E9501: API Gateway validates a certificate that is not publicly trusted."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Certificate, CertificateSource, Resource, Trust
from linter.path import TO_LISTENER, PassThrough, Path, Role, TlsAtListener
from linter.rule import Rule, Settings, Violation


class UntrustedCertificate(Rule):
    """
    ## What it does
    Finds API Gateway private integrations whose TLS handshake ends at a certificate API Gateway does not
    trust: one issued by an ACM private CA, a self-signed one, one signed by a CA of your own -- on an NLB TLS
    listener, on an ALB HTTPS listener behind an `alb` target group, or on the backend itself when a TCP
    listener passes TLS through to targets that generate their own certificate at boot.

    "Trusted" means: the chain reaches a certificate of API Gateway's own published CA list (shipped with
    tlspath: the 2022-01-24 text of the developer guide page, 247 fingerprints; `--trust-store FILE` replaces it)
    -- by fingerprint, by subject and public key (a re-issued root), or because that certificate's key signed
    the top of the chain. A chain only Mozilla's bundle vouches for is W9501, not this error.

    ## Why is this bad?
    API Gateway only accepts backend certificates from the certificate authorities on its supported list.
    Anything else fails the handshake: `PKIX path building failed` / `General SSLEngine problem`, and every
    request through the integration returns 5xx. HTTP APIs cannot opt out; REST APIs can only by setting
    `tlsConfig.insecureSkipVerification` (see W9510). Behind a TLS listener the NLB does not validate target
    certificates, so self-signed targets are fine *there* -- this rule only speaks where API Gateway itself
    validates.

    ## Example
    ```yaml
    Listener:
      Type: AWS::ElasticLoadBalancingV2::Listener
      Properties:
        Protocol: TCP          # TLS passes through to the instances ...
        Port: 443
    Instance:
      Type: AWS::EC2::Instance
      Properties:
        UserData: !Base64 |
          openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=api.internal ...   # ... which sign their own
    ```

    ## How to fix
    Terminate TLS on the NLB with a TLS listener and a public ACM certificate for the host name in the
    integration URI (targets may then keep self-signed certificates), or give the backend a certificate from
    a public CA. For a REST API that must use a private CA, `insecureSkipVerification` in the OpenAPI body is
    the documented escape hatch (at the cost of W9510).

    ## Sources
    aws-tls-path.md §1.3, §2, §3, §4.3: [S1] [S1b] [S4] [S23] [S24] [S31]; fact-updates-2026-11.md §1;
    the list itself: apigw-trusted-cas.md (docs/certificates.md says how it is shipped)
    """

    id = "E9501"
    title = "API Gateway will reject a certificate that is not publicly trusted"
    fix = ("Terminate TLS on an NLB TLS listener with a public ACM certificate for the integration host, or give "
           "the backend a publicly trusted certificate")
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-supported-certificate-authorities-for-http-endpoints.html",
        "https://repost.aws/knowledge-center/api-gateway-ssl-error",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html",
    )

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        if path.api == "rest" and path.skip_verification:
            return
        if (tls := path.tls_at_listener) is not None:
            yield from self._at_listener(path, tls)
        elif (passthrough := path.pass_through) is not None:
            yield from self._at_targets(path, passthrough)

    def _at_listener(self, path: Path, tls: TlsAtListener) -> Iterator[Violation]:
        for certificate in tls.presented:
            trust = certificate.facts.trust
            if isinstance(trust, Trust) and trust in (Trust.PRIVATE_CA, Trust.SELF_SIGNED):
                issuer = f" ({certificate.facts.issuer})" if certificate.facts.issuer else ""
                yield Violation(
                    f"{certificate.source.value} '{certificate.name}' on listener '{tls.listener.name}' is "
                    f"{trust.value}{issuer}; API Gateway ({path.integration_name}) rejects it{_cannot_skip(path)}",
                    certificate, "trust", fix=_listener_fix(path, tls, certificate))

    def _at_targets(self, path: Path, passthrough: PassThrough) -> Iterator[Violation]:
        for target in passthrough.targets:
            if target.self_signed is not None:
                yield Violation(
                    f"TCP listener '{passthrough.listener.name}' passes TLS through to {target.kind.value} "
                    f"'{target.name}', which presents a certificate of its own making ({target.self_signed.what}); "
                    f"API Gateway ({path.integration_name}) rejects it{_cannot_skip(path)}",
                    target, at=target.self_signed.loc,
                    fix=(f"Set {passthrough.listener.spelling.setting('protocol', 'TLS')} on listener "
                         f"'{passthrough.listener.name}' with a public ACM certificate for the integration host (the "
                         "targets may keep their self-signed certificate), or give the backend a publicly trusted "
                         "certificate"))


def _cannot_skip(path: Path) -> str:
    return " (HTTP APIs cannot skip verification)" if path.api == "http" else ""


def _listener_fix(path: Path, tls: TlsAtListener, certificate: Certificate) -> str:
    host = f" for {tls.host}" if isinstance(tls.host, str) else ""
    fix = f"Put a publicly trusted certificate{host} on listener '{tls.listener.name}'"
    if certificate.source is CertificateSource.ACM_PRIVATE:
        fix += f" (an ACM certificate requested without {certificate.spelling.name('trust')})"
    if path.api == "rest":
        keep = "private CA" if certificate.facts.trust is Trust.PRIVATE_CA else "certificate"
        fix += f"; if the {keep} must stay, {_skip_verification(path.integration)}, accepting W9510"
    return fix


def _skip_verification(integration: Resource) -> str:
    if integration.spelling.has("skip_verification"):
        return f"set {integration.spelling.setting('skip_verification', True)} on the integration"
    return ("define the integration in the API's OpenAPI body, where x-amazon-apigateway-integration.tlsConfig can "
            "turn on insecureSkipVerification")
