"""E9504: the certificate API Gateway validates is expired or not yet valid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from linter.path import TO_LISTENER, Presented, Role
from linter.rule import CertificateRule, Settings, Violation


class CertificateExpired(CertificateRule):
    """
    ## What it does
    Checks the validity window of the certificate the listener presents to API Gateway (from the PEM a
    template carries, or from ACM with `--acm`) against the moment of the run (`--at`, default now).

    ## Why is this bad?
    API Gateway rejects an expired or not-yet-valid certificate with `PKIX path validation failed ...
    validity check failed`, and `insecureSkipVerification` does not change that: expiry is part of the basic
    validation it keeps. Imported and IAM certificates are never renewed by AWS.

    ## Example
    ```yaml
    ServerCertificate:
      Type: AWS::IAM::ServerCertificate
      Properties:
        CertificateBody: |
          -----BEGIN CERTIFICATE-----   # notAfter 2024-01-31
    ```

    ## How to fix
    Replace the certificate with a current one -- preferably an ACM-issued certificate, which ACM renews.

    ## Sources
    aws-tls-path.md §1.3, §3, §4.2, §6.1: [S1] [S24] [S28] [S41]
    """

    id = "E9504"
    tags = ("certificate", "expiry")
    title = "The certificate is expired or not yet valid"
    fix = "Replace the certificate with a valid one; prefer an ACM-issued certificate, which renews itself"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://repost.aws/knowledge-center/api-gateway-ssl-certificate-errors",
               "https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html")

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        facts = shown.certificate.facts
        if isinstance(facts.not_after, dt.datetime) and settings.at > facts.not_after:
            yield Violation(f"{shown.what} expired on {facts.not_after:%Y-%m-%d}; {shown.validator} rejects it",
                            shown.certificate, "trust")
        elif isinstance(facts.not_before, dt.datetime) and settings.at < facts.not_before:
            yield Violation(f"{shown.what} is not valid before {facts.not_before:%Y-%m-%d}; {shown.validator} "
                            "rejects it", shown.certificate, "trust")
