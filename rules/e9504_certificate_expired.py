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
    template carries, or from ACM with `--acm`) against the moment of the run (`--at`, default now) -- and
    that of every intermediate between it and the trusted root, which API Gateway's path validation checks
    just the same.

    ## Why is this bad?
    API Gateway rejects an expired or not-yet-valid certificate with `PKIX path validation failed ...
    validity check failed`, and `insecureSkipVerification` does not change that: expiry is part of the basic
    validation it keeps. Imported and IAM certificates are never renewed by AWS. An expired intermediate
    fails the same check: a chain bundled years ago may carry an intermediate its CA has long replaced.

    ## Example
    ```yaml
    ServerCertificate:
      Type: AWS::IAM::ServerCertificate
      Properties:
        CertificateBody: |
          -----BEGIN CERTIFICATE-----   # notAfter 2024-01-31
    ```

    ## How to fix
    Replace the certificate with a current one -- preferably an ACM-issued certificate, which ACM renews. For
    an expired intermediate, give the chain your CA serves today.

    ## Sources
    aws-tls-path.md §1.3, §3, §4.2, §6.1: [S1] [S24] [S28] [S41]; RFC 5280 §6.1.3 (every certificate of the
    path is checked for validity)
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
        if shown.issuer_checked:  # with skip-verification on, which intermediates are checked is not published
            yield from _intermediates(shown, settings)


def _intermediates(shown: Presented, settings: Settings) -> Iterator[Violation]:
    """The intermediates below the trusted root outside their validity window at ``--at``."""
    for intermediate in shown.certificate.facts.intermediates:
        if settings.at > intermediate.not_after:
            when = f"expired on {intermediate.not_after:%Y-%m-%d}"
        elif settings.at < intermediate.not_before:
            when = f"is not valid before {intermediate.not_before:%Y-%m-%d}"
        else:
            continue
        yield Violation(f"the intermediate '{intermediate.name}' in the chain of {shown.what} {when}; "
                        f"{shown.validator} rejects the chain", shown.certificate, "chain",
                        fix=(f"Give the current intermediate chain of the certificate's CA in "
                             f"{shown.certificate.spelling.name('chain')}" if shown.certificate.spelling.has("chain")
                             else "Have the server send the current intermediate chain of its certificate's CA"))
