"""E9501: API Gateway validates a certificate that is not publicly trusted."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import CertificateSource, EvidenceKind, Resource, Trust
from linter.path import TO_LISTENER, Path, Presented, Role, TlsAtTargets
from linter.rule import CertificateRule, Settings, Violation


class UntrustedCertificate(CertificateRule):
    """
    ## What it does
    Finds API Gateway integrations whose TLS handshake ends at a certificate API Gateway does not trust: one
    issued by an ACM private CA, a self-signed one, one signed by a CA of your own -- on an NLB TLS listener, on
    an ALB HTTPS listener (behind an `alb` target group, or reached by a public integration's URI), or on the
    backend itself when a TCP listener passes TLS through to targets that generate their own certificate at
    boot, or when a public HTTP/HTTP_PROXY integration's URI names an EC2 instance (its public DNS name or IP,
    an Elastic IP, a Route 53 record pointing at them) whose user data makes one.

    "Trusted" means: the chain reaches a certificate of API Gateway's own published CA list (shipped with
    tlspath: the 2022-01-24 text of the developer guide page, 247 fingerprints; `--trust-store FILE` replaces it)
    -- by fingerprint, by subject and public key (a re-issued root), or because that certificate's key signed
    the top of the chain. A chain only Mozilla's bundle vouches for is W9501, not this error.

    A boot script or container command is evidence only where the command runs: the same words in a comment
    (`#`, PowerShell `<# #>`), in text that is only printed (`echo`, `printf`) or in a here-document written to
    a file nothing runs are not. A self-signed certificate for `localhost`, or one made beside a certificate the
    script obtains (certbot, ACM export, Secrets Manager, S3), does not say which certificate the target port
    serves: that is W9502's warning, not this error. In CloudFormation, what a `cfn-init` call in the user data
    applies from `AWS::CloudFormation::Init` (its `commands`, and the `files` they run) is part of the boot script.

    ## Why is this bad?
    API Gateway only accepts backend certificates from the certificate authorities on its supported list.
    Anything else fails the handshake: `PKIX path building failed` / `General SSLEngine problem`, and every
    request through the integration returns 5xx. HTTP and WebSocket APIs cannot opt out; REST APIs can only by setting
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
    aws-tls-path.md §1.3, §2, §3, §4.3: [S1] [S1b] [S4] [S23] [S24] [S31]; fact-updates-2026-11.md §1 and
    "Public (non-VPC-link) HTTP and HTTP_PROXY integrations"; the list itself: apigw-trusted-cas.md (docs/certificates.md says how it is shipped)
    """

    id = "E9501"
    tags = ("certificate", "trust")
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
        yield from super().check_path(path, settings)  # the certificates API Gateway is shown
        at_targets = path.tls_at_targets
        if at_targets is not None and not (path.api == "rest" and path.skip_verification):
            yield from self._at_targets(path, at_targets)

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        trust, issuer = shown.certificate.facts.trust, shown.certificate.facts.issuer
        if shown.issuer_checked and isinstance(trust, Trust) and trust in (Trust.PRIVATE_CA, Trust.SELF_SIGNED):
            yield Violation(f"{shown.what}{shown.where} is {trust.value}{f' ({issuer})' if issuer else ''}; "
                            f"{shown.validator} rejects it{_cannot_skip(shown.api)}", shown.certificate, "trust",
                            fix=_fix(shown))

    def _at_targets(self, path: Path, at_targets: TlsAtTargets) -> Iterator[Violation]:
        listener = at_targets.listener
        for target in at_targets.targets:
            evidence = target.tls_evidence
            if evidence is None or evidence.sign.kind is not EvidenceKind.SELF_MADE:
                continue  # nothing shown, or a TLS-1.3-only server (E9508)
            made = (f"{target.kind.value} '{target.name}', which presents a certificate of its own making "
                    f"({evidence.sign.what})")
            if listener is not None:
                yield Violation(f"TCP listener '{listener.name}' passes TLS through to {made}; API Gateway "
                                f"({path.integration_name}) rejects it{_cannot_skip(path.api)}", target,
                                at=evidence.loc,
                                fix=(f"Set {listener.spelling.setting('protocol', 'TLS')} on listener '{listener.name}' "
                                     f"with a public ACM certificate for {path.verified_name} (the targets may keep "
                                     "their self-signed certificate), or give the backend a publicly trusted "
                                     "certificate"))
            else:
                yield Violation(f"{path.integration_name} connects over the internet to {made}; API Gateway rejects "
                                f"it{_cannot_skip(path.api)}", target, at=evidence.loc,
                                fix=("Give the instance a publicly trusted certificate for the URI host, or put a load "
                                     "balancer with an HTTPS listener and an ACM certificate for that host in front of "
                                     "it and point the URI at a name the certificate covers"))


def _cannot_skip(api: str | None) -> str:
    kind = {"http": "HTTP", "websocket": "WebSocket"}.get(api or "")  # insecureSkipVerification: REST only [S1b]
    return f" ({kind} APIs cannot skip verification)" if kind else ""


def _fix(shown: Presented) -> str:
    host = f" for {shown.host}" if isinstance(shown.host, str) else ""
    fix = f"Put a publicly trusted certificate{host}{shown.where or ' on the backend'}"
    certificate = shown.certificate
    if certificate.source is CertificateSource.ACM_PRIVATE:
        fix += f" (an ACM certificate requested without {certificate.spelling.name('trust')})"
    keep = "private CA" if certificate.facts.trust is Trust.PRIVATE_CA else "certificate"
    if shown.api == "rest" and shown.integration is not None:
        fix += f"; if the {keep} must stay, {_skip_verification(shown.integration)}, accepting W9510"
    elif shown.api is None:  # a chain in a file: whichever integration it is for
        fix += (f"; if the {keep} must stay, a REST integration can turn on insecureSkipVerification (OpenAPI "
                "x-amazon-apigateway-integration.tlsConfig, or tls_config in Terraform), accepting W9510")
    return fix


def _skip_verification(integration: Resource) -> str:
    if integration.spelling.has("skip_verification"):
        return f"set {integration.spelling.setting('skip_verification', True)} on the integration"
    return ("define the integration in the API's OpenAPI body, where x-amazon-apigateway-integration.tlsConfig can "
            "turn on insecureSkipVerification")
