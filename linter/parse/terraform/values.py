"""Values while Terraform expressions are evaluated, and their conversion to the neutral model's values.

Evaluation needs a few things the model has no place for: resource instances and module calls that are
only read attribute by attribute (:class:`Object`), ``jsonencode()`` results whose structure an OpenAPI body
still needs (:class:`Encoded`), objects that remember where their keys were written (:class:`Located`), and
text that remembers the file it was read from (:class:`SourcedText`). :func:`to_model` turns all of them into
plain model values at the edge of the front end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from linter.model import Choice, Interpolated, Location, Reference, Unknown, first_unknown


class EvalError(Exception):
    """An expression Terraform itself would reject (a missing key, a type error). ``try()`` catches it;
    everywhere else it becomes an :class:`Unknown` with the message."""


class Object:
    """Something read attribute by attribute: a resource instance, a module call's outputs."""

    def attribute(self, name: str) -> Any:
        raise NotImplementedError

    def model(self) -> Any:
        """What the object is when used as a whole value."""
        raise NotImplementedError


@dataclass(frozen=True)
class Encoded:
    """``jsonencode(x)`` / ``yamlencode(x)``: a string whose structure is kept, because an API ``body``
    built with ``jsonencode({...})`` is read as the document it encodes."""

    value: Any
    format: str  # "json" | "yaml"


class Located(dict):
    """An object or block whose keys remember the line they were written on (in ``file``)."""

    file: str = ""
    line: int | None = None
    key_lines: dict

    def __init__(self, items: Any = (), file: str = "", line: int | None = None, key_lines: dict | None = None):
        super().__init__(items)
        self.file, self.line, self.key_lines = file, line, dict(key_lines or {})

    def location(self, key: Any) -> Location:
        return Location(self.file, self.key_lines.get(key, self.line))

    def like(self, items: Any) -> Located:
        """The same positions around other values."""
        return Located(items, self.file, self.line, self.key_lines)


class SourcedText(str):
    """Text read whole from a file or written as a heredoc: ``origin`` is where its first line is, so a
    document decoded from it can point at its own lines."""

    origin: Location

    def __new__(cls, text: str, origin: Location) -> SourcedText:  # noqa: PYI034 -- typing.Self is Python 3.11
        instance = super().__new__(cls, text)
        instance.origin = origin
        return instance


@dataclass(frozen=True, slots=True)
class SourcedInterpolated(Interpolated):
    """A template result that still holds references, with the place its text came from."""

    origin: Location | None = None


def origin_of(value: Any) -> Location | None:
    return getattr(value, "origin", None)


def pending(value: Any) -> Unknown | None:
    """Why a value cannot be used where a known value is needed (``None`` when it can). What is computed from
    it is no longer the input itself, so the unknown returned is :meth:`~linter.model.Unknown.derived`."""
    if isinstance(value, Unknown):
        return value.derived()
    if isinstance(value, Reference):
        return Unknown(f"{_describe(value)} is only known after apply")
    if isinstance(value, Interpolated):
        gap = first_unknown(value)
        return gap.derived() if gap is not None else Unknown(f"'{value}' is only known after apply")
    if isinstance(value, Choice):
        return Unknown(f"the value depends on an undecided condition ({value.condition})")
    if isinstance(value, Object):
        return None
    return None


def _describe(reference: Reference) -> str:
    return f"{reference.key.split('#', 1)[-1]}.{reference.attribute}"


def to_model(value: Any, depth: int = 0) -> Any:
    """The model form of an evaluated value: no objects, no encodings, no sourced subclasses."""
    if depth > 100:
        return Unknown("the value is nested too deeply")
    if isinstance(value, Object):
        return value.model()
    if isinstance(value, Encoded):
        return encode(value)
    if isinstance(value, SourcedText):
        return str(value)
    if isinstance(value, SourcedInterpolated):
        return Interpolated(value.parts)
    if isinstance(value, Choice):
        return Choice(value.condition, to_model(value.if_true, depth + 1), to_model(value.if_false, depth + 1))
    if isinstance(value, Located):
        return value.like((k, to_model(v, depth + 1)) for k, v in value.items())
    if isinstance(value, dict):
        return {k: to_model(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_model(v, depth + 1) for v in value]
    return value


def encode(value: Encoded) -> Any:
    """The text ``jsonencode``/``yamlencode`` produce, when every value inside is known."""
    plain = to_model(value.value)
    gap = _first_gap(plain, 0)
    if gap is not None:
        return gap
    if value.format == "json":
        return json.dumps(plain, sort_keys=True, separators=(",", ":"))
    import yaml

    return yaml.safe_dump(plain, sort_keys=True)


def _first_gap(value: Any, depth: int) -> Unknown | None:
    if depth > 100:
        return Unknown("the value is nested too deeply")
    gap = pending(value)
    if gap is not None:
        return gap
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((g for g in (_first_gap(v, depth + 1) for v in items) if g is not None), None)
