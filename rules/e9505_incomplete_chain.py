"""E9505: the certificate chain API Gateway needs is missing, broken or has no usable root."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import ChainStatus, Trust
from linter.path import TO_LISTENER, Presented, Role
from linter.rule import CertificateRule, Settings, Violation

_WHY = {
    ChainStatus.MISSING: "is issued by a CA but no certificate chain is given",
    ChainStatus.BROKEN: "comes with a chain that does not link to it",
    ChainStatus.NO_ROOT: "comes with a chain that does not end at a root",
}


class IncompleteChain(CertificateRule):
    """
    ## What it does
    Checks the chain that comes with the certificate presented to API Gateway: a CA-issued certificate needs
    its intermediates (`CertificateChain`, `certificate_chain`), each one certifying the one before, up to a
    root. Every intermediate below the trusted root must be a CA (`basicConstraints CA:TRUE`, and
    `keyCertSign` if it has a `keyUsage`), and no intermediate may have more intermediates below it than its
    `pathLenConstraint` allows. With `insecureSkipVerification` on, a private root must still carry
    `basicConstraints CA:TRUE` and `keyUsage keyCertSign`.

    ## Why is this bad?
    API Gateway builds the path to a root itself and fails when an intermediate is missing (`PKIX path
    building failed`, or "unknown endpoint errors" in the console) -- skip-verification does not help, since
    "presence of a root certificate authority" is part of the validation it keeps. Its TLS client is Java,
    whose PKIX path validation (RFC 5280 §6.1.4) refuses an intermediate that is not a CA or may not sign
    certificates, and a path longer than an intermediate's `pathLenConstraint`: `basic constraints check
    failed`, `pathLenConstraint violated`.

    ## Example
    ```yaml
    ServerCertificate:
      Type: AWS::IAM::ServerCertificate
      Properties:
        CertificateBody: !Ref LeafPem      # signed by an intermediate ...
        # CertificateChain missing          # ... that API Gateway never sees
    ```

    ## How to fix
    Give the intermediate certificates (not the leaf, not necessarily the root) as the chain, in order from
    the issuer of the leaf upwards -- the chain the CA issued, not a certificate that merely names the issuer.
    For a private CA, issue the root with CA:TRUE and keyCertSign.

    ## Sources
    aws-tls-path.md §1.3, §3, §6.2: [S1b] [S3] [S23] [S24] [S43]; RFC 5280 §4.2.1.9, §6.1.4
    """

    id = "E9505"
    tags = ("certificate", "chain")
    title = "The certificate chain is incomplete"
    fix = "Provide the intermediate chain, from the leaf's issuer up to (not necessarily including) a root"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://repost.aws/knowledge-center/api-gateway-ssl-error",
               "https://docs.aws.amazon.com/acm/latest/userguide/troubleshoot-import.html",
               "https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integration-tls-config.html")

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        certificate, facts = shown.certificate, shown.certificate.facts
        if facts.chain in _WHY:
            yield Violation(f"{shown.what} {_WHY[facts.chain]}; {shown.validator} cannot build a path to a root",
                            certificate, "chain",
                            fix=(f"Provide the intermediate chain in {certificate.spelling.name('chain')}, from the "
                                 "leaf's issuer up to (not necessarily including) a root"
                                 if certificate.spelling.has("chain") else None))
        elif facts.chain_flaws and shown.issuer_checked:
            yield Violation(f"the chain of {shown.what} cannot be validated: {'; '.join(facts.chain_flaws)}; "
                            f"{shown.validator} rejects it", certificate, "chain",
                            fix="Use the intermediate chain the CA issued: each intermediate a CA, with keyCertSign, "
                                "within its pathLenConstraint")
        elif (shown.skip_verification and shown.integration is not None and facts.trust is Trust.PRIVATE_CA
              and facts.root_can_sign is False):
            yield Violation(f"the private root of '{certificate.name}' lacks basicConstraints CA:TRUE or keyUsage "
                            "keyCertSign; API Gateway rejects it even with "
                            f"{shown.integration.spelling.name('skip_verification')}",
                            certificate, "chain",
                            fix="Reissue the private root with basicConstraints CA:TRUE and keyUsage keyCertSign")
