"""W9520: a suppression that cannot apply (no reason, past its date, no such rule, written wrong)."""

from __future__ import annotations

from linter.rule import Rule


class SuppressionNotApplied(Rule):
    """
    ## What it does
    Reports a suppression written in the files that does not silence anything: one without a reason, one whose
    `expires` date is past (judged at `--at`, else today), one naming a rule tlspath does not have, or one
    written wrong (an unknown option, a date that is no date). The finding names the file and line of the
    suppression; the finding it meant to silence is reported as well.

    tlspath reports these findings itself, from the suppressions front ends read (`docs/ci.md`); no path is
    judged. cfn-lint's `ignore_checks` is never judged here: it is cfn-lint's, shared with its own rules.

    ## Why is this bad?
    A suppression accepts a known risk on a resource. Without a reason, the next reader cannot tell whether
    the risk is still acceptable; without a date, nobody looks again. An accepted risk that quietly outlives
    its reason -- the migration finished, the legacy backend stayed -- is how a TLS path breaks in
    production with a finding nobody sees. So a suppression that cannot say why, or whose time is up, stops
    working, and says so.

    ## Example
    ```hcl
    resource "aws_api_gateway_integration" "orders" {
      # tlspath:ignore W9510 expires=2026-01-31
      ...
    }
    ```

    ## How to fix
    Say why the finding is accepted and until when, or fix what it reports and remove the suppression:

    ```hcl
      # tlspath:ignore W9510 reason="legacy backend, migrating to an ACM certificate" expires=2027-01-31
    ```

    ## Sources
    docs/ci.md (suppressions); checkov's and trivy's skip comments, ruff's `noqa` (RUF100) for the conventions
    """

    id = "W9520"
    title = "A suppression does not apply"
    fix = ('Give the suppression a reason (reason="...") and, if it is past, a new expires=YYYY-MM-DD date -- or fix '
           "the finding and remove the suppression")
    needs = frozenset()
    tags = ("suppression",)
    security_severity = 2.0  # a control that stopped working, not a broken path by itself
