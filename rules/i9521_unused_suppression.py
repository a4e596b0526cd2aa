"""I9521: a suppression that silenced nothing."""

from __future__ import annotations

from linter.rule import Rule


class UnusedSuppression(Rule):
    """
    ## What it does
    Reports a well-written suppression (a reason, a date not yet past) that silenced no finding in a run that
    applied its rule: the problem it accepted was fixed, or it stands on another resource than the one the
    finding names or the one whose declaration holds the finding's line. Like ruff's `RUF100` for `noqa` comments. A suppression for a rule the run did not apply
    (`--ignore`, `--select`) is not reported.

    tlspath reports these findings itself, from the suppressions front ends read (`docs/ci.md`); no path is
    judged.

    ## Why is this bad?
    A suppression that silences nothing today silences the next, unrelated finding of its rule on that
    resource without anyone deciding to accept it.

    ## Example
    ```yaml
    OrdersListener:
      Type: AWS::ElasticLoadBalancingV2::Listener
      Metadata:
        tlspath:
          ignore:
            - rule: E9508
              reason: TLS 1.3-only policy, rolled back in #412
    ```

    ## How to fix
    Remove the suppression -- or move it to the resource the finding names, or to the one whose declaration
    holds the finding's `file:line` (an E9501 naming an Auto Scaling group is found in its launch template's
    user data: either takes it; in Terraform, a comment on a `module` block takes the findings of what that
    call makes). When the rule's findings are reported on other resources of the suppression's file (declared
    there, or found there), the fix names those resources and their `file:line`.

    ## Sources
    docs/ci.md (suppressions); ruff's RUF100 (unused noqa) for the convention
    """

    id = "I9521"
    title = "A suppression silences no finding"
    fix = "Remove the suppression, or move it to the resource the finding names"
    needs = frozenset()
    tags = ("suppression",)
