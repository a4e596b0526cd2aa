"""Values while Terraform expressions are evaluated, and their conversion to the neutral model's values.

Evaluation needs a few things the model has no place for: resource instances and module calls that are
only read attribute by attribute (:class:`Object`), ``jsonencode()`` results whose structure an OpenAPI body
still needs (:class:`Encoded`), objects that remember where their keys were written (:class:`Located`),
text that remembers the file it was read from (:class:`SourcedText`), and values computed from a sensitive
one (:func:`mark`). :func:`to_model` turns all of them into plain model values at the edge of the front end.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from linter.conditions import TEXT_TOO_LARGE, too_large
from linter.limits import MAX_TEXT, MAX_WEIGHT
from linter.model import Choice, Interpolated, Location, Reference, Unknown, first_unknown, known_str
from linter.parse.documents import Position


CYCLE = "break the cycle: a value cannot be computed from itself"  # how to fix an expression that refers to itself


class EvalError(Exception):
    """An expression Terraform itself would reject (a missing key, a type error). ``try()`` catches it;
    everywhere else it becomes an :class:`Unknown` with the message and ``supply``, how to put it right."""

    def __init__(self, message: str, supply: str = "fix the expression"):
        super().__init__(message)
        self.supply = supply


class StaticError(EvalError):
    """What terraform rejects before it evaluates anything -- a reference to something not declared, a
    reference cycle -- so ``try()`` and ``can()`` cannot catch it: it is the error of the expression around
    them too."""


class NotEvaluated(Exception):
    """A value tlspath does not compute (past the caps of :mod:`linter.limits`, or a construct it does not
    evaluate), met deep inside a function: the function's result is ``unknown``. Terraform raises no error
    there, so ``try()`` does not fall back on it."""

    def __init__(self, unknown: Unknown):
        super().__init__(unknown.reason)
        self.unknown = unknown


def described(value: Any) -> str:
    """A value as a message names it: a short scalar as written, anything else by what it is."""
    if value is None:
        return "null"
    if isinstance(value, Object):
        return "a whole resource or module object"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    text = known_str(value)
    if text is None:
        return "a value only known later" if isinstance(value, (Unknown, Reference, Interpolated)) else "a value"
    if isinstance(value, str):
        return f"'{text}'" if len(text) <= 40 else f"'{text[:37]}...'"
    return text


class Object:
    """Something read attribute by attribute: a resource instance, a module call's outputs."""

    def attribute(self, name: str) -> Any:
        raise NotImplementedError

    def model(self) -> Any:
        """What the object is when used as a whole value."""
        raise NotImplementedError


@dataclass(frozen=True)
class Encoded:
    """``jsonencode(x)`` / ``yamlencode(x)`` / ``base64encode(x)``: a string whose structure is kept, because an
    API ``body`` built with ``jsonencode({...})`` is read as the document it encodes, and a script encoded for
    user data is read as the script."""

    value: Any
    format: str  # a key of encoding.ENCODERS: "json", "yaml", "base64", ...
    sensitive: bool = False


class Located(dict):
    """An object or block whose keys remember where they were written (in ``file``): each key's line and
    column, and the object's own where a key has none."""

    file: str = ""
    line: int | None = None
    column: int | None = None
    key_places: dict[Any, Position]
    sensitive: bool = False

    def __init__(self, items: Any = (), file: str = "", place: Position = (None, None),
                 key_places: dict[Any, Position] | None = None):
        super().__init__(items)
        self.file, (self.line, self.column), self.key_places = file, place, dict(key_places or {})

    def location(self, key: Any) -> Location:
        return Location(self.file, *self.key_places.get(key, (self.line, self.column)))

    def like(self, items: Any) -> Located:
        """The same positions around other values."""
        return Located(items, self.file, (self.line, self.column), self.key_places)


class _Sourced:
    """A value that remembers where it was written (see :func:`sourced`), and whether it is sensitive."""

    origin: Location | None
    sensitive: bool = False

    def __new__(cls, value: Any, origin: Location | None) -> Any:
        instance = super().__new__(cls, value)  # type: ignore[call-arg]  # str/int/float, next in the MRO
        instance.origin = origin
        return instance


class SourcedText(_Sourced, str):
    """Text that remembers where it was written: a quoted string (its line), a heredoc or a file read whole
    (where its first line is, so a document decoded from it can point at its own lines)."""


class SourcedInt(_Sourced, int):
    """A whole number that remembers where it was written."""


class SourcedFloat(_Sourced, float):
    """A number with a fraction that remembers where it was written."""


_SOURCED = (SourcedText, SourcedInt, SourcedFloat)


def index_text(index: Any) -> str:
    """How an address writes an instance key: ``[0]`` for count, ``["a"]`` for for_each, nothing for one
    instance -- the same in HCL addresses, plan JSON and the fixes findings print."""
    if index is None:
        return ""
    return f"[{index}]" if isinstance(index, int) else f"[{json.dumps(index)}]"


def normalized(text: str) -> str:
    """A string as Terraform holds every string: in Unicode NFC (``cty.StringVal``), so é written as e and
    U+0301 is U+00E9 -- in a literal, a template's result, a file's text."""
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def sourced(value: Any, origin: Location | None) -> Any:
    """``value`` remembering where it was written, so that a finding about it can point at the line the user
    must edit -- a ``terraform.tfvars`` entry, a caller's module argument, a ``locals`` entry -- wherever the
    value travels. Strings and numbers can; ``true``, ``false`` and ``null`` cannot (their findings point at
    the argument that uses them)."""
    if origin is None or isinstance(value, (bool, *_SOURCED)):
        return value
    if isinstance(value, str):
        return SourcedText(value, origin)
    if isinstance(value, int):
        return SourcedInt(value, origin)
    if isinstance(value, float):
        return SourcedFloat(value, origin)
    return value


def relocated(value: Any, origin: Location, depth: int = 0) -> Any:
    """A value given as a whole from outside the files (``TF_VAR_``, ``--var``): every part of it comes from
    ``origin``."""
    if depth > 100:
        return value
    if isinstance(value, Located):
        return Located(((k, relocated(v, origin, depth + 1)) for k, v in value.items()), origin.file,
                       (origin.line, None), dict.fromkeys(value, (origin.line, None)))
    if isinstance(value, list):
        return [relocated(v, origin, depth + 1) for v in value]
    return sourced(_plain(value), origin)


def _plain(value: Any) -> Any:
    if isinstance(value, SourcedText):
        return str(value)
    if isinstance(value, SourcedInt):
        return int(value)
    if isinstance(value, SourcedFloat):
        return float(value)
    return value


@dataclass(frozen=True, slots=True)
class SourcedInterpolated(Interpolated):
    """A template result that still holds references, with the place its text came from."""

    origin: Location | None = None
    sensitive: bool = False


def origin_of(value: Any) -> Location | None:
    return getattr(value, "origin", None)


# ------------------------------------------------------------------------------------ sensitive values
#
# Terraform never shows a value computed from a sensitive one (a variable declared ``sensitive = true``, the
# result of ``sensitive()``); tlspath judges such values like any other and never prints them. A value
# computed from a sensitive one is marked where it is made -- text, numbers, lists, objects, templates,
# encodings; ``true``, ``false`` and ``null`` cannot carry a mark -- and its texts are collected
# (:func:`secret_texts`) for the run to hide wherever they would reach a message (:mod:`linter.sensitive`).


class SensitiveList(list):
    """A list computed from a sensitive value."""

    sensitive = True


def is_sensitive(value: Any) -> bool:
    """Whether a value is marked sensitive as a whole (either branch of an undecided choice counts)."""
    if isinstance(value, Choice):
        return is_sensitive(value.if_true) or is_sensitive(value.if_false)
    return getattr(value, "sensitive", False) is True


def mark(value: Any) -> Any:
    """``value`` marked sensitive; references, unknowns and objects hold no text of their own to hide."""
    if is_sensitive(value) or isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Choice):
        return Choice(value.condition, mark(value.if_true), mark(value.if_false))
    marked: Any = value
    if isinstance(value, str):
        marked = SourcedText(value, origin_of(value))
    elif isinstance(value, int):
        marked = SourcedInt(value, origin_of(value))
    elif isinstance(value, float):
        marked = SourcedFloat(value, origin_of(value))
    elif isinstance(value, Located):
        marked = value.like(value)
    elif isinstance(value, dict):
        marked = Located(value)
    elif isinstance(value, (list, tuple)):
        return SensitiveList(value)
    elif isinstance(value, Interpolated):
        return SourcedInterpolated(value.parts, origin_of(value), sensitive=True)
    elif isinstance(value, Encoded):
        return Encoded(value.value, value.format, sensitive=True)
    else:
        return value
    marked.sensitive = True
    return marked


def unmarked(value: Any) -> Any:
    """``value`` without its own mark (``nonsensitive()``); marks of the values inside it stay, as in
    Terraform."""
    if isinstance(value, Choice):
        return Choice(value.condition, unmarked(value.if_true), unmarked(value.if_false))
    if not is_sensitive(value):
        return value
    if isinstance(value, _SOURCED):
        return sourced(_plain(value), value.origin)
    if isinstance(value, Located):
        return value.like(value)
    if isinstance(value, SensitiveList):
        return list(value)
    if isinstance(value, SourcedInterpolated):
        return SourcedInterpolated(value.parts, value.origin)
    if isinstance(value, Encoded):
        return Encoded(value.value, value.format)
    return value


def secret_texts(value: Any, depth: int = 0) -> Iterator[str]:
    """The texts of a sensitive value that a message could show: its strings and numbers at any depth (a
    map's keys are names, as the attributes of an object are). The written text around the opaque parts of a template is the files' own, not the
    value's: the pieces that came from the value are collected where they were computed."""
    if depth > 100:
        return
    if isinstance(value, str) and not isinstance(value, bool):
        if value:
            yield str(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = known_str(_plain(value))
        if text is not None:
            yield text
    elif isinstance(value, dict):
        for item in value.values():
            yield from secret_texts(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from secret_texts(item, depth + 1)
    elif isinstance(value, Choice):
        yield from secret_texts(value.if_true, depth + 1)
        yield from secret_texts(value.if_false, depth + 1)
    elif isinstance(value, Encoded):
        yield from secret_texts(value.value, depth + 1)
        yield from secret_texts(encode(value), depth + 1)


def pending(value: Any) -> Unknown | None:
    """Why a value cannot be used where a known value is needed (``None`` when it can). What is computed from
    it is no longer the input itself, so the unknown returned is :meth:`~linter.model.Unknown.derived`."""
    if isinstance(value, Unknown):
        return value.derived()
    if isinstance(value, Reference):
        return Unknown(f"{value.name}.{value.attribute} is only known after apply")
    if isinstance(value, Interpolated):
        gap = first_unknown(value)
        return gap.derived() if gap is not None else Unknown(f"'{value}' is only known after apply")
    if isinstance(value, Choice):
        return Unknown(f"the value depends on an undecided condition ({value.condition})")
    if isinstance(value, Object):
        return None
    return None


VALUE_TOO_LARGE = too_large("a value of more than 16 MiB (its shared parts counted each time they are used)")


def to_model(value: Any) -> Any:
    """The model form of an evaluated value: no objects, no encodings, no sourced subclasses. A value whose
    expanded form is past :data:`~linter.limits.MAX_WEIGHT` is too large: its shared parts would be copied
    each time they are used."""
    if weight(value, {}) > MAX_WEIGHT:
        return VALUE_TOO_LARGE
    return _to_model(value, 0)


def _to_model(value: Any, depth: int) -> Any:
    if depth > 100:
        return Unknown("the value is nested too deeply")
    if isinstance(value, Object):
        return value.model()
    if isinstance(value, Encoded):
        return encode(value)
    if isinstance(value, _SOURCED):
        return _plain(value)
    if isinstance(value, SourcedInterpolated):
        return Interpolated(value.parts)
    if isinstance(value, Choice):
        return Choice(value.condition, _to_model(value.if_true, depth + 1), _to_model(value.if_false, depth + 1))
    if isinstance(value, Located):
        return value.like((k, _to_model(v, depth + 1)) for k, v in value.items())
    if isinstance(value, dict):
        return {k: _to_model(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_model(v, depth + 1) for v in value]
    return value


ENTRY = 32  # what one element of a list or map weighs (about the bytes it takes); a character weighs 1


def weight(value: Any, memo: dict[int, tuple[Any, int]], cap: int = MAX_WEIGHT, depth: int = 0) -> int:
    """The size of a value as its consumers see it: every element and character, with a part that is used
    several times (``[local.a, local.a]``) counted each time -- but measured once, so the cost of measuring
    is the value's own size, not its expanded one. Past ``cap`` the answer is ``cap + 1``. ``memo`` (by id,
    keeping each measured value alive) may be shared by the measurements of one evaluation."""
    if isinstance(value, str):
        return ENTRY + len(value)
    if not isinstance(value, (list, tuple, dict, Choice, Interpolated, Encoded)):
        return ENTRY
    known = memo.get(id(value))
    if known is not None:
        return known[1]
    total = ENTRY if depth <= 200 else cap + 1
    for key, child in _children(value) if total <= cap else ():
        total += len(key) + weight(child, memo, cap, depth + 1)
        if total > cap:
            total = cap + 1
            break
    memo[id(value)] = (value, total)
    return total


def _children(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        yield from ((str(k), v) for k, v in value.items())
    elif isinstance(value, Choice):
        yield from (("", value.if_true), ("", value.if_false))
    elif isinstance(value, Interpolated):
        yield from (("", part) for part in value.parts)
    elif isinstance(value, Encoded):
        yield "", value.value
    else:
        yield from (("", item) for item in value)


def encode(value: Encoded) -> Any:
    """The text ``jsonencode``/``yamlencode`` produce, when every value inside is known (and the text would
    not be past :data:`~linter.limits.MAX_TEXT`)."""
    if weight(value.value, {}, MAX_TEXT) > MAX_TEXT:
        return TEXT_TOO_LARGE
    plain = _to_model(value.value, 0)
    gap = first_gap(plain)
    if gap is not None:
        return gap
    from linter.parse.terraform.encoding import ENCODERS

    try:
        return ENCODERS[value.format](plain)
    except NotEvaluated as unwritten:
        return unwritten.unknown


def first_gap(value: Any, depth: int = 0) -> Unknown | None:
    """The first thing inside a model value (at any depth) that is not known."""
    if depth > 100:
        return Unknown("the value is nested too deeply")
    gap = pending(value)
    if gap is not None:
        return gap
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((g for g in (first_gap(v, depth + 1) for v in items) if g is not None), None)
