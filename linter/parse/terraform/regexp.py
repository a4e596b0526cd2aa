"""Regular expressions written in Terraform files (``replace()`` with ``/.../``, ``regex()``, ``regexall()``).

Terraform runs them with Go's RE2, which never backtracks. Python's engines do, and the ``regex`` package
also unrolls counted repetitions when it compiles (``(a{1000}){1000}`` is a million nodes). So a pattern from the
files is bounded three ways before it runs: its length, its size with counted repetitions multiplied out (each
count at most 1000, as in RE2), and the text it runs on; and each run has a time limit. Past any of them the
result is unknown, never a hang. ``regex`` is imported only when a file uses a regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from linter.conditions import TEXT_TOO_LARGE, too_large
from linter.limits import (
    MAX_ITEMS, MAX_PATTERN, MAX_PATTERN_SIZE, MAX_REGEX_TEXT, MAX_REPEAT, MAX_TEXT, REGEX_TIMEOUT,
)
from linter.model import Unknown
from linter.parse.terraform.values import EvalError, NotEvaluated

_COUNTED = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_BRACED_ESCAPE = frozenset("pPxNu")  # \p{Greek}, \x{263a}: the braces are not a repetition
_GO_VARIABLE = re.compile(r"\$(?:\$|\{(\w+)\}|(\w+))")

TIMED_OUT = Unknown("the regular expression takes too long on this text (Python's engines backtrack where "
                    "Terraform's RE2 does not)", "simplify the pattern")


def compiled(pattern: str) -> Any:
    """The compiled pattern: :class:`EvalError` when terraform rejects it too, :class:`NotEvaluated` when it
    is past what tlspath runs (terraform may run it: no error ``try()`` would catch)."""
    if len(pattern) > MAX_PATTERN:
        raise NotEvaluated(too_large(f"a regular expression of more than {MAX_PATTERN} characters"))
    if pattern_size(pattern) > MAX_PATTERN_SIZE:
        raise NotEvaluated(too_large("a regular expression whose counted repetitions multiply out to more than "
                                     f"{MAX_PATTERN_SIZE:,} atoms"))
    import regex

    try:
        return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError) as exc:
        raise EvalError(f"invalid regular expression: {exc}") from None


def pattern_size(pattern: str) -> int:
    """How many atoms ``pattern`` compiles to with counted repetitions multiplied out -- an estimate from
    above, read without compiling. A count past RE2's limit of 1000 is an :class:`EvalError`, as in Terraform."""
    frames = [[0, 0]]  # per open group: [atoms so far, atoms of the last item (what a repetition repeats)]
    index = 0
    while index < len(pattern):
        char, frame, atoms = pattern[index], frames[-1], 1
        if char == "(":
            frames.append([0, 0])
            index += 1
            continue
        if char == ")" and len(frames) > 1:
            atoms = max(frames.pop()[0], 1)
            frame = frames[-1]
            index += 1
        elif char == "{" and _COUNTED.match(pattern, index):
            found = _COUNTED.match(pattern, index)
            assert found is not None
            low, comma, high = found.group(1), found.group(2), found.group(3)
            count = max(_count(low), _count(high) if high else _count(low) + (1 if comma else 0))
            frame[0] += frame[1] * (count - 1)
            frame[1] *= count
            index = found.end()
            continue
        elif char in "*+?|":
            index += 1
            continue
        else:
            index = _after_atom(pattern, index)
        frame[0] += atoms
        frame[1] = atoms
        if frame[0] > MAX_PATTERN_SIZE:
            return frame[0]
    return sum(frame[0] for frame in frames)


def _count(digits: str) -> int:
    if len(digits) > 4 or int(digits) > MAX_REPEAT:
        raise EvalError(f"a repetition count in the regular expression is larger than {MAX_REPEAT}")
    return int(digits)


def _after_atom(pattern: str, index: int) -> int:
    """Where the atom starting at ``index`` (an escape, a character class or one character) ends."""
    if pattern[index] == "\\":
        if pattern[index + 1:index + 2] in _BRACED_ESCAPE and pattern[index + 2:index + 3] == "{":
            close = pattern.find("}", index)
            return len(pattern) if close < 0 else close + 1
        return index + 2
    if pattern[index] != "[":
        return index + 1
    position = index + 1 + (pattern[index + 1:index + 2] == "^")
    position += pattern[position:position + 1] == "]"  # a leading ] is literal
    depth = 1
    while position < len(pattern) and depth:
        char = pattern[position]
        if char == "\\":
            position += 1
        elif pattern.startswith("[:", position):  # [:alpha:]
            close = pattern.find(":]", position + 2)
            position = len(pattern) if close < 0 else close + 1
        elif char == "]":
            depth -= 1
        position += 1
    return position


def _text(text: str) -> str:
    if len(text) > MAX_REGEX_TEXT:
        raise NotEvaluated(too_large(f"a text of more than {MAX_REGEX_TEXT:,} characters to run a regular "
                                     "expression on"))
    return text


def substitute(pattern: str, replacement: str, text: str) -> Any:
    """``replace(text, "/pattern/", replacement)``: Go's ``$1``/``${name}``/``$$`` in the replacement."""
    expression = compiled(pattern)
    template = _template(replacement)
    total = [len(text)]

    def expand(match: Any) -> str:
        value = "".join(part if isinstance(part, str) else _group(match, part) for part in template)
        total[0] += len(value) - (match.end() - match.start())
        if total[0] > MAX_TEXT:
            raise NotEvaluated(TEXT_TOO_LARGE)
        return value

    return _timed(lambda: expression.sub(expand, _text(text), timeout=REGEX_TIMEOUT))


def _template(replacement: str) -> list[str | tuple[int | str]]:
    """A replacement as Go's Expand reads it: text, and ``(group,)`` for each ``$name`` or ``${name}`` (the
    longest run of word characters: ``$1x`` is the group named ``1x``, which does not exist); ``$$`` is a
    dollar."""
    parts: list[str | tuple[int | str]] = []
    position = 0
    for variable in _GO_VARIABLE.finditer(replacement):
        parts.append(replacement[position:variable.start()])
        name = variable.group(1) or variable.group(2)
        parts.append("$" if name is None else (int(name) if name.isdigit() and len(name) < 5 else name,))
        position = variable.end()
    parts.append(replacement[position:])
    return parts


def _group(match: Any, group: tuple[int | str]) -> str:
    try:
        return match.group(group[0]) or ""
    except (IndexError, KeyError):
        return ""


def find(pattern: str, text: str, every: bool) -> Any:
    """``regex()`` (``every`` false: the first match, an error when there is none) and ``regexall()``."""
    expression = compiled(pattern)
    if expression.groupindex and len(expression.groupindex) != expression.groups:
        raise EvalError("the regular expression mixes named and unnamed capture groups")
    if every:
        return _timed(lambda: _every(expression, _text(text)))
    match = _timed(lambda: expression.search(_text(text), timeout=REGEX_TIMEOUT))
    if isinstance(match, Unknown):
        return match
    if match is None:
        raise EvalError("the regular expression does not match the text")
    return _captures(expression, match)


def _every(expression: Any, text: str) -> list[Any]:
    found: list[Any] = []
    for match in expression.finditer(text, timeout=REGEX_TIMEOUT):
        if len(found) == MAX_ITEMS:
            raise NotEvaluated(too_large(f"a list of more than {MAX_ITEMS:,} matches"))
        found.append(_captures(expression, match))
    return found


def _captures(expression: Any, match: Any) -> Any:
    """What Terraform makes of a match: the text without groups, a map with named groups, else a list."""
    if not expression.groups:
        return match.group(0)
    if expression.groupindex:
        return {name: match.group(name) for name in expression.groupindex}
    return list(match.groups())


def _timed(run: Callable[[], Any]) -> Any:
    try:
        return run()
    except TimeoutError:
        return TIMED_OUT
