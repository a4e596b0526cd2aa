"""git's ignore-pattern language (gitignore(5)), matched the way git's ``wildmatch`` matches it -- in time
proportional to the pattern times the path, whatever the pattern.

Why not a regular expression: a pattern such as ``*a*a*a*a*a*a*x`` becomes ``[^/]*a[^/]*a...``, and a
backtracking engine spends time exponential in the stars on a name that almost matches -- minutes for one file
name, from one line of a committed ``.gitignore``. Here a name is matched chunk by chunk: the text between two
``*`` is a fixed number of characters, so each chunk can be placed at its leftmost fit, never revisited (the
same holds one level up, for path segments between ``**``).

What git does, this does (``git check-ignore`` agrees; tests compare them):

* blank lines and ``#`` comments match nothing; trailing spaces are dropped unless escaped (``\\ ``); ``!``
  negates; ``\\`` escapes any character;
* a trailing ``/`` matches folders only; a pattern with no other ``/`` matches a name at any depth, else it is
  anchored at its base and ``*``, ``?`` and ``[...]`` never match a ``/``. As in git, any ``/`` in the text
  anchors, one inside ``[...]`` or escaped (``\\/``) too; only a plain leading ``/`` is dropped, so ``\\/**``
  matches nothing (a path never starts with ``/``);
* a segment that is only stars (``**``) matches any number of folders (at the end: at least one name); other
  runs of stars are one ``*``;
* classes as git reads them: ``!`` or ``^`` negates, ``]`` first is a member, ``a-z`` ranges (a reversed one,
  ``[z-a]``, holds its first character only), ``[:alpha:]`` and the other POSIX names.

A line git cannot use -- an unclosed ``[``, an unknown ``[:name:]``, a lone ``\\`` at the end -- matches nothing,
as in git. Where a person wrote the pattern for tlspath (``--exclude``, the configuration's ``exclude``),
:func:`problem` names what is wrong instead, a reversed range included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from operator import eq

Test = Callable[[str], bool]  # one character of a name, or one name of a path
_SLASH, _STAR, _STARS = "/", "*", "**"  # markers among the tokens (a literal character is a Test)
_POSIX: dict[str, Test] = {
    "alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or c == "\x7f",
    "digit": str.isdigit, "graph": lambda c: c.isprintable() and c != " ", "lower": str.islower,
    "print": str.isprintable, "punct": lambda c: c.isprintable() and not c.isalnum() and c != " ",
    "space": str.isspace, "upper": str.isupper, "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class PatternError(ValueError):
    """Why git would not use a pattern (it matches nothing there)."""


@dataclass(frozen=True)
class Pattern:
    """One line of an ignore file, ready to match a path relative to the file's folder."""

    line: str
    negated: bool
    folders_only: bool
    chunks: tuple[tuple[Test, ...], ...]  # separated by "any run": of characters (a name) or of names (anchored)
    anchored: bool  # matched against the whole path below the base, not only its last name
    prefix: str | None = None  # see :func:`_after_prefix`

    def matches(self, parts: Sequence[str], is_dir: bool) -> bool:
        if self.folders_only and not is_dir:
            return False
        if self.prefix is not None:
            path = "/".join(parts)
            pieces = path[len(self.prefix):].split("/")
            return path.startswith(self.prefix) and any(_fits_all(self.chunks, pieces[at:]) for at in range(len(pieces)))
        return _fits_all(self.chunks, parts if self.anchored else parts[-1])


def parse(line: str, strict: bool = False) -> Pattern | None:
    """The pattern on ``line``; ``None`` for a blank line or a comment. A pattern git cannot use matches
    nothing -- or, ``strict``, raises :class:`PatternError` (which also refuses a reversed range)."""
    text = _without_trailing_spaces(line)
    if not text or text.startswith("#"):
        return None
    negated = text.startswith("!")
    text = text[1:] if negated else text
    folders_only = text.endswith("/")
    text = text[:-1] if folders_only else text
    try:
        tokens = _tokens(text, strict)
    except PatternError:
        if strict:
            raise
        return Pattern(line, negated, folders_only, ((_nothing,),), anchored=False)
    if "/" not in text:  # git looks at the text: a '/' in a class or after a backslash anchors the pattern too
        return Pattern(line, negated, folders_only, _name_chunks(tokens), anchored=False)
    after_prefix = _after_prefix(text.removeprefix("/"))
    if after_prefix is not None:
        prefix, rest = after_prefix
        return Pattern(line, negated, folders_only, _path_chunks(_tokens(rest, strict)) if rest else ((), ()),
                       anchored=True, prefix=prefix)
    # only a plain leading '/' is dropped: an escaped one ('\/**') stays, and a path never starts with '/'
    return Pattern(line, negated, folders_only, _path_chunks(tokens[1:] if text.startswith("/") else tokens),
                   anchored=True)


def problem(line: str) -> str | None:
    """What is wrong with a pattern a person wrote for tlspath, ``None`` when nothing is."""
    try:
        parse(line, strict=True)
    except PatternError as exc:
        return str(exc)
    return None


def verdict(patterns: Sequence[Pattern], parts: Sequence[str], is_dir: bool) -> bool | None:
    """git's answer for one path (its names below the patterns' folder): ignored (``True``), taken back by a
    ``!`` pattern (``False``), or nothing said (``None``). The last pattern that matches decides."""
    return next((not pattern.negated for pattern in reversed(patterns) if pattern.matches(parts, is_dir)), None)


# ------------------------------------------------------------------------------------------ reading a pattern


def _without_trailing_spaces(line: str) -> str:
    """The line without its trailing spaces, but for one a backslash escapes (git's ``trim_trailing_spaces``)."""
    first_space: int | None = None
    at = 0
    while at < len(line):
        if line[at] == " ":
            first_space = at if first_space is None else first_space
        else:
            at += line[at] == "\\"
            first_space = None
        at += 1
    return line if first_space is None else line[:first_space]


def _tokens(text: str, strict: bool) -> list[Test | str]:
    """Literal characters, ``?`` and classes as tests; ``/``, ``*`` and ``**`` (any longer run) as markers."""
    tokens: list[Test | str] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char == "\\":
            if at + 1 == len(text):
                raise PatternError("it ends with a lone backslash")
            escaped = text[at + 1]
            tokens.append(_SLASH if escaped == "/" else partial(eq, escaped))
            at += 2
        elif char == "*":
            run = len(text) - at - len(text[at:].lstrip("*"))
            tokens.append(_STARS if run > 1 else _STAR)
            at += run
        elif char == "[":
            test, at = _class(text, at + 1, strict)
            tokens.append(test)
        else:
            tokens.append(_SLASH if char == "/" else _anything if char == "?" else partial(eq, char))
            at += 1
    return tokens


def _class(text: str, at: int, strict: bool) -> tuple[Test, int]:
    """The class opened before ``at``, as wildmatch reads it, and where the text goes on after its ``]``."""
    negated = at < len(text) and text[at] in "!^"
    at += negated
    members: list[Test] = []
    previous: str | None = None
    first = True
    while first or text[at:at + 1] != "]":
        first = False
        if at >= len(text):
            raise PatternError("a [ is never closed")
        char = text[at]
        if char == "\\":
            if at + 1 >= len(text):
                raise PatternError("a [ is never closed")
            previous = text[at + 1]
            members.append(partial(eq, previous))
            at += 2
        elif char == "-" and previous is not None and text[at + 1:at + 2] not in ("", "]"):
            low, escaped = previous, text[at + 1] == "\\"
            high = text[at + 1 + escaped:at + 2 + escaped]
            if not high:
                raise PatternError("a [ is never closed")
            at += 2 + escaped
            if strict and high < low:
                raise PatternError(f"the range {low}-{high} is reversed")
            members.append(partial(_between, low, high))
            previous = None
        elif char == "[" and text[at + 1:at + 2] == ":" and text.find("]", at + 2) > at + 2 \
                and text[text.find("]", at + 2) - 1] == ":":
            close = text.find("]", at + 2)
            name = text[at + 2:close - 1]
            if name not in _POSIX:
                raise PatternError(f"no character class [:{name}:]")
            members.append(_POSIX[name])
            previous, at = None, close + 1
        else:
            members.append(partial(eq, char))
            previous, at = char, at + 1
    return partial(_member, tuple(members), negated), at + 1


def _after_prefix(text: str) -> tuple[str, str] | None:
    """git compares an anchored pattern's literal start (up to its first ``*?[\\``) as text and matches only the
    remainder, so a ``**`` right after it counts as "at the start": ``a**/x.yaml`` is ``a`` and then anything,
    slashes included, and ``/x.yaml`` (``ab/c/x.yaml``; ``a*/x.yaml`` does not match that). (literal start,
    pattern after the ``**/``) for such a pattern, ``None`` for any other."""
    literal = next((at for at, char in enumerate(text) if char in "*?[\\"), len(text))
    prefix, after = text[:literal], text[literal:]
    stars = len(after) - len(after.lstrip("*"))
    if not prefix or prefix.endswith("/") or stars < 2 or after[stars:stars + 1] not in ("", "/"):
        return None
    return prefix, after[stars + 1:]


def _path_chunks(tokens: list[Test | str]) -> tuple[tuple[Test, ...], ...]:
    """An anchored pattern as chunks of name tests between ``**`` segments (any run of names)."""
    segments = _split(tokens)
    if segments[-1] == [_STARS]:  # a trailing /** holds what is inside: one name at least
        segments[-1:] = [[_STAR], [_STARS]]
    return _chunks([_STAR if segment == [_STARS] else partial(_fits_all, _name_chunks(segment))
                    for segment in segments])


def _split(tokens: list[Test | str]) -> list[list[Test | str]]:
    segments: list[list[Test | str]] = [[]]
    for token in tokens:
        if token == _SLASH:
            segments.append([])
        else:
            segments[-1].append(token)
    return segments


def _name_chunks(tokens: Sequence[Test | str]) -> tuple[tuple[Test, ...], ...]:
    """A name's pattern as chunks of character tests between stars (``**`` inside a name is one ``*``)."""
    return _chunks([_STAR if token == _STARS else token for token in tokens])


def _chunks(tokens: Sequence[Test | str]) -> tuple[tuple[Test, ...], ...]:
    chunks: list[list[Test]] = [[]]
    for token in tokens:
        if token == _STAR:
            if chunks[-1] or len(chunks) == 1:
                chunks.append([])
        elif callable(token):
            chunks[-1].append(token)
    return tuple(tuple(chunk) for chunk in chunks)


# ------------------------------------------------------------------------------------------ matching


def _fits_all(chunks: tuple[tuple[Test, ...], ...], items: Sequence[str]) -> bool:
    """Whether ``items`` (a name's characters, or a path's names) match chunks separated by "any run": the
    first chunk at the start, the last at the end, each one between at its leftmost fit (a fixed-length
    chunk placed further left never costs a later one a match, so nothing is ever tried twice)."""
    if len(chunks) == 1:
        return len(items) == len(chunks[0]) and _fits(chunks[0], items, 0)
    first, *middle, last = chunks
    end = len(items) - len(last)
    if end < len(first) or not _fits(first, items, 0) or not _fits(last, items, end):
        return False
    at = len(first)
    for chunk in middle:
        found = next((start for start in range(at, end - len(chunk) + 1) if _fits(chunk, items, start)), None)
        if found is None:
            return False
        at = found + len(chunk)
    return True


def _fits(chunk: tuple[Test, ...], items: Sequence[str], start: int) -> bool:
    return all(test(items[start + offset]) for offset, test in enumerate(chunk))


def _anything(char: str) -> bool:
    return True


def _nothing(char: str) -> bool:
    return False


def _between(low: str, high: str, char: str) -> bool:
    return low <= char <= high


def _member(members: tuple[Test, ...], negated: bool, char: str) -> bool:
    return any(test(char) for test in members) != negated
