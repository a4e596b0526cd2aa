"""Undecided conditions: how a value that depends on one is built, and how a walk settles it.

A condition the files do not decide (a CloudFormation ``Condition`` on a parameter without default, a
Terraform ``count`` on a variable without value) is carried as a :class:`~linter.model.Choice`. Front ends
build such values with :func:`branch_over` (and :func:`concat` for strings), which lift every choice to the
top and give up past :data:`MAX_CHOICES` conditions. The walk then settles them with :func:`settle` and
:func:`variants`: once per consistent set of assumptions, at most :data:`MAX_VARIANTS` times, so every path
says which assumptions it stands on.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from linter.limits import MAX_ITEMS, MAX_TEXT
from linter.model import CertificateFacts, Choice, Interpolated, Reference, Resource, Unknown, Value, known_str

MAX_CHOICES = 6  # undecided conditions one value may branch on before it is given up as unknown
MAX_VARIANTS = 64  # paths one integration may fork into (and variants one resource may settle into)

Assumptions = dict[str, bool]
R = TypeVar("R", bound=Resource)


# ------------------------------------------------------------------------------------------ building


def branch_over(values: list[Value], function: Callable[[list[Any]], Value],
                decided: dict[str, bool] | None = None) -> Value:
    """Apply ``function`` to the values once per combination of the undecided choices among them, as a
    :class:`Choice` tree; a condition met twice is decided once, and past :data:`MAX_CHOICES` conditions the
    value is unknown (so a string built from many conditional parts cannot grow exponentially)."""
    decided = decided or {}
    for position, value in enumerate(values):
        if isinstance(value, Choice):
            head, tail = values[:position], values[position + 1:]
            if value.condition in decided:
                branch = value.if_true if decided[value.condition] else value.if_false
                return branch_over([*head, branch, *tail], function, decided)
            if len(decided) >= MAX_CHOICES:
                return Unknown("the value depends on too many undecided conditions to follow")
            return Choice(value.condition,
                          branch_over([*head, value.if_true, *tail], function, {**decided, value.condition: True}),
                          branch_over([*head, value.if_false, *tail], function, {**decided, value.condition: False}))
    return function(values)


def too_large(what: str) -> Unknown:
    """The value of something evaluation would have to build past the caps of :mod:`linter.limits`."""
    return Unknown(f"too large: {what} is larger than tlspath evaluates",
                   "write the value directly, or split what builds it")


TEXT_TOO_LARGE = too_large(f"a string of more than {MAX_TEXT:,} characters (or {MAX_ITEMS:,} computed parts)")


def concat(parts: list[Value] | tuple[Value, ...]) -> Value:
    """Join values into one string value: a plain ``str`` when every part is known, an
    :class:`Interpolated` when some are references or unknowns, a :class:`Choice` lifted to the top when a
    part depends on an undecided condition (so consumers never find a choice inside a string). A string
    past :data:`~linter.limits.MAX_TEXT` is :data:`TEXT_TOO_LARGE`, decided before it is built."""
    return branch_over(list(parts), _concat_settled)


def _concat_settled(parts: list[Value]) -> Value:
    items: list[str | Reference | Unknown] = []
    for part in parts:
        if part is TEXT_TOO_LARGE:
            return part
        if isinstance(part, Interpolated):
            items.extend(part.parts)
        elif isinstance(part, (Reference, Unknown)):
            items.append(part)
        elif part is not None:
            text = known_str(part)
            items.append(text if text is not None else Unknown(f"a {type(part).__name__} cannot be part of a string"))
    texts = [item for item in items if isinstance(item, str)]
    if sum(map(len, texts)) > MAX_TEXT or len(items) - len(texts) > MAX_ITEMS:
        return TEXT_TOO_LARGE
    pieces: list[str | Reference | Unknown] = []
    for is_text, group in itertools.groupby(items, key=lambda item: isinstance(item, str)):
        if is_text:  # adjacent literal text, joined once (adding it piece by piece is quadratic)
            text = "".join(group)  # type: ignore[arg-type]
            pieces.extend([text] if text else [])
        else:
            pieces.extend(group)
    if not pieces:
        return ""
    if len(pieces) == 1 and isinstance(pieces[0], str):
        return str(pieces[0])
    return Interpolated(tuple(pieces))


# ------------------------------------------------------------------------------------------ settling


def settle(value: Any, assumptions: Assumptions) -> Iterator[tuple[Any, Assumptions]]:
    """Every concrete form of a value under the assumptions, extending them where a choice is undecided."""
    if isinstance(value, Choice):
        decided = assumptions.get(value.condition)
        for branch, truth in ((value.if_true, True), (value.if_false, False)):
            if decided is None or decided == truth:
                yield from settle(branch, {**assumptions, value.condition: truth})
    elif isinstance(value, (tuple, list)):
        yield from _settle_sequence(list(value), assumptions, type(value))
    elif isinstance(value, CertificateFacts):
        names = [f.name for f in dataclasses.fields(value)]
        for items, settled in _settle_sequence([getattr(value, n) for n in names], assumptions, list):
            yield dataclasses.replace(value, **dict(zip(names, items))), settled
    else:
        yield value, assumptions


def _settle_sequence(items: list[Any], assumptions: Assumptions, kind: type) -> Iterator[tuple[Any, Assumptions]]:
    if not any(_has_choice(item) for item in items):
        yield kind(items) if kind is not list else items, assumptions
        return
    index = next(i for i, item in enumerate(items) if _has_choice(item))
    for head, settled in settle(items[index], assumptions):
        yield from _settle_sequence([*items[:index], head, *items[index + 1:]], settled, kind)


def _has_choice(value: Any) -> bool:
    if isinstance(value, Choice):
        return True
    if isinstance(value, (tuple, list)):
        return any(_has_choice(v) for v in value)
    if isinstance(value, CertificateFacts):
        return any(_has_choice(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


_BASE_FIELDS = {f.name for f in dataclasses.fields(Resource)}


def variants(resource: R, assumptions: Assumptions) -> Iterator[tuple[R, Assumptions]]:
    """The resource with every undecided choice settled, once per consistent set of assumptions (at most
    :data:`MAX_VARIANTS`); none when the resource's own condition is assumed false."""
    if resource.condition is not None:
        if assumptions.get(resource.condition) is False:
            return
        assumptions = {**assumptions, resource.condition: True}
    names = [f.name for f in dataclasses.fields(resource) if f.name not in _BASE_FIELDS]
    values = [getattr(resource, n) for n in names]
    if not any(_has_choice(v) for v in values):
        yield resource, assumptions
        return
    for count, (settled_values, settled) in enumerate(_settle_sequence(values, assumptions, list)):
        if count >= MAX_VARIANTS:
            return
        yield dataclasses.replace(resource, **dict(zip(names, settled_values))), settled
