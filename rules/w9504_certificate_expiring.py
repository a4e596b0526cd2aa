"""W9504: the certificate API Gateway validates expires soon and nothing renews it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from linter.path import TO_LISTENER, Presented, Role
from linter.rule import CertificateRule, Settings, Violation


class CertificateExpiring(CertificateRule):
    """
    ## What it does
    Warns when the certificate presented to API Gateway expires within `--expiry-days` (default 30) of the
    run, or -- for Terraform `tls_self_signed_cert` / `tls_locally_signed_cert` -- when its
    `validity_period_hours` is that short: those certificates are only replaced by a later `terraform apply`.

    ## Why is this bad?
    The day it expires, every request through the integration fails (E9504). ACM renews the certificates it
    issues; imported ACM, IAM and Terraform-generated certificates are never renewed by AWS.

    ## Example
    ```hcl
    resource "tls_self_signed_cert" "backend" {
      validity_period_hours = 24   # gone tomorrow, until someone applies again
    }
    ```

    ## How to fix
    Use an ACM-issued certificate, or automate the replacement (and renew this one now).

    ## Sources
    aws-tls-path.md §4.2, §6.1, §6.6: [S28] [S41] [S62a] [S62b]
    """

    id = "W9504"
    tags = ("certificate", "expiry")
    title = "The certificate expires soon and nothing renews it"
    fix = "Renew or replace the certificate now, and move to an ACM-issued certificate that renews itself"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-tls-listener.html",
               "https://registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/self_signed_cert")

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        facts = shown.certificate.facts
        if facts.renews:
            return
        horizon = settings.at + dt.timedelta(days=settings.expiry_days)
        if isinstance(facts.not_after, dt.datetime) and settings.at <= facts.not_after <= horizon:
            days = (facts.not_after - settings.at).days
            yield Violation(f"{shown.what} expires on {facts.not_after:%Y-%m-%d} (in {days} days) and is not "
                            "renewed automatically", shown.certificate, "trust")
        elif facts.validity_hours is not None and facts.validity_hours <= settings.expiry_days * 24:
            yield Violation(f"{shown.what} is valid for only {facts.validity_hours} hours after each apply; nothing "
                            "renews it in between", shown.certificate, "validity_hours")
