"""Undecided conditions: how a value that depends on one is built, and how a walk settles it.

A condition the files do not decide (a CloudFormation ``Condition`` on a parameter without default, a
Terraform ``count`` on a variable without value) is carried as a :class:`~linter.model.Choice`. Front ends
build such values with :func:`branch_over` (and :func:`concat` for strings), which lift every choice to the
top and give up past :data:`MAX_CHOICES` conditions. The walk then settles them with :func:`settle` and
:func:`variants`: once per consistent set of assumptions, at most :data:`MAX_VARIANTS` times, so every path
says which assumptions it stands on.

Condition names are not independent: ``NotProd`` is ``!Not [!Condition IsProd]``, ``IsDev`` and ``IsProd``
test the same parameter. Front ends say what each name stands for (``Model.conditions``: a formula over
inputs); :class:`Relations` keeps only the :class:`Assumptions` that can hold together, states a path's
assumptions minimally in the user's condition names, and states the cases a finding holds in as simply as
they allow (a problem found whichever way a condition goes holds unconditionally).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from linter.limits import MAX_ITEMS, MAX_TEXT
from linter.model import (
    AllOf,
    AnyOf,
    CertificateFacts,
    Choice,
    Formula,
    Interpolated,
    Is,
    Not,
    Reference,
    Resource,
    Unknown,
    Value,
    define,
    known_str,
    opaque,
)

MAX_CHOICES = 6  # undecided conditions one value may branch on before it is given up as unknown
MAX_VARIANTS = 64  # paths one integration may fork into (and variants one resource may settle into)
MAX_SEARCH = 20_000  # input assignments one consistency question may try before it is taken as consistent

Case = tuple[tuple[str, bool], ...]  # condition names assumed true or false, sorted: "IsProd=true, UseTls=false"
R = TypeVar("R", bound=Resource)


# ------------------------------------------------------------------------------------------ building


def branch_over(values: list[Value], function: Callable[[list[Any]], Value],
                decided: dict[str, bool] | None = None) -> Value:
    """Apply ``function`` to the values once per combination of the undecided choices among them, as a
    :class:`Choice` tree; a condition met twice is decided once. Combining choices that depend on more than
    :data:`MAX_CHOICES` conditions would grow exponentially: then each choice is one unknown part and the
    function is applied once, so what the other parts say still holds (``https://`` + seven conditional labels
    is an https URI whose host is unknown) and the walk does not fork on conditions it cannot follow."""
    if not decided and sum(isinstance(value, Choice) for value in values) > 1:
        conditions = list(dict.fromkeys(itertools.chain.from_iterable(map(_conditions_of, values))))
        if len(conditions) > MAX_CHOICES:
            unknown = _too_many(conditions)
            return function([unknown if isinstance(value, Choice) else value for value in values])
    decided = decided or {}
    for position, value in enumerate(values):
        if isinstance(value, Choice):
            head, tail = values[:position], values[position + 1:]
            if value.condition in decided:
                branch = value.if_true if decided[value.condition] else value.if_false
                return branch_over([*head, branch, *tail], function, decided)
            if len(decided) >= MAX_CHOICES:
                return _too_many(list(decided))
            return Choice(value.condition,
                          branch_over([*head, value.if_true, *tail], function, {**decided, value.condition: True}),
                          branch_over([*head, value.if_false, *tail], function, {**decided, value.condition: False}))
    return function(values)


def branches(value: object) -> Iterator[object]:
    """Every value a choice may settle to."""
    if isinstance(value, Choice):
        yield from branches(value.if_true)
        yield from branches(value.if_false)
    else:
        yield value


def _kind(value: Value) -> str:
    """What a value that is no text is, in words every front end's users know."""
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, int):
        return "a number too long to write out"
    return "a whole object"


def _conditions_of(value: Value) -> Iterator[str]:
    """The conditions a choice tree branches on."""
    if isinstance(value, Choice):
        yield value.condition
        yield from _conditions_of(value.if_true)
        yield from _conditions_of(value.if_false)


def _too_many(conditions: list[str]) -> Unknown:
    named = ", ".join(conditions[:4]) + (", ..." if len(conditions) > 4 else "")
    return Unknown(f"the value depends on {len(conditions)} undecided conditions ({named}), more than tlspath "
                   f"follows at once ({MAX_CHOICES})",
                   "decide some of them: a parameter Default, a variable value (.tfvars or --var)")


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
            items.append(text if text is not None else Unknown(f"{_kind(part)} cannot be part of a string"))
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
    if len(pieces) == 1:  # a string that is one value and nothing else is that value ("${Nlb.Arn}")
        return str(pieces[0]) if isinstance(pieces[0], str) else pieces[0]
    return Interpolated(tuple(pieces))


# ------------------------------------------------------------------------------------------ relating


class Relations:
    """What every undecided condition of a run stands for, and which assumptions about them hold together.

    A name two sources define differently (``IsProd`` of two templates) is related to nothing: it stays an
    input of its own, as an unknown name is.
    """

    def __init__(self, tables: Iterable[Mapping[str, Formula]] = ()):
        self._formulas: dict[str, Formula] = {}
        for table in tables:
            for name, formula in table.items():
                define(self._formulas, name, formula)
        self._answers: dict[frozenset[tuple[str, bool]], bool] = {}
        self._minimal: dict[frozenset[tuple[str, bool]], Case] = {}  # every path on one stage asks the same

    def formula(self, name: str) -> Formula:
        return self._formulas[name] if name in self._formulas else opaque(name)

    def literal(self, name: str, truth: bool) -> Formula:
        formula = self.formula(name)
        return formula if truth else Not(formula)

    def consistent(self, truths: Mapping[str, bool]) -> bool:
        """Whether the conditions can have these truths at once (some value for every input satisfies them)."""
        key = frozenset(truths.items())
        if key not in self._answers:
            self._answers[key] = satisfiable([self.literal(name, truth) for name, truth in key])
        return self._answers[key]

    def minimal(self, truths: Mapping[str, bool]) -> Case:
        """Assumptions that mean exactly the truths, as few and as plain as they allow: a condition that
        tests one input (``IsProd``, ``var.tls``) and follows from the truths may state them, and the
        derived conditions (``NotProd``, ``var.lb && !(var.tls)``) and the false ones go first when they
        follow from the rest."""
        key = frozenset(truths.items())
        if key not in self._minimal:
            self._minimal[key] = self._fewest(truths)
        return self._minimal[key]

    def _fewest(self, truths: Mapping[str, bool]) -> Case:
        kept = {**self._plain_consequences(truths), **truths}
        for name, truth in sorted(kept.items(), key=lambda item: (-_size(self.formula(item[0])), item[1], item[0])):
            rest = {n: t for n, t in kept.items() if n != name}
            if not satisfiable([*(self.literal(n, t) for n, t in rest.items()), self.literal(name, not truth)]):
                kept = rest
        return tuple(sorted(kept.items()))

    def _plain_consequences(self, truths: Mapping[str, bool]) -> dict[str, bool]:
        """The conditions that test one input the truths are about, with the truth the truths give them."""
        inputs = {test.input for name in truths for test in _tests(self.formula(name))}
        given = [self.literal(name, truth) for name, truth in truths.items()]
        found: dict[str, bool] = {}
        for name, formula in self._formulas.items():
            if name in truths or not isinstance(formula, Is) or formula.input not in inputs:
                continue
            for truth in (True, False):
                if not satisfiable([*given, self.literal(name, not truth)]):
                    found[name] = truth
        return found

    def simplest(self, cases: Iterable[Mapping[str, bool]]) -> list[Case]:
        """The cases a finding holds in, stated as simply as they allow: each case loses the assumptions the
        whole does not need (``A=true, B=true`` or ``A=true, B=false`` is ``A=true``; a problem found
        whichever way ``A`` goes holds unconditionally: ``[()]``), and a case another one covers is dropped."""
        distinct = list(dict.fromkeys(tuple(sorted(case.items())) for case in cases))
        whole = AnyOf(tuple(AllOf(tuple(self.literal(n, t) for n, t in case)) for case in distinct))
        widened = []
        for case in distinct:
            kept = dict(case)
            for name, _ in case:
                rest = {n: t for n, t in kept.items() if n != name}
                if not satisfiable([*(self.literal(n, t) for n, t in rest.items()), Not(whole)]):
                    kept = rest
            widened.append(self.minimal(kept))
        simplest: list[Case] = []
        for case in sorted(dict.fromkeys(widened), key=lambda c: (len(c), sum(_size(self.formula(n)) for n, _ in c))):
            if not any(self._covers(kept, case) for kept in simplest):
                simplest = [kept for kept in simplest if not self._covers(case, kept)] + [case]
        return simplest

    def _covers(self, wider: Case, narrower: Case) -> bool:
        """Whether every way ``narrower`` can hold, ``wider`` holds too."""
        return not satisfiable([*(self.literal(n, t) for n, t in narrower),
                                Not(AllOf(tuple(self.literal(n, t) for n, t in wider)))])


@dataclass(frozen=True)
class Assumptions:
    """The truths of the undecided conditions a walk has assumed so far -- never a set that cannot hold."""

    relations: Relations
    truths: Mapping[str, bool] = dataclasses.field(default_factory=dict)

    def get(self, name: str) -> bool | None:
        return self.truths.get(name)

    def assume(self, name: str, truth: bool) -> Assumptions | None:
        """These assumptions and ``name=truth``; ``None`` when that cannot hold with them."""
        if name in self.truths:
            return self if self.truths[name] == truth else None
        extended = {**self.truths, name: truth}
        return Assumptions(self.relations, extended) if self.relations.consistent(extended) else None

    def entails(self, other: Assumptions) -> bool:
        """Whether ``other`` follows from these assumptions (it adds nothing they leave open)."""
        return all(self.relations.consistent({**self.truths, name: truth})
                   and not self.relations.consistent({**self.truths, name: not truth})
                   for name, truth in other.truths.items() if self.truths.get(name) != truth)

    def stated(self) -> Case:
        """The assumptions as a finding states them: the fewest that imply the rest."""
        return self.relations.minimal(self.truths)


def satisfiable(formulas: list[Formula]) -> bool:
    """Whether some value of every input makes all the formulas true. Each input takes one of the values the
    formulas test it against, or any other value its domain leaves (so ``Env=prod`` and ``Env=dev`` exclude
    each other, ``Env`` with ``AllowedValues: [prod, dev]`` not being ``prod`` is ``dev``). Past
    :data:`MAX_SEARCH` tries the answer is "yes": a path is never dropped on a question left open."""
    candidates = _candidates(formulas)
    order = sorted(candidates, key=lambda name: len(candidates[name]))
    budget = [MAX_SEARCH]

    def search(index: int, assignment: dict[str, str | None]) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return True
        truths = [_truth(formula, assignment) for formula in formulas]
        if False in truths:
            return False
        if None not in truths:
            return True
        name = order[index]  # some formula still depends on an input: one is left to assign
        return any(search(index + 1, {**assignment, name: value}) for value in candidates[name])

    return search(0, {})


_OTHER = None  # an input's value that none of the formulas tests it against


def _candidates(formulas: list[Formula]) -> dict[str, list[str | None]]:
    tested: dict[str, set[str]] = {}
    domains: dict[str, set[str]] = {}
    for test in itertools.chain.from_iterable(map(_tests, formulas)):
        tested.setdefault(test.input, set()).add(test.value)
        if test.domain:
            domains[test.input] = domains.get(test.input, set(test.domain)) & set(test.domain)
    candidates: dict[str, list[str | None]] = {}
    for name, values in tested.items():
        domain = domains.get(name)
        if domain is None:
            candidates[name] = [*sorted(values), _OTHER]
        else:
            candidates[name] = [*sorted(values & domain), *([_OTHER] if domain - values else [])]
    return candidates


def _tests(formula: Formula) -> Iterator[Is]:
    if isinstance(formula, Is):
        yield formula
    elif isinstance(formula, Not):
        yield from _tests(formula.operand)
    elif isinstance(formula, (AllOf, AnyOf)):
        for operand in formula.operands:
            yield from _tests(operand)


def _truth(formula: Formula, assignment: Mapping[str, str | None]) -> bool | None:
    """The formula's truth under a partial assignment of inputs; ``None`` while it depends on the rest."""
    if isinstance(formula, bool):
        return formula
    if isinstance(formula, Is):
        return None if formula.input not in assignment else assignment[formula.input] == formula.value
    if isinstance(formula, Not):
        inner = _truth(formula.operand, assignment)
        return None if inner is None else not inner
    decisive = isinstance(formula, AnyOf)  # True decides an AnyOf, False an AllOf
    truths = [_truth(operand, assignment) for operand in formula.operands]
    if decisive in truths:
        return decisive
    return None if None in truths else not decisive


def _size(formula: Formula) -> int:
    if isinstance(formula, Not):
        return 1 + _size(formula.operand)
    if isinstance(formula, (AllOf, AnyOf)):
        return 1 + sum(map(_size, formula.operands))
    return 1


# ------------------------------------------------------------------------------------------ settling


def settle(value: Any, assumptions: Assumptions) -> Iterator[tuple[Any, Assumptions]]:
    """Every concrete form of a value under the assumptions, extending them where a choice is undecided."""
    if isinstance(value, Choice):
        for branch, truth in ((value.if_true, True), (value.if_false, False)):
            extended = assumptions.assume(value.condition, truth)
            if extended is not None:
                yield from settle(branch, extended)
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
    :data:`MAX_VARIANTS`); none when the assumptions rule out the resource's own condition."""
    if resource.condition is not None:
        present = assumptions.assume(resource.condition, True)
        if present is None:
            return
        assumptions = present
    names = [f.name for f in dataclasses.fields(resource) if f.name not in _BASE_FIELDS]
    values = [getattr(resource, n) for n in names]
    if not any(_has_choice(v) for v in values):
        yield resource, assumptions
        return
    for count, (settled_values, settled) in enumerate(_settle_sequence(values, assumptions, list)):
        if count >= MAX_VARIANTS:
            return
        yield dataclasses.replace(resource, **dict(zip(names, settled_values))), settled
