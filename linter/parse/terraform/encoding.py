"""The text ``jsonencode()``, ``yamlencode()`` and ``base64encode()`` make, character for character as Terraform
writes it.

The text matters: it becomes an instance's user data (cloud-init written with ``yamlencode``), an API body, a
string other values are cut from. Terraform's JSON is Go's: keys sorted, no spaces, ``<``, ``>`` and ``&``
escaped, other text as it is. Its YAML is go-yaml's, as ``go-cty-yaml`` asks for it: every string
double-quoted -- folded at column 80 -- unless it holds a line break, then a literal block; keys sorted; a
sequence under a key not indented. A string whose block form needs an indentation indicator (it starts with a
space or a line break) is not written: the result is unknown, never a near miss.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from linter.model import Unknown, known_str
from linter.parse.terraform.values import NotEvaluated

_NOT_WRITTEN = Unknown("yamlencode() of a string that starts with a space or a line break, or holds a line break "
                       "other than \\n (\\r, U+2028) beside one, is not written by tlspath", "write the YAML text out")
_WIDTH = 80  # go-yaml's best width: a double-quoted string is folded at a space past it
_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r", "\x1b": "e",
            '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L", "\u2029": "P"}
_BREAKS = "\r\n\x85\u2028\u2029"


def json_text(value: Any) -> str:
    """``jsonencode()``'s text of a plain value (numbers already as Terraform keeps them)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def yaml_text(value: Any) -> str:
    """``yamlencode()``'s text of a plain value."""
    if isinstance(value, dict) and value:
        return "".join(_mapping(value, 0))
    if isinstance(value, list) and value:
        return "".join(_sequence(value, 0))
    text = _scalar(value, 0, 2)
    return f"{text}\n" if isinstance(value, (str, list, dict)) else f"{text}\n...\n"


def _mapping(value: dict, indent: int) -> list[str]:
    lines = []
    for key in sorted(value):
        head = " " * indent + _quoted(str(key), 0, None) + ":"
        lines.extend(_entry(head, value[key], indent, indent))
    return lines


def _sequence(value: list, indent: int) -> list[str]:
    lines = []
    for item in value:
        lines.extend(_entry(" " * indent + "-", item, indent + 2, indent + 2, inline=True))
    return lines


def _entry(head: str, value: Any, indent: int, nested: int, inline: bool = False) -> list[str]:
    """One key's or item's lines: ``head`` then the value -- inline when it is a scalar (or, in a sequence,
    the first line of a collection), else below it."""
    if isinstance(value, dict) and value:
        inner = _mapping(value, indent + (0 if inline else 2))
    elif isinstance(value, list) and value:
        inner = _sequence(value, nested)
    else:
        return [f"{head} {_scalar(value, len(head) + 1, indent + 2 if not inline else indent)}\n"]
    if inline:
        return [head + " " + inner[0].lstrip(" "), *inner[1:]]
    return [head + "\n", *inner]


def _scalar(value: Any, column: int, indent: int) -> str:
    """A scalar starting at ``column``; its continuation lines (a folded string, a block) at ``indent``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[]"
    if isinstance(value, dict):
        return "{}"
    text = str(value)
    return _block(text, indent) if _literal(text) else _quoted(text, column, indent)


def _literal(text: str) -> bool:
    """Whether go-yaml writes a string with a line break as a literal block: no character it must escape,
    no space at the end of a line, no line starting with a space after a break."""
    if "\n" not in text:
        return False
    if any(c in text for c in _BREAKS if c != "\n"):
        raise NotEvaluated(_NOT_WRITTEN)
    if any(_escaped(c) for c in text if c != "\n") or " \n" in text or text.endswith(" "):
        return False
    if text[0] in " \n":
        raise NotEvaluated(_NOT_WRITTEN)
    return True


def _block(text: str, indent: int) -> str:
    body = text.rstrip("\n")
    chomp = "-" if body == text else "" if text == body + "\n" else "+"
    lines = text.split("\n") if chomp == "-" else text[:-1].split("\n")
    return f"|{chomp}\n" + "\n".join(" " * indent + line if line else "" for line in lines)


def _escaped(c: str) -> bool:
    code = ord(c)
    printable = c == "\n" or 0x20 <= code <= 0x7E or code == 0x85 or 0xA0 <= code <= 0xD7FF or \
        (0xE000 <= code <= 0xFFFD and code != 0xFEFF)  # go-yaml escapes past the BMP (\U0001F600)
    return not printable or c in '"\\' or c in _BREAKS


def _quoted(text: str, column: int, indent: int | None) -> str:
    """A double-quoted string as go-yaml writes it: escapes, and -- when ``indent`` is given -- folded at a
    space once the line is past :data:`_WIDTH` (the space becomes the line break; a second space is kept
    after a backslash)."""
    out = ['"']
    column += 1
    spaces = False
    for index, c in enumerate(text):
        if c == " " and indent is not None and not spaces and column > _WIDTH and 0 < index < len(text) - 1:
            out.append("\n" + " " * indent)
            column = indent
            if text[index + 1] == " ":
                out.append("\\")
                column += 1
            spaces = True
            continue
        piece = _escape(c) if _escaped(c) else c
        out.append(piece)
        column += len(piece)
        spaces = c == " "
    out.append('"')
    return "".join(out)


def _escape(c: str) -> str:
    if c in _ESCAPES:
        return "\\" + _ESCAPES[c]
    code = ord(c)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def base64_text(value: Any) -> str:
    """``base64encode()``'s text: the base64 of the UTF-8 bytes of a string (a number or bool as its text)."""
    return base64.b64encode(str(known_str(value)).encode("utf-8")).decode("ascii")


def _not_computed(function: str, why: str) -> Callable[[Any], str]:
    def unknown(value: Any) -> str:
        raise NotEvaluated(Unknown(f"{function}() is not computed by tlspath: {why}", "give the encoded text itself"))

    return unknown


ENCODERS: dict[str, Callable[[Any], str]] = {
    "json": json_text, "yaml": yaml_text, "base64": base64_text,
    "base64gzip": _not_computed("base64gzip", "the compressed bytes are Go's gzip's own"),
    "textencodebase64": _not_computed("textencodebase64", "it encodes in a character set other than UTF-8"),
}
