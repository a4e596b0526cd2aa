"""``Fn::ForEach`` (``Transform: AWS::LanguageExtensions``), expanded as CloudFormation expands it.

``"Fn::ForEach::Loop": [Identifier, Collection, {OutputKey: OutputValue}]`` stands for one copy of the fragment
per item of the collection: ``${Identifier}`` and ``&{Identifier}`` (the item without its non-alphanumeric
characters) are replaced in every key of the fragment and in ``Fn::Sub`` strings, and ``Ref: Identifier`` is the
item (the rules cfn-lint's language-extension transform follows too). Loops nest, and a loop may stand in any
mapping of a resource. The collection is a list written out or a value evaluation gives (a
``CommaDelimitedList`` parameter); when it is only known at deploy time, the loop is not expanded and says why,
so the resources it makes are reported as unchecked, never silently absent.

Copies share every node the loop does not change, and each node visited spends the template's evaluation
budget (:mod:`linter.limits`): a huge collection, or loops over loops, end in an unexpanded loop, never a hang.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from linter.limits import EXHAUSTED, EXHAUSTED_SUPPLY, Budget
from linter.model import Unknown, first_unknown, known_str
from linter.parse.documents import MarkedDict, MarkedList, MarkedStr, Position, position

LOOP = "Fn::ForEach::"
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]+")
_MAX_DEPTH = 100


@dataclass(frozen=True)
class Unexpanded:
    """A loop the files do not let tlspath expand: its name, where it is written, why, and the resource
    types its fragment makes (so a loop of buckets need not be reported by a linter of TLS paths)."""

    loop: str
    position: Position
    unknown: Unknown
    makes: frozenset[str]


class _Stop(Exception):
    """A loop that cannot be expanded: unwinds to the entry of Resources that holds it."""

    def __init__(self, unknown: Unknown, whole: bool = False):
        super().__init__(unknown.reason)
        self.unknown = unknown
        self.loop: Any = None  # the innermost loop it stopped, set as it leaves that loop
        self.whole = whole  # the entry as a whole is too much (the budget, nesting): reported at its top


class Expansion:
    """Expands the loops of one template. ``collection(node)`` evaluates a loop's collection (its parameters,
    mappings ...); ``budget`` is the template's evaluation budget."""

    def __init__(self, collection: Callable[[Any], Any], budget: Budget):
        self._collection = collection
        self._budget = budget
        self.unexpanded: list[Unexpanded] = []

    def section(self, entries: dict) -> dict:
        """A section (``Resources``, ``Outputs``) with every loop expanded. An entry holding a loop that cannot
        be -- a loop of resources, or a resource with a loop in its properties -- is left out and recorded in
        :attr:`unexpanded`."""
        if not _has_loop(entries):
            return entries
        out: dict = {}
        for key, value in entries.items():
            if not isinstance(key, str) or not (key.startswith(LOOP) or _has_loop(value)):
                out[key] = value  # nothing to expand: no budget spent on it
                continue
            try:
                for made, declaration in self._mapping(MarkedDict({key: value}), {}, 0).items():
                    if made in out:
                        raise _Stop(Unknown(f"'{made}' is made more than once, which CloudFormation rejects",
                                            "make each key a loop makes unique (use the identifier in it)"))
                    out[made] = declaration
            except _Stop as stop:
                loop = key if stop.whole else stop.loop or key
                self.unexpanded.append(Unexpanded(str(loop), position(loop), stop.unknown,
                                                  frozenset(_types({key: value}))))
        return _marked(MarkedDict(out), entries)

    def _walk(self, node: Any, bound: dict[str, str], depth: int) -> Any:
        if not self._budget.spend():
            raise _spent()
        if depth > _MAX_DEPTH:
            raise _Stop(Unknown(f"Fn::ForEach is nested deeper than {_MAX_DEPTH} levels",
                                "nest fewer loops and values"), whole=True)
        if isinstance(node, dict):
            return self._mapping(node, bound, depth)
        if isinstance(node, list):
            items = [self._walk(item, bound, depth + 1) for item in node]
            return node if all(a is b for a, b in zip(items, node)) else _marked(MarkedList(items), node)
        return node

    def _mapping(self, node: dict, bound: dict[str, str], depth: int) -> Any:
        if bound and len(node) == 1:
            (function, argument), = node.items()
            if function == "Ref" and isinstance(argument, str) and argument in bound:
                return _as_written(bound[argument], argument)
            if function == "Fn::Sub":
                return _sub(node, argument, bound, lambda value: self._walk(value, bound, depth + 1))
        out: dict = {}
        changed = False
        for key, value in node.items():
            if isinstance(key, str) and key.startswith(LOOP):
                changed = True
                for made, copy in self._copies(key, value, bound, depth):
                    if made in out:
                        raise _Stop(Unknown(f"{key} makes '{made}' more than once, which CloudFormation rejects",
                                            "make each key the loop makes unique (use the identifier in it)"))
                    out[made] = copy
                continue
            new_key = _replaced(key, bound) if isinstance(key, str) else key
            new_value = self._walk(value, bound, depth + 1)
            changed = changed or new_key is not key or new_value is not value
            out[new_key] = new_value
        return _marked(MarkedDict(out), node) if changed else node

    def _copies(self, loop: str, arguments: Any, bound: dict[str, str], depth: int) -> Iterator[tuple[Any, Any]]:
        """The keys and values one loop makes (its identifier bound to each item in turn)."""
        try:
            if not (isinstance(arguments, list) and len(arguments) == 3 and isinstance(arguments[0], str)
                    and isinstance(arguments[2], dict)):
                raise _Stop(Unknown(f"malformed {loop}: it takes an identifier, a collection and a mapping of "
                                    "what to make", "write it as [Identifier, [Value1, Value2], "
                                    "{Key${Identifier}: value}]"))
            identifier, collection, fragment = arguments
            for item in self._items(self._walk(collection, bound, depth + 1)):
                yield from self._walk(fragment, {**bound, identifier: item}, depth + 1).items()
        except _Stop as stop:
            stop.loop = stop.loop or loop
            raise

    def _items(self, collection: Any) -> list[str]:
        """The collection's items as text, once evaluated (a list written out, a parameter, a mapping entry)."""
        value = self._collection(collection)
        if self._budget.spent:
            raise _spent()
        if isinstance(value, list):
            items = [known_str(item) for item in value]
            if None not in items:
                return [str(item) for item in items]
            value = next(item for item in value if known_str(item) is None)
        gap = value if isinstance(value, Unknown) else first_unknown(value)
        if gap is None:
            raise _Stop(Unknown("its collection is not a list of values",
                                "give it a list of values, or a CommaDelimitedList parameter"))
        raise _Stop(Unknown(f"its collection is only known at deploy time ({gap.reason})", gap.supply))


def _spent() -> _Stop:
    """The template's evaluation budget is spent: the entry being expanded, as a whole, is not."""
    return _Stop(Unknown(EXHAUSTED, EXHAUSTED_SUPPLY), whole=True)


def _has_loop(node: Any) -> bool:
    """Whether a loop is written anywhere under ``node`` (most templates have none: they are left as they are)."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, dict):
            if any(isinstance(key, str) and key.startswith(LOOP) for key in current):
                return True
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)
    return False


def _types(entries: dict, depth: int = 0) -> Iterator[str]:
    """The resource types an entry of Resources declares, through the loops it holds."""
    for key, value in entries.items():
        if isinstance(key, str) and key.startswith(LOOP) and isinstance(value, list) and len(value) == 3 \
                and isinstance(value[2], dict) and depth < _MAX_DEPTH:
            yield from _types(value[2], depth + 1)
        elif isinstance(value, dict) and isinstance(value.get("Type"), str):
            yield value["Type"]


def _sub(node: dict, argument: Any, bound: dict[str, str], walk: Callable[[Any], Any]) -> Any:
    """``Fn::Sub`` with the loop's identifiers put in; a text left without a variable is that text."""
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
        text, variables = _replaced(argument[0], bound), walk(argument[1])
        if text is argument[0] and variables is argument[1]:
            return node
        return _marked(MarkedDict({"Fn::Sub": _marked(MarkedList([text, variables]), argument)}), node)
    if not isinstance(argument, str):
        return node
    text = _replaced(argument, bound)
    if text is argument:
        return node
    return text if "${" not in text else _marked(MarkedDict({"Fn::Sub": text}), node)


def _replaced(text: str, bound: dict[str, str]) -> str:
    """``text`` with ``${Identifier}`` and ``&{Identifier}`` replaced, keeping its marks (``text`` itself when
    it names no identifier)."""
    new = str(text)
    for name, item in bound.items():
        new = new.replace("${" + name + "}", item).replace("&{" + name + "}", _NOT_ALPHANUMERIC.sub("", item))
    return text if new == text else _as_written(new, text)


def _as_written(value: str, where: Any) -> str:
    """``value`` carrying the marks of the node it stands for: its lines are the file's (an item is one line),
    though past a replaced identifier not every column is."""
    text = _marked(MarkedStr(value), where)
    text.block, text.indent = getattr(where, "block", False), getattr(where, "indent", None)
    return text


def _marked(node: Any, like: Any) -> Any:
    node.start_mark, node.end_mark = getattr(like, "start_mark", None), getattr(like, "end_mark", None)
    return node
