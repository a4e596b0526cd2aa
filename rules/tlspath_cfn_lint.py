"""tlspath's rules as cfn-lint rules, for ``cfn-lint -a linter.rules`` and ``cfn-lint -a rules/``.

cfn-lint hands each rule its decoded template (nodes with marks, the shape tlspath's own loader produces);
the whole tlspath analysis runs once per template and each rule class reports the findings with its id.
Only absolute imports: with ``-a rules/`` cfn-lint loads this file as a top-level module.
"""

from __future__ import annotations

import datetime as dt

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from linter.engine import analyse
from linter.parse.cloudformation import TemplateDocument, build_models
from linter.rule import Settings
from linter.rules import catalogue

_CACHE_ATTRIBUTE = "_tlspath_findings"


def _findings(cfn):
    cached = getattr(cfn, _CACHE_ATTRIBUTE, None)
    if cached is None:
        filename = cfn.filename or "template"
        document = TemplateDocument(filename, cfn.template, "vpclink" in repr(cfn.template).lower(), root=None)
        models, _ = build_models([document])
        cached = analyse(models, catalogue(), Settings(at=dt.datetime.now(dt.timezone.utc))).findings
        setattr(cfn, _CACHE_ATTRIBUTE, cached)
    return cached


class TlspathRule(CloudFormationLintRule):
    """Base of the generated classes; its empty id keeps cfn-lint from registering it."""

    id = ""
    tags = ["tlspath", "apigateway", "tls"]

    def match(self, cfn):
        matches = []
        for finding in _findings(cfn):
            if finding.rule != self.id:
                continue
            line = finding.line if finding.file == (cfn.filename or "template") else None
            line = line or next((step.line for step in finding.trace if step.file == finding.file and step.line), 1)
            matches.append(RuleMatch(["Resources", finding.resource], finding.message,
                                     location=(line - 1, 0, line - 1, 0)))
        return matches


for _rule in catalogue():
    globals()[_rule.id] = type(_rule.id, (TlspathRule,), {
        "id": _rule.id, "shortdesc": _rule.title, "description": _rule.summary(),
        "source_url": _rule.sources[0],
        "__module__": __name__, "__doc__": _rule.summary()})
