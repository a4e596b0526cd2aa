"""What the suppressions written in the files silence, and the findings about suppressions themselves.

Front ends record suppressions in the model (:class:`linter.model.Suppression`, on the resource they stand on
and in the list of everything written in the files read); rules never see them. The engine asks a
:class:`Silencer` about each violation. A suppression silences findings of its rule (or id prefix) on its
resource when it is well written, names a rule tlspath has, and its ``expires`` date (if any) is not past on the
day the run judges (``--at``, else today). A finding is on the resource it names and on the one whose
declaration holds its line, as in cfn-lint: an E9501 naming an Auto Scaling group, found at a command in its
launch template's user data, is silenced by a suppression on either. Otherwise it silences nothing, and W9520 says why -- a suppression
nobody can see is not working is worse than none. A well-written tlspath suppression that silenced nothing in a
run that applied its rule is I9521: the problem was fixed, or the suppression stands on the wrong resource
(its fix then names the resources the rule's findings are reported on).
cfn-lint's ``ignore_checks`` is honoured but never judged: it is cfn-lint's, shared with cfn-lint's own rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from linter.findings import Finding, Identity
from linter.model import Location, Model, Resource, Suppression
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
        # findings not silenced: rule -> (resource, place, the file that declares the resource)
        self.reported: dict[str, list[tuple[str, Location, str]]] = {}
        written = (suppression for model in models
                   for suppression in (*model.suppressions,
                                       *(s for resource in model.resources.values() for s in resource.suppressions)))
        self.written = {_key(suppression): suppression for suppression in written} if enabled else {}
        self.by_file: dict[str, list[Suppression]] = {}
        for suppression in self.written.values():
            if suppression.declaration is not None:
                self.by_file.setdefault(suppression.loc.file, []).append(suppression)

    def problem(self, suppression: Suppression) -> str:
        """Why a suppression cannot apply in this run ("" when it can)."""
        if suppression.problem or suppression.cfn_lint:
            return suppression.problem
        if not any(rule.startswith(suppression.rule) for rule in self.known):
            return f"no rule id starts with {suppression.rule} (see tlspath --list-rules)"
        if suppression.expires is not None and suppression.expires < self.day:
            return f"it expired on {suppression.expires.isoformat()} (its reason: {suppression.reason})"
        return ""

    def silences(self, rule_id: str, resource: Resource, place: Location) -> bool:
        """Whether a finding of ``rule_id`` on ``resource`` at ``place`` is silenced (and the suppressions that
        silence it then count as used): those on ``resource`` and those on the declaration that holds ``place``."""
        if not self.enabled:
            return False
        holding = (s for s in self.by_file.get(place.file, ()) if s.holds(place))
        applying = [s for s in (*resource.suppressions, *holding)
                    if rule_id.startswith(s.rule) and s.rule and not self.problem(s)]
        self.used.update(_key(s) for s in applying)
        if not applying:
            self.reported.setdefault(rule_id, []).append((resource.name, place, resource.loc.file))
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
                                      f"{_named(suppression)} silences no finding{on}: remove it",
                                      self._elsewhere(suppression)))
        return found

    def _elsewhere(self, suppression: Suppression) -> str:
        """I9521's fix when findings of the suppressed rule are reported on other resources of the suppression's
        file -- declared there, or found there: name them and where they are reported (a script the user data
        reads is another file), so the suppression can be moved where it was meant to stand. (A finding on a
        resource of another template or module is not one a suppression here was meant for.)"""
        reported = sorted({(name, str(place)) for rule, found in self.reported.items() if rule.startswith(suppression.rule)
                           for name, place, declared in found if suppression.loc.file in (place.file, declared)})
        if not reported:
            return ""
        shown = ", ".join(f"{name} ({place})" for name, place in reported[:3])
        more = f" and {len(reported) - 3} more" if len(reported) > 3 else ""
        return (f"{suppression.rule} is reported on {shown}{more}: to accept it, move the suppression to that "
                "resource (or to the one whose declaration holds the finding's line); else remove it")


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
