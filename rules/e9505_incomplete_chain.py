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
    root. With `insecureSkipVerification` on, a private root must still carry `basicConstraints CA:TRUE` and
    `keyUsage keyCertSign`.

    ## Why is this bad?
    API Gateway builds the path to a root itself and fails when an intermediate is missing (`PKIX path
    building failed`, or "unknown endpoint errors" in the console) -- skip-verification does not help, since
    "presence of a root certificate authority" is part of the validation it keeps.

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
    the issuer of the leaf upwards. For a private CA, issue the root with CA:TRUE and keyCertSign.

    ## Sources
    aws-tls-path.md §1.3, §3, §6.2: [S1b] [S3] [S23] [S24] [S43]
    """

    id = "E9505"
    tags = ("certificate", "chain")
    title = "The certificate chain is incomplete"
    fix = "Provide the intermediate chain, from the leaf's issuer up to (not necessarily including) a root"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://repost.aws/knowledge-center/api-gateway-ssl-error",
               "https://docs.aws.amazon.com/acm/latest/userguide/troubleshoot-import.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integration-tls-config.html")

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        certificate, facts = shown.certificate, shown.certificate.facts
        if facts.chain in _WHY:
            yield Violation(f"{shown.what} {_WHY[facts.chain]}; {shown.validator} cannot build a path to a root",
                            certificate, "chain",
                            fix=(f"Provide the intermediate chain in {certificate.spelling.name('chain')}, from the "
                                 "leaf's issuer up to (not necessarily including) a root"
                                 if certificate.spelling.has("chain") else None))
        elif (shown.skip_verification and shown.integration is not None and facts.trust is Trust.PRIVATE_CA
              and facts.root_can_sign is False):
            yield Violation(f"the private root of '{certificate.name}' lacks basicConstraints CA:TRUE or keyUsage "
                            "keyCertSign; API Gateway rejects it even with "
                            f"{shown.integration.spelling.name('skip_verification')}",
                            certificate, "chain",
                            fix="Reissue the private root with basicConstraints CA:TRUE and keyUsage keyCertSign")
