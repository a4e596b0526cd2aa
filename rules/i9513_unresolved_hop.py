"""I9513: a hop or fact on the path cannot be resolved from the files."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Model, UnreadableDefinition
from linter.path import Path, Presented
from linter.rule import Rule, Settings, Violation


class UnresolvedHop(Rule):
    """
    ## What it does
    Reports every hop or fact of an integration's path that the files do not determine -- a
    parameter without `Default`, a Terraform variable without a value, a stage variable, an export no scanned
    template provides, a remote module, a certificate known only by its ARN, an API definition in S3 -- and
    says what is missing and how to supply it.

    ## Why is this bad?
    It is not a failure: tlspath never guesses. But nothing past this point was checked, so a broken path can
    hide behind it. No error is claimed on top of an unresolved hop.

    ## Example
    ```yaml
    Parameters:
      NlbArn: {Type: String}          # no Default: the VPC link's target is unknown (or --parameter NlbArn=...)
    ```

    ## How to fix
    Supply the value: a parameter `Default` or the value it is deployed with (`--parameter NAME=VALUE`, or
    `--parameters-file` with the file your deploy reads), a `.tfvars` file or `--var`, scanning the other stack
    or module together with this one, or `--acm` for certificates known only by ARN.

    ## Sources
    aws-tls-path.md (all sections: each hop of the path)
    """

    id = "I9513"
    tags = ("coverage",)
    title = "A hop of the path cannot be resolved"
    fix = "Supply the missing value (parameter Default or --parameter, tfvars/--var, scan the other stack, or --acm)"
    needs = frozenset()
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/private-integration.html",)

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        for gap in path.gaps:
            yield Violation(f"{path.integration_name}: cannot resolve the {gap.role.label}: {gap.unknown.reason}",
                            gap.subject, gap.field_name, fix=gap.unknown.supply or None)

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        """A certificate judged alone (``--check-certificate``): on a path the same fact is one of its gaps."""
        untold = shown.certificate.facts.untold()
        if untold is not None:
            field_name, unknown = untold
            yield Violation(f"{shown.what}{shown.where} cannot be judged: {unknown.reason}", shown.certificate,
                            field_name, fix=unknown.supply or None)

    def check_model(self, model: Model, settings: Settings) -> Iterator[Violation]:
        for definition in model.of_type(UnreadableDefinition):
            yield Violation(f"'{definition.name}': {definition.unknown.reason}", definition,
                            definition.field_name, fix=definition.unknown.supply or None)
