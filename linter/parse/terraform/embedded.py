"""JSON and YAML documents inside Terraform values: ``yamldecode(templatefile(...))``, an API ``body``
read with ``file()``, a heredoc holding an OpenAPI definition.

The text may still hold references (``${vpc_link_id}`` filled with ``aws_api_gateway_vpc_link.main.id``).
Each such part is swapped for a placeholder, the text is decoded with tlspath's own safe loaders, and the
placeholders are swapped back -- so an OpenAPI integration's ``connectionId`` is the reference the walk
follows, and every key keeps the line it was written on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from linter.conditions import concat
from linter.model import Choice, Interpolated, Location, Reference, Unknown
from linter.parse.documents import MarkedDict, ParseError, key_line, line_of, load_json, load_yaml
from linter.parse.terraform import numbers
from linter.parse.terraform.values import Encoded, EvalError, Located, NotEvaluated, origin_of, pending, to_model

_PLACEHOLDER = "tlspath_value_{}_x"
_PLACEHOLDERS = re.compile(r"tlspath_value_(\d+)_x")


class DocumentError(EvalError):
    """A JSON or YAML text that does not parse; ``failed`` is where, in the file the text came from (``None``
    when the text has no file: a plan's value)."""

    def __init__(self, message: str, reason: str, failed: Location | None):
        super().__init__(message)
        self.reason = reason  # the parser's own words: YAML syntax error: ...
        self.failed = failed


@dataclass(frozen=True)
class Unparsed:
    """An argument's document that does not parse, where its text came from a file (an input error there)."""

    failed: Location
    reason: str


def decode_document(value: Any) -> Any:
    """The document a JSON or YAML string (or interpolated string) holds, with lines where known."""
    origin = origin_of(value)
    if isinstance(value, Interpolated):
        parts = list(value.parts)
        text = "".join(p if isinstance(p, str) else _PLACEHOLDER.format(i) for i, p in enumerate(parts))
    elif isinstance(value, str):
        parts, text = [], str(value)
    else:
        raise EvalError("a JSON or YAML document must be a string")
    try:
        document = (load_json(_long_numbers(text, parts)) if text.lstrip().startswith(("{", "["))
                    else load_yaml(text))
    except ParseError as json_error:
        try:
            document = load_yaml(text)  # JSON with a placeholder where a number was is still YAML
        except ParseError:
            where = f" at line {json_error.line}" if json_error.line else ""
            failed = Location(origin.file, _absolute(json_error.line, origin)) if origin and origin.file else None
            raise DocumentError(f"the document cannot be decoded{where}: {json_error.message}", json_error.message,
                                failed) from None
    return _restore(document, parts, origin, 0)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?')


def _long_numbers(text: str, parts: list) -> str:
    """JSON text whose fractional numbers of more than 15 digits are placeholders for the numbers Terraform
    reads: Python's float would keep 17 digits at most (12345678901234567890.5 would be 12345678901234567000)."""
    def placed(token: re.Match) -> str:
        written = token.group(0)
        digits = len(re.split("[eE]", written)[0].lstrip("-").replace(".", "").lstrip("0"))
        if written.startswith('"') or not (token.group(1) or token.group(2)) or digits <= 15:
            return written
        try:
            parts.append(numbers.parse(written))
        except NotEvaluated as gap:
            parts.append(gap.unknown)
        return f'"{_PLACEHOLDER.format(len(parts) - 1)}"'

    return _JSON_TOKEN.sub(placed, text)


def _restore(node: Any, parts: list, origin: Location | None, depth: int) -> Any:
    if depth > 200:
        raise EvalError("the document is nested too deeply")
    if isinstance(node, dict):
        located = Located(file=origin.file if origin else "", place=(_absolute(line_of(node), origin), None))
        for key, value in node.items():
            name = _text_key(key, parts)
            located[name] = _restore(value, parts, origin, depth + 1)
            if isinstance(node, MarkedDict):
                located.key_places[name] = _absolute(key_line(node, key), origin), None  # the text may be indented
        return located
    if isinstance(node, list):
        return [_restore(item, parts, origin, depth + 1) for item in node]
    if isinstance(node, str) and parts and _PLACEHOLDERS.search(node):
        whole = _PLACEHOLDERS.fullmatch(node)
        if whole:
            return parts[int(whole.group(1))]  # "${aws_lb.x.arn}" alone keeps the reference itself
        pieces = _PLACEHOLDERS.split(node)
        return concat([parts[int(p)] if i % 2 else p for i, p in enumerate(pieces)])
    return str(node) if isinstance(node, str) else _scalar(node)


def _scalar(node: Any) -> Any:
    """A decoded number or date as Terraform has it: ``1.0`` is the number 1 (:mod:`.numbers`), a YAML date
    the text of its timestamp (``2024-01-02T00:00:00Z``)."""
    if isinstance(node, float) or (isinstance(node, int) and not isinstance(node, bool)):
        try:
            return numbers.kept(numbers.value(node)) if math.isfinite(node) else _NOT_A_NUMBER
        except NotEvaluated as gap:
            return gap.unknown
    if isinstance(node, dt.datetime):
        return Unknown("a YAML timestamp with a time of day is not written by tlspath as Terraform writes it",
                       "quote the timestamp in the document")
    if isinstance(node, dt.date):
        return f"{node.isoformat()}T00:00:00Z"
    return node


_NOT_A_NUMBER = Unknown("the document holds a number tlspath does not carry (.inf, .nan, or one past 1e308)",
                        "write the number out")


def _text_key(key: Any, parts: list) -> str:
    return _PLACEHOLDERS.sub(lambda m: str(parts[int(m.group(1))]), str(key)) if parts else str(key)


def _absolute(line: int | None, origin: Location | None) -> int | None:
    """A line inside the decoded text, as a line of the file the text came from."""
    if line is None or origin is None or origin.line is None:
        return None
    return origin.line + line - 1


def as_document(value: Any) -> Any:
    """An argument that holds a document (an API ``body``): ``jsonencode({...})`` keeps its structure and
    lines; text is decoded. The result is a model value (or :class:`Unknown` saying why it cannot be read, or
    :class:`Unparsed` where text read from a file does not parse)."""
    if isinstance(value, Encoded):
        return to_model(value.value)
    if isinstance(value, Choice):
        return Unknown(f"the document depends on an undecided condition ({value.condition})",
                       "give the condition's variables a value")
    if isinstance(value, (Unknown, Reference)):
        return pending(value)
    try:
        return to_model(decode_document(value))
    except DocumentError as exc:
        return Unknown(str(exc), "fix the document") if exc.failed is None else Unparsed(exc.failed, exc.reason)
    except EvalError as exc:
        return Unknown(str(exc), "fix the document")
