"""How users write suppressions, read the same way by every front end into :class:`linter.model.Suppression`.

* In a comment (Terraform ``#``, ``//`` and ``/* */`` comments; a ``"//"`` property of a ``.tf.json`` block)::

      # tlspath:ignore W9510 reason="legacy backend, migrating" expires=2027-01-31

  One or more rule ids or id prefixes (``W9510,W9502``), then ``reason=`` (quoted with ``"`` or ``'`` when it
  has spaces) and optionally ``expires=`` (a date, ``YYYY-MM-DD``). The directive may follow other text in
  the comment.
* As data (CloudFormation ``Metadata: tlspath: ignore:``): a list of mappings with ``rule``, ``reason`` and
  optionally ``expires`` (a YAML date or a string).

Whatever the syntax, a suppression without a reason, with a date that is no date or with an unknown option is
still read -- with the ``problem`` that keeps it from applying -- so the engine reports it (W9520) instead of
it silently doing nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linter.model import Location, Suppression

MARKER = "tlspath:ignore"
_DIRECTIVE = re.compile(re.escape(MARKER) + r"(?![\w-])")
_TOKEN = re.compile(r"""([A-Za-z][\w-]*)=("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"']*)|(\S+)""")
_RULE = re.compile(r"[A-Za-z]\d*")
KEYS = ("rule", "reason", "expires")


@dataclass(frozen=True)
class _Syntax:
    """How one kind of suppression is written, for the problems and fixes that quote it: each in the words of
    the syntax the user wrote it in."""

    form: str  # a whole suppression
    rule: str  # how a rule id is given, and the mistake that most often makes a word a rule id
    reason: str
    expires: str  # before the value


COMMENT = _Syntax('tlspath:ignore RULE reason="why" expires=YYYY-MM-DD', "quote a reason that has spaces",
                  'reason="..."', "expires=")
ENTRY = _Syntax("{rule: RULE, reason: why, expires: YYYY-MM-DD}", "one rule id per entry, e.g. rule: W9510",
                "reason: ...", "expires: ")


def in_comment(text: str, locate: Callable[[int], Location], owner: str) -> list[Suppression]:
    """The suppressions a comment's text holds (none when it has no ``tlspath:ignore``); ``locate`` turns an
    offset into the text into a location."""
    found: list[Suppression] = []
    block = text.lstrip().startswith("/*")  # a /* */ comment may go on over several lines
    for match in _DIRECTIVE.finditer(text):
        end = len(text) if block else text.find("\n", match.end()) % (len(text) + 1)
        words = text[match.end():end].strip().removesuffix("*/")
        rules: list[str] = []
        options: dict[str, str] = {}
        problems: list[str] = []
        for token in _TOKEN.finditer(words):
            key, value, bare = token.groups()
            if bare is not None:
                rules.extend(part for part in bare.split(",") if part)
            elif key in options or key not in KEYS[1:]:
                problems.append(f"{key}= is {'given twice' if key in options else 'no option'} ({COMMENT.form})")
            else:
                options[key] = _unquoted(value)
        found.extend(_suppressions(rules, options.get("reason"), options.get("expires"), locate(match.start()), owner,
                                   problems, COMMENT))
    return found


def in_entries(entries: Any, locate: Callable[[Any], Location], owner: str, where: str) -> list[Suppression]:
    """The suppressions of a list of ``{rule, reason, expires}`` mappings (CloudFormation metadata) written
    at ``where``; ``locate`` finds a node's location."""
    if not isinstance(entries, list):
        return [Suppression("", locate(entries), owner, problem=f"{where} must be a list of {{rule, reason, expires}}",
                            written_as=ENTRY.form)]
    found: list[Suppression] = []
    for entry in entries:
        if not isinstance(entry, dict):
            found.append(Suppression("", locate(entry), owner, problem=f"each entry of {where} must be a mapping "
                                     "with rule, reason and expires", written_as=ENTRY.form))
            continue
        problems = [f"'{key}' is no key of {where} (known: {', '.join(KEYS)})" for key in entry if key not in KEYS]
        rule = entry.get("rule")
        rules = [rule] if isinstance(rule, str) else []
        if rule is not None and not isinstance(rule, str):
            problems.append(f"rule is {_shape(rule)} ({ENTRY.rule})")
        reason = entry.get("reason")
        if isinstance(reason, (int, float)) and not isinstance(reason, bool):
            reason = str(reason)  # a ticket number (reason: 4711) is a reason, as YAML users write one
        elif reason is not None and not isinstance(reason, str):
            problems.append(f"reason is {_shape(reason)} ({ENTRY.reason}: why the finding is accepted, as text)")
            reason = str(reason)  # it was given: the problem above says what is wrong with it, not "no reason"
        found.extend(_suppressions(rules, reason, entry.get("expires"), locate(entry), owner, problems, ENTRY))
    return found


def _shape(value: Any) -> str:
    """What a value that should be text is, in YAML's words."""
    if isinstance(value, bool):
        return "true/false"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "not text"


def _suppressions(rules: list[str], reason: str | None, expires: Any, loc: Location, owner: str,
                  problems: list[str], syntax: _Syntax) -> list[Suppression]:
    """One suppression per rule, each with every problem of what was written (one line, for W9520: each
    problem once, however often it is written)."""
    problems = list(problems)
    problems.extend(f"'{rule}' is not a rule id ({syntax.rule})" for rule in rules if not _RULE.fullmatch(rule))
    if not rules and not problems:
        problems.append(f"it names no rule ({syntax.form})")
    if not (reason or "").strip():
        problems.append(f"it gives no reason ({syntax.reason}: why the finding is accepted)")
    date = _date(expires)
    if expires is not None and date is None:
        problems.append(f"{syntax.expires}{expires!s} is not a date (YYYY-MM-DD)")
    problem = "; ".join(dict.fromkeys(problems))
    named = [rule.upper() for rule in rules if _RULE.fullmatch(rule)]
    return [Suppression(rule, loc, owner, (reason or "").strip(), date, problem, written_as=syntax.form)
            for rule in named or [""]]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return re.sub(r"\\(.)", r"\1", inner) if value[0] == '"' else inner
    return value
