"""What the suppressions written in the files silence, and the findings about suppressions themselves.

Front ends record suppressions in the model (:class:`linter.model.Suppression`, on the resource they stand on
and in the list of everything written in the files read); rules never see them. The engine asks a
:class:`Silencer` about each violation. A suppression silences findings of its rule (or id prefix) on its
resource when it is well written, names a rule tlspath has, and its ``expires`` date (if any) is not past on the
day the run judges (``--at``, else today). Otherwise it silences nothing, and W9520 says why -- a suppression
nobody can see is not working is worse than none. A well-written tlspath suppression that silenced nothing in a
run that applied its rule is I9521: the problem was fixed, or the suppression stands on the wrong resource.
cfn-lint's ``ignore_checks`` is honoured but never judged: it is cfn-lint's, shared with cfn-lint's own rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from linter.findings import Finding, Identity
from linter.model import Model, Resource, Suppression
from linter.rule import Rule

NOT_APPLIED = "W9520"  # a suppression that cannot apply
UNUSED = "I9521"  # a suppression that silenced nothing

_Key = tuple[str, int | None, str]


def _key(suppression: Suppression) -> _Key:
    """One suppression as written: a module read twice, a nested stack instantiated twice, still wrote it once."""
    return suppression.loc.file, suppression.loc.line, suppression.rule


class Silencer:
    """Applies the suppressions of a run (none when ``enabled`` is false: ``--no-inline-suppressions``) and
    says afterwards which could not apply or went unused."""

    def __init__(self, models: Iterable[Model], known: Sequence[str], day: dt.date, enabled: bool = True):
        self.enabled = enabled
        self.day = day
        self.known = tuple(known)
        self.used: set[_Key] = set()
        written = (suppression for model in models
                   for suppression in (*model.suppressions,
                                       *(s for resource in model.resources.values() for s in resource.suppressions)))
        self.written = {_key(suppression): suppression for suppression in written} if enabled else {}

    def problem(self, suppression: Suppression) -> str:
        """Why a suppression cannot apply in this run ("" when it can)."""
        if suppression.problem or suppression.cfn_lint:
            return suppression.problem
        if not any(rule.startswith(suppression.rule) for rule in self.known):
            return f"no rule id starts with {suppression.rule} (see tlspath --list-rules)"
        if suppression.expires is not None and suppression.expires < self.day:
            return f"it expired on {suppression.expires.isoformat()} (its reason: {suppression.reason})"
        return ""

    def silences(self, rule_id: str, resource: Resource) -> bool:
        """Whether a finding of ``rule_id`` on ``resource`` is silenced (and the suppression then counts as used)."""
        if not self.enabled:
            return False
        applying = [s for s in resource.suppressions if rule_id.startswith(s.rule) and s.rule and not self.problem(s)]
        self.used.update(_key(s) for s in applying)
        return bool(applying)

    def findings(self, rules: Sequence[type[Rule]]) -> list[Finding]:
        """W9520 for each suppression that cannot apply, I9521 for each that silenced nothing (when those rules
        run, and for I9521 when the suppressed rule ran too)."""
        by_id = {rule.id: rule for rule in rules}
        ran = [rule.id for rule in rules]
        found: list[Finding] = []
        for key, suppression in self.written.items():
            problem = self.problem(suppression)
            if problem and NOT_APPLIED in by_id:
                found.append(_finding(by_id[NOT_APPLIED], suppression,
                                      f"{_named(suppression)} does not apply: {problem}", _rewrite(suppression)))
            elif (not problem and not suppression.cfn_lint and key not in self.used and UNUSED in by_id
                  and any(rule.startswith(suppression.rule) for rule in ran)):
                on = f" on {suppression.owner}" if suppression.owner else " (it stands on no resource)"
                found.append(_finding(by_id[UNUSED], suppression,
                                      f"{_named(suppression)} silences no finding{on}: remove it"))
        return found


def _named(suppression: Suppression) -> str:
    return f"the suppression of {suppression.rule}" if suppression.rule else "a suppression"


def _rewrite(suppression: Suppression) -> str:
    """W9520's fix in the syntax the suppression is written in."""
    if not suppression.written_as:
        return ""
    return (f"Say why the finding is accepted and until when, as {suppression.written_as} -- or fix the finding and "
            "remove the suppression")


def _finding(rule: type[Rule], suppression: Suppression, message: str, fix: str = "") -> Finding:
    return Finding(rule=rule.id, level=rule.level(), title=rule.title, message=message, fix=fix or rule.fix,
                   file=suppression.loc.file, line=suppression.loc.line, column=suppression.loc.column,
                   resource=suppression.owner,
                   identity=Identity(subject=suppression.owner, field=f"suppression of {suppression.rule}"))
