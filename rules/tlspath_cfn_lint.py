"""tlspath's rules as cfn-lint rules, for ``cfn-lint -a linter.rules`` and ``cfn-lint -a rules/``.

One ``CloudFormationLintRule`` per catalogue rule, named and numbered like it; the first of them to run on a
template runs tlspath on that template's file -- exactly as ``tlspath FILE`` would, so findings, levels and
lines are tlspath's -- and caches the result on cfn-lint's ``Template``; every rule then reports its own
findings. ``E9500`` reports what tlspath could not analyse, so nothing is dropped silently.

cfn-lint runs rules one template at a time: an ``Fn::ImportValue`` exported by another file stays unresolved
here (I9513); ``tlspath`` itself resolves it across every file of a run.

Only absolute imports: with ``-a rules/`` cfn-lint loads this file as a top-level module.
"""

from __future__ import annotations

import datetime as dt
import linecache
import os

from cfnlint.rules import CloudFormationLintRule, RuleMatch
from linter.rules import catalogue

from linter.engine import analyse
from linter.findings import Finding, InputError
from linter.frontend import FrontEndSettings
from linter.parse.cloudformation import CloudFormationSettings, TemplateDocument, build_models
from linter.report.text import hop
from linter.rule import Rule, Settings
from linter.scan import Options, scan
from linter.sensitive import redacted

_CACHE_ATTRIBUTE = "_tlspath_outcome"
_STDIN = "<stdin>"
_TAGS = ["tlspath", "apigateway", "tls"]

_Outcome = tuple[tuple[Finding, ...], tuple[InputError, ...]]


def _name(cfn) -> str:
    return cfn.filename or _STDIN


def _analyse(cfn) -> _Outcome:
    settings = Settings(at=dt.datetime.now(dt.timezone.utc))
    if cfn.filename and os.path.isfile(cfn.filename):
        # cfn-lint hands rules one template at a time: never the templates importing or nesting it as well
        result = scan([cfn.filename], Options(settings, FrontEndSettings((CloudFormationSettings(alone=True),))))
        return result.findings, result.errors
    # Read from standard input: cfn-lint's decoding is all there is (its nodes carry marks too).
    built = build_models([TemplateDocument(_STDIN, cfn.template, root=None)])
    analysis = analyse(built.models, catalogue(), settings)
    return redacted((analysis.findings, (*built.errors, *analysis.errors)),
                    set().union(*(m.secrets for m in built.models)))


def _outcome(cfn) -> _Outcome:
    """tlspath's findings and input errors for this template, computed once for all rules."""
    cached = getattr(cfn, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = _analyse(cfn)
        setattr(cfn, _CACHE_ATTRIBUTE, cached)
    return cached


def _span(filename: str, line: int, column: int | None = None) -> tuple[int, int, int, int]:
    """cfn-lint's 0-based location of a 1-based line: from the finding's column (else the line's first non-blank
    character) to the line's last character."""
    text = linecache.getline(filename, line).rstrip("\r\n")
    start = column - 1 if column else len(text) - len(text.lstrip())
    return line - 1, start, line - 1, max(len(text), start)


def _rule_match(finding: Finding, filename: str) -> RuleMatch:
    """A finding as cfn-lint shows it: on its line when it is in this file (else on the last hop that is),
    with the whole path and the fix in the message, and under its resource so that the resource's
    ``Metadata: cfn-lint: config: ignore_checks`` applies."""
    message, column = finding.message, None
    if finding.file == filename and finding.line:
        line, column = finding.line, finding.column
    else:
        here = [step.line for step in finding.trace if step.file == filename and step.line]
        line = here[-1] if here else 1
        message += f" (at {finding.file}:{finding.line})" if finding.line else f" (in {finding.file})"
    if finding.trace:
        message += ". Path: " + " -> ".join(hop(step, filename) for step in finding.trace)
    message += f". Fix: {finding.fix}"
    return RuleMatch(["Resources", finding.resource], message, location=_span(filename, line, column))


class TlspathRule(CloudFormationLintRule):
    """Base of the rule classes; its empty id keeps cfn-lint from registering it."""

    id = ""
    tags = _TAGS

    def match(self, cfn):
        findings, _ = _outcome(cfn)
        return [_rule_match(finding, _name(cfn)) for finding in findings if finding.rule == self.id]


class E9500(TlspathRule):
    """What tlspath could not analyse in a template cfn-lint could read (``tlspath`` exits 2 on it)."""

    id = "E9500"
    shortdesc = "tlspath could not analyse the template"
    description = ("The template could not be followed to the certificates API Gateway validates (a condition "
                   "cycle, absurd nesting, an unreadable file, an internal error); no other tlspath rule "
                   "judged it")

    def match(self, cfn):
        _, errors = _outcome(cfn)
        return [RuleMatch([], f"tlspath: {error.message}", location=_span(_name(cfn), error.line or 1))
                for error in errors]


def _cfn_lint_rule(rule: type[Rule]) -> type[TlspathRule]:
    return type(rule.id, (TlspathRule,), {
        "id": rule.id, "shortdesc": rule.title, "description": rule.summary(),
        "source_url": next(iter(rule.sources), ""), "__module__": __name__, "__doc__": rule.summary()})


globals().update({rule.id: _cfn_lint_rule(rule) for rule in catalogue()})
__all__ = [E9500.id, *(rule.id for rule in catalogue())]  # noqa: PLE0604 -- generated names, all str
