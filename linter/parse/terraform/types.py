"""Variable type constraints, applied as Terraform applies them to every variable value.

Module code relies on the conversion: with ``type = object({ connection_type = optional(string) })`` an
input that leaves the attribute out still has it (as null, or the ``optional()`` default), so
``each.value.connection_type`` is null rather than an error -- and a ``try()`` around it must not take its
fallback. Numbers and bools given as strings (``--var port=443``) become numbers and bools the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.model import Choice, known_bool
from linter.parse.terraform.hcl import name_of, subtrees, tokens
from linter.parse.terraform import numbers
from linter.parse.terraform.values import EvalError, Located, NotEvaluated, pending

if TYPE_CHECKING:
    from lark import Tree

    from linter.parse.terraform.evaluate import Evaluator, Scope


@dataclass(frozen=True)
class Attribute:
    type: Type
    optional: bool = False
    default: Any = None  # the default expression of optional(T, default)


@dataclass(frozen=True)
class Collection:
    kind: str  # list | set | map
    element: Type


@dataclass(frozen=True)
class Structure:
    kind: str  # object | tuple
    attributes: dict[str, Attribute] | None = None
    elements: tuple[Type, ...] = ()


Type = str | Collection | Structure  # str: string | number | bool | any


def parse_type(node: Tree, depth: int = 0) -> Type:
    """A type constraint expression as a structure (``any`` for what is not understood)."""
    node = _inner(node)
    if depth > 30:
        return "any"
    if node.data == "identifier":
        name = name_of(node)
        return name if name in ("string", "number", "bool") else "any"
    if node.data != "function_call":
        return "any"
    parts = subtrees(node)
    function = name_of(parts[0])
    arguments = next((p for p in parts if p.data == "arguments"), None)
    args = subtrees(arguments) if arguments is not None else []
    if function in ("list", "set", "map") and args:
        return Collection(function, parse_type(args[0], depth + 1))
    if function == "tuple" and args and _inner(args[0]).data == "tuple":
        return Structure("tuple", elements=tuple(parse_type(e, depth + 1) for e in subtrees(_inner(args[0]))))
    if function == "object" and args and _inner(args[0]).data == "object":
        attributes = {}
        for element in subtrees(_inner(args[0])):
            key, value = subtrees(element)
            attributes[name_of(_key_name(key))] = _attribute(value, depth + 1)
        return Structure("object", attributes=attributes)
    return "any"


def _attribute(node: Tree, depth: int) -> Attribute:
    inner = _inner(node)
    if inner.data == "function_call" and name_of(subtrees(inner)[0]) == "optional":
        arguments = next((p for p in subtrees(inner) if p.data == "arguments"), None)
        args = subtrees(arguments) if arguments is not None else []
        if args:
            return Attribute(parse_type(args[0], depth), True, args[1] if len(args) > 1 else None)
    return Attribute(parse_type(node, depth))


def _key_name(key: Tree) -> Tree:
    inner = subtrees(key)
    node = inner[0] if inner else key
    return _inner(node) if node.data == "expr_term" else node


def _inner(node: Tree) -> Tree:
    while node.data == "expr_term" and not tokens(node) and len(subtrees(node)) == 1:
        node = subtrees(node)[0]
    return node


def convert(value: Any, kind: Type, evaluator: Evaluator, scope: Scope, depth: int = 0) -> Any:
    """The value as Terraform sees it after converting it to the declared type."""
    if isinstance(value, Choice):
        return Choice(value.condition, convert(value.if_true, kind, evaluator, scope, depth + 1),
                      convert(value.if_false, kind, evaluator, scope, depth + 1))
    if value is None or kind == "any" or pending(value) is not None or depth > 30:
        return value
    if kind == "string" and isinstance(value, (bool, int, float)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if kind == "number" and isinstance(value, str):
        try:
            return numbers.parse(value)  # as terraform reads it: " 443" and "0x1bb" are no numbers
        except EvalError:
            return value  # refused: see mismatch()
        except NotEvaluated as exc:
            return exc.unknown
    if kind == "bool" and isinstance(value, str):
        truth = known_bool(value)
        return value if truth is None else truth
    if isinstance(kind, Collection):
        if kind.kind == "map" and isinstance(value, dict):
            return _like(value, {k: convert(v, kind.element, evaluator, scope, depth + 1) for k, v in value.items()})
        if kind.kind in ("list", "set") and isinstance(value, list):
            return [convert(v, kind.element, evaluator, scope, depth + 1) for v in value]
    if isinstance(kind, Structure) and kind.kind == "tuple" and isinstance(value, list):
        return [convert(v, t, evaluator, scope, depth + 1) for v, t in zip(value, kind.elements)] + value[len(kind.elements):]
    if isinstance(kind, Structure) and kind.kind == "object" and isinstance(value, dict):
        result = dict(value)
        for name, attribute in (kind.attributes or {}).items():
            if name in value and value[name] is not None:
                result[name] = convert(value[name], attribute.type, evaluator, scope, depth + 1)
            elif attribute.optional:
                default = evaluator.value(attribute.default, scope) if attribute.default is not None else None
                result[name] = convert(default, attribute.type, evaluator, scope, depth + 1)
        return _like(value, result)
    return value


def _like(original: Any, items: dict) -> Any:
    return original.like(items) if isinstance(original, Located) else items


def mismatch(value: Any, kind: Type, depth: int = 0) -> str | None:
    """Why terraform refuses a converted value for the type (its own words: "a number is required",
    ``element 0: string required``), or ``None`` when it accepts it -- or when tlspath cannot tell (a value
    not known yet, a type it reads as ``any``): only a certain refusal is an input error."""
    if value is None or kind == "any" or pending(value) is not None or depth > 30 \
            or not isinstance(value, (str, int, float, list, dict)):  # an object, an encoding: not judged here
        return None
    if isinstance(kind, str):
        return _primitive_mismatch(value, kind)
    if isinstance(kind, Collection):
        if kind.kind == "map":
            items = list(value.items()) if isinstance(value, dict) else None
        else:
            items = list(enumerate(value)) if isinstance(value, list) else None
        if items is None:
            return f"{kind.kind} of {_name(kind.element)} required"
        return _first(((f'element "{key}"' if isinstance(key, str) else f"element {key}", item, kind.element)
                       for key, item in items), depth)
    if kind.kind == "tuple":
        if not isinstance(value, list):
            return "tuple required"
        if len(value) != len(kind.elements):
            return f"tuple required, with {len(kind.elements)} elements"
        return _first(((f"element {i}", item, t) for i, (item, t) in enumerate(zip(value, kind.elements))), depth)
    if not isinstance(value, dict):
        return "object required"
    attributes = kind.attributes or {}
    missing = next((name for name, attribute in attributes.items() if name not in value and not attribute.optional),
                   None)
    if missing is not None:
        return f'attribute "{missing}" is required'
    return _first(((f'attribute "{name}"', value[name], attribute.type) for name, attribute in attributes.items()
                   if name in value), depth)


def _primitive_mismatch(value: str | float | list | dict, kind: str) -> str | None:
    if kind == "string":
        return None if isinstance(value, (str, int, float)) else "string required"
    if kind == "number":
        if isinstance(value, str):
            return "a number is required"
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "number required"
    if isinstance(value, str):
        return "a bool is required"
    return None if isinstance(value, bool) else "bool required"


def _first(parts: Any, depth: int) -> str | None:
    for where, item, kind in parts:
        problem = mismatch(item, kind, depth + 1)
        if problem is not None:
            return f"{where}: {problem}"
    return None


def _name(kind: Type) -> str:
    if isinstance(kind, str):
        return kind
    if isinstance(kind, Collection):
        return f"{kind.kind} of {_name(kind.element)}"
    return kind.kind
