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
        when = _outside(settings.at, *(day if isinstance(day, dt.datetime) else None
                                       for day in (facts.not_before, facts.not_after)))
        if when is not None:
            yield Violation(f"{shown.what} {when}; {shown.validator} rejects it", shown.certificate, "trust")
        if shown.issuer_checked:  # with skip-verification on, which intermediates are checked is not published
            yield from _intermediates(shown, settings)


def _intermediates(shown: Presented, settings: Settings) -> Iterator[Violation]:
    """The intermediates below the trusted root outside their validity window at ``--at``."""
    for intermediate in shown.certificate.facts.intermediates:
        when = _outside(settings.at, intermediate.not_before, intermediate.not_after)
        if when is None:
            continue
        yield Violation(f"the intermediate '{intermediate.name}' in the chain of {shown.what} {when}; "
                        f"{shown.validator} rejects the chain", shown.certificate, "chain",
                        fix=(f"Give the current intermediate chain of the certificate's CA in "
                             f"{shown.certificate.spelling.name('chain')}" if shown.certificate.spelling.has("chain")
                             else "Have the server send the current intermediate chain of its certificate's CA"))


def _outside(at: dt.datetime, not_before: dt.datetime | None, not_after: dt.datetime | None) -> str | None:
    """How a certificate's validity window misses ``at`` ("expired on ...", "is not valid before ..."), or None
    (also where the files do not give the bound)."""
    if not_after is not None and at > not_after:
        return f"expired on {not_after:%Y-%m-%d}"
    if not_before is not None and at < not_before:
        return f"is not valid before {not_before:%Y-%m-%d}"
    return None
