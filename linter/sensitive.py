"""Sensitive values are judged like any other and never shown.

Terraform shows a variable declared ``sensitive = true`` -- and every value computed from one -- as
``(sensitive value)``; CloudFormation masks a ``NoEcho`` parameter. tlspath compares, parses and judges such
values (a host name the certificate does not cover is an outage whoever may read it), but no text of one
reaches what a run reports: a finding's message, fix, trace and identity, the paths drawn, input errors,
warnings. Front ends collect the texts (:attr:`linter.model.Model.secrets`); the run hides them here, in one
pass over everything it reports, so that no rule, gap or reporter can forget to.

The walk and the rules take values apart (the host of a URI, the id of a certificate ARN) and quote the pieces,
and put them together with other text. So a text is hidden together with the word it stands in --
``payments.<secret>`` and ``https://<secret>/orders`` are shown as ``(sensitive value)``, as Terraform shows
a value built from a sensitive one -- and a word cut out of a sensitive text is hidden too: a host name, an
ARN's resource id, an account number (a piece of six characters or more, not all letters -- ``https``,
``certificate`` and ``443`` are everyone's words, not the value's). A number hides only where it stands
whole (the secret port 443 is not in 8443).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TypeVar

SHOWN = "(sensitive value)"

T = TypeVar("T")

_KEPT = frozenset({"file", "rule", "level", "role", "title"})  # where a report points, and tlspath's own words
_WORD = re.compile(r"[^\s'\"`,;()\[\]{}<>]")  # a character of the word a hidden text stands in
_WORDS = re.compile(_WORD.pattern + "+")
_END = ".:"  # punctuation that ends a sentence or a label rather than the word before it
PIECE = 6  # a word this long (not all letters) cut out of a sensitive text is the value's own


def redacted(value: T, secrets: Iterable[str]) -> T:
    """``value`` (a scan result, findings, errors: dataclasses, tuples and strings) with every sensitive text
    hidden; the same object when there is none to hide."""
    redaction = _Redaction(secrets)
    return value if redaction.pattern is None else redaction.apply(value)


class _Redaction:
    def __init__(self, secrets: Iterable[str]):
        texts = sorted({text for text in secrets if text.strip()}, key=len, reverse=True)
        alternatives = [rf"(?<!\d){re.escape(text)}(?!\d)" if text.isdigit() else re.escape(text) for text in texts]
        self.pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
        self._haystack = "\0".join(texts).lower()  # every text, for the pieces cut out of one

    def apply(self, value: T) -> T:
        if isinstance(value, str):
            return self.text(value)  # type: ignore[return-value]  # T is str here
        if isinstance(value, tuple):
            return tuple(self.apply(item) for item in value)  # type: ignore[return-value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: self.apply(getattr(value, f.name))
                                                  for f in dataclasses.fields(value) if f.name not in _KEPT})
        return value

    def text(self, text: str) -> str:
        """``text`` with each sensitive text, the word it stands in, and each word cut out of one, shown as
        :data:`SHOWN`."""
        return _WORDS.sub(self._piece, self._whole(text))

    def _piece(self, match: re.Match[str]) -> str:
        word = match.group().rstrip(_END)
        if len(word) >= PIECE and not word.isalpha() and word.lower() in self._haystack:
            return SHOWN + match.group()[len(word):]
        return match.group()

    def _whole(self, text: str) -> str:
        assert self.pattern is not None
        out: list[str] = []
        done = 0
        for match in self.pattern.finditer(text):
            start, end = match.span()
            if start < done:  # inside a word already hidden
                continue
            while start > done and _WORD.match(text, start - 1):
                start -= 1
            while end < len(text) and _WORD.match(text, end) and not _ends(text, end):
                end += 1
            out.append(text[done:start] + SHOWN)
            done = end
        return "".join(out) + text[done:] if out else text


def _ends(text: str, at: int) -> bool:
    """Whether the character at ``at`` closes a sentence or a clause rather than continuing the word."""
    return text[at] in _END and (at + 1 == len(text) or text[at + 1].isspace())
