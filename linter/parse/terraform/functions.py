"""Terraform's built-in functions that matter for following a path, evaluated without side effects.

Functions that only shape values (``format``, ``join``, ``lookup``, ``merge``, ``try`` ...) are computed;
``file()``/``templatefile()`` read inside the scanned tree only (the module instance decides); the base64
functions are transparent -- the encoded text is what an instance runs, and it stays readable for script
analysis (as ``Fn::Base64`` is in the CloudFormation front end). Every other function is reported as not
evaluated, never guessed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linter.conditions import TEXT_TOO_LARGE, concat, too_large
from linter.limits import MAX_ITEMS, MAX_TEXT, REGEX_STEPS
from linter.model import Reference, Unknown, known_bool, known_str
from linter.parse.terraform import regexp
from linter.parse.terraform.embedded import decode_document
from linter.parse.terraform.hcl import template_parts
from linter.parse.terraform.values import (
    Encoded, EvalError, Located, Object, first_gap, origin_of, pending, to_model,
)

from linter.parse.terraform.evaluate import TEMPLATE

if TYPE_CHECKING:
    from linter.parse.terraform.evaluate import Evaluator, Scope

FUNCTIONS: dict[str, Callable[..., Any]] = {}


class _Gap(Exception):
    """A function needed a value that is not known; the function's result is that unknown."""

    def __init__(self, unknown: Unknown):
        super().__init__(unknown.reason)
        self.unknown = unknown


def _function(*names: str, lazy: bool = False) -> Callable:
    def register(implementation: Callable) -> Callable:
        @functools.wraps(implementation)
        def call(*args: Any) -> Any:
            try:
                return implementation(*args)
            except _Gap as gap:
                return gap.unknown
            except (TypeError, ValueError, OverflowError) as exc:
                raise EvalError(f"{names[0]}(): {exc}") from None

        call.lazy = lazy  # type: ignore[attr-defined]
        for name in names:
            FUNCTIONS[name] = call
        return call

    return register


def _known(value: Any) -> Any:
    gap = pending(value)
    if gap is not None:
        raise _Gap(gap)
    return value


def _text(value: Any, what: str = "a string") -> str:
    value = _known(value)
    if isinstance(value, Encoded):
        return _text(to_model(value), what)
    text = known_str(value)
    if text is None:
        raise EvalError(f"{what} is needed")
    return text


def _list(value: Any) -> list:
    value = _known(value)
    if not isinstance(value, list):
        raise EvalError("a list is needed")
    return value


def _map(value: Any) -> dict:
    value = _known(value)
    if not isinstance(value, dict):
        raise EvalError("a map or object is needed")
    return value


def _int(value: Any) -> int:
    text = _text(value, "a number")
    try:
        return int(float(text))
    except ValueError:
        raise EvalError(f"'{text}' is not a number") from None


def _fits(size: Any, factor: int = 1) -> Any:
    """``size`` (a length, or text whose length is meant) when a result ``factor`` times that long stays
    within :data:`~linter.limits.MAX_TEXT`; otherwise the function's result is too large -- decided before
    anything is built."""
    length = size if isinstance(size, int) else len(size)
    if length * factor > MAX_TEXT:
        raise _Gap(TEXT_TOO_LARGE)
    return size


def _items(count: int) -> int:
    """``count`` elements for a list or map about to be built, unless that is past the cap."""
    if count > MAX_ITEMS:
        raise _Gap(too_large(f"a list or map of more than {MAX_ITEMS:,} elements"))
    return count


# ------------------------------------------------------------------------------------------- strings


@_function("format")
def _format(ev: Evaluator, scope: Scope, template: Any, *args: Any) -> Any:
    return format_text(_text(template), list(args))


_VERB = re.compile(r"%(?:%|(?P<flags>[-+ #0]*)(?P<width>[0-9]{1,9})?(?:\.(?P<precision>[0-9]{1,9}))?"
                   r"(?P<verb>[vsdtqfeEgGxXob]))")


def format_text(template: str, args: list[Any]) -> Any:
    """``format()``'s verbs; ``%s``/``%v`` keep references (a URI built from an NLB's DNS name stays a
    reference the graph follows)."""
    parts: list[Any] = []
    position, used = 0, 0
    for match in _VERB.finditer(template):
        parts.append(template[position:match.start()])
        position = match.end()
        if match.group(0) == "%%":
            parts.append("%")
            continue
        if used >= len(args):
            raise EvalError("format(): not enough arguments for the verbs")
        value, used = args[used], used + 1
        verb = match.group("verb")
        if verb in "sv" and not match.group("width") and not match.group("flags"):
            parts.append(_known(value) if isinstance(value, Unknown) else _stringish(value))
            continue
        value = _known(value)
        _fits(int(match.group("width") or 0) + int(match.group("precision") or 0))
        spec = f"%{match.group('flags') or ''}{match.group('width') or ''}" + (
            f".{match.group('precision')}" if match.group("precision") else "")
        if verb == "q":
            parts.append(json.dumps(_fits(_text(value), 6)))  # \uXXXX: six characters for one
        elif verb == "t":
            parts.append(str(bool(known_bool(value))).lower())
        elif verb in "dxXob":
            parts.append((spec + verb) % _int(value))
        elif verb in "feEgG":
            parts.append((spec + verb) % float(_text(value)))
        else:
            parts.append((spec + "s") % _text(value))
    parts.append(template[position:])
    return concat(parts)


def _stringish(value: Any) -> Any:
    if isinstance(value, (list, dict, Object)):
        raise EvalError("format(): %s needs a string, not a collection")
    return to_model(value) if isinstance(value, Encoded) else value


@_function("join")
def _join(ev: Evaluator, scope: Scope, separator: Any, *lists: Any) -> Any:
    separator = _text(separator)
    items = [item for value in lists for item in _list(value)]
    parts: list[Any] = []
    for position, item in enumerate(items):
        if position:
            parts.append(separator)
        parts.append(_stringish(item))
    return concat(parts)


def _dirname(path: str) -> str:
    head = path.rstrip("/").rsplit("/", 1)
    return head[0] if len(head) == 2 else "."


# Functions of strings only: Terraform's name -> what they compute, on known text.
_STRING_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": str.lower,
    "upper": str.upper,
    "title": lambda text: re.sub(r"\b\w", lambda m: m.group(0).upper(), text),
    "trimspace": str.strip,
    "chomp": lambda text: text.rstrip("\r\n"),
    "trim": lambda text, characters: text.strip(characters),
    "trimprefix": str.removeprefix,
    "trimsuffix": str.removesuffix,
    "startswith": str.startswith,
    "endswith": str.endswith,
    "strcontains": lambda text, part: part in text,
    "split": lambda separator, text: text.split(separator, _items(text.count(separator)) if separator else -1),
    "basename": lambda path: path.rstrip("/").rsplit("/", 1)[-1],
    "dirname": _dirname,
}
for _name, _compute in _STRING_FUNCTIONS.items():
    _function(_name)(lambda ev, scope, *args, _compute=_compute: _within(_compute(*(_fits(_text(a)) for a in args))))


def _within(result: Any) -> Any:
    """A string function's result: case changes can lengthen text (``ß`` upper-cases to ``SS``), and a split
    makes one element per separator."""
    if isinstance(result, list):
        _items(len(result))
    elif isinstance(result, str):
        _fits(result)
    return result


@_function("replace")
def _replace(ev: Evaluator, scope: Scope, text: Any, search: Any, replacement: Any) -> Any:
    text, search, replacement = _text(text), _text(search), _text(replacement)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return _regexp(ev, text, lambda: regexp.substitute(search[1:-1], replacement, text))
    count = text.count(search) if search else len(text) + 1
    _fits(len(text) + count * (len(replacement) - len(search)))
    return text.replace(search, replacement)


@_function("regex")
def _regex(ev: Evaluator, scope: Scope, pattern: Any, text: Any) -> Any:
    pattern, text = _text(pattern), _text(text)
    return _regexp(ev, text, lambda: regexp.find(pattern, text, every=False))


@_function("regexall")
def _regexall(ev: Evaluator, scope: Scope, pattern: Any, text: Any) -> Any:
    pattern, text = _text(pattern), _text(text)
    return _regexp(ev, text, lambda: regexp.find(pattern, text, every=True))


def _regexp(ev: Evaluator, text: str, run: Callable[[], Any]) -> Any:
    """A regular expression run (:mod:`.regexp`), paid for in evaluation steps: by the text it reads, and
    heavily when it runs out of time -- so a loop of them ends too."""
    ev.budget.spend(len(text) >> 6)
    result = run()
    if result is regexp.TIMED_OUT:
        ev.budget.spend(REGEX_STEPS)
    return result


@_function("substr")
def _substr(ev: Evaluator, scope: Scope, text: Any, offset: Any, length: Any) -> Any:
    text, start, count = _text(text), _int(offset), _int(length)
    start = start if start >= 0 else len(text) + start
    return text[start:] if count == -1 else text[start:start + count]


# ------------------------------------------------------------------------------------------ conversion


@_function("tostring")
def _tostring(ev: Evaluator, scope: Scope, value: Any) -> Any:
    if value is None or isinstance(value, (Reference, Unknown)):
        return value
    if isinstance(value, (list, dict, Object)):
        raise EvalError("tostring() of a collection")
    return value if not isinstance(value, (bool, int, float)) else known_str(value)


@_function("tonumber")
def _tonumber(ev: Evaluator, scope: Scope, value: Any) -> Any:
    if value is None:
        return None
    text = _text(value)
    number = float(text)
    return int(number) if number.is_integer() else number


@_function("tobool")
def _tobool(ev: Evaluator, scope: Scope, value: Any) -> Any:
    if value is None:
        return None
    truth = known_bool(_known(value))
    if truth is None:
        raise EvalError(f"'{value}' is not a bool")
    return truth


@_function("tolist")
def _tolist(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return list(_list(value))


@_function("toset")
def _toset(ev: Evaluator, scope: Scope, value: Any) -> Any:
    items = _list(value)
    if any(isinstance(item, (list, dict)) for item in items):
        raise EvalError("toset() of collections is not evaluated")
    unique = list(dict.fromkeys(items))
    if all(isinstance(item, str) for item in unique):
        return sorted(unique)  # Terraform orders a set of strings lexically
    return unique


@_function("tomap")
def _tomap(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return _map(value)


@_function("sensitive", "nonsensitive")
def _identity(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return value


# --------------------------------------------------------------------------------------- collections


@_function("length")
def _length(ev: Evaluator, scope: Scope, value: Any) -> Any:
    value = _known(value)
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise EvalError("length() needs a list, map or string")


@_function("lookup")
def _lookup(ev: Evaluator, scope: Scope, mapping: Any, key: Any, *default: Any) -> Any:
    mapping, key = _map(mapping), _text(key)
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key '{key}' and no default")


@_function("merge")
def _merge(ev: Evaluator, scope: Scope, *maps: Any) -> Any:
    result = Located()
    _items(sum(len(m) for m in maps if isinstance(m, dict)))
    for mapping in maps:
        if mapping is None:
            continue
        mapping = _map(mapping)
        result.update(mapping)
        if isinstance(mapping, Located):
            result.key_lines.update(mapping.key_lines)
            result.file = mapping.file
    return result


@_function("concat")
def _concat(ev: Evaluator, scope: Scope, *lists: Any) -> Any:
    known = [_list(value) for value in lists]
    _items(sum(map(len, known)))
    return [item for items in known for item in items]


@_function("element")
def _element(ev: Evaluator, scope: Scope, items: Any, position: Any) -> Any:
    items = _list(items)
    if not items:
        raise EvalError("element() of an empty list")
    return items[_int(position) % len(items)]


@_function("contains")
def _contains(ev: Evaluator, scope: Scope, items: Any, value: Any) -> Any:
    ev.charge(items, value)
    known, wanted = [to_model(_known(item)) for item in _list(items)], to_model(_known(value))
    if wanted in known:
        return True
    return first_gap(known) or first_gap(wanted) or False  # an unknown element may be the one


@_function("keys")
def _keys(ev: Evaluator, scope: Scope, mapping: Any) -> Any:
    return sorted(_map(mapping))


@_function("values")
def _values(ev: Evaluator, scope: Scope, mapping: Any) -> Any:
    mapping = _map(mapping)
    return [mapping[key] for key in sorted(mapping)]


@_function("zipmap")
def _zipmap(ev: Evaluator, scope: Scope, keys: Any, values: Any) -> Any:
    return dict(zip((_text(k) for k in _list(keys)), _list(values)))


@_function("flatten")
def _flatten(ev: Evaluator, scope: Scope, items: Any) -> Any:
    result: list = []
    pending_lists = [iter(_list(items))]  # iterative, and counted as it grows: nesting can share lists
    while pending_lists:
        item = next(pending_lists[-1], _END)
        if item is _END:
            pending_lists.pop()
        elif isinstance(item, list):
            pending_lists.append(iter(item))
        elif isinstance(item, Unknown):  # it may stand for a list: how many elements there are is not known
            raise _Gap(item)
        else:
            result.append(item)
            _items(len(result))
    return result


_END = object()


@_function("distinct")
def _distinct(ev: Evaluator, scope: Scope, items: Any) -> Any:
    ev.charge(items)
    seen: dict[str, Any] = {}
    for item in _list(items):  # by a canonical text of each element: linear, where comparing pairs is not
        seen.setdefault(json.dumps(to_model(item), sort_keys=True, default=repr), item)
    return list(seen.values())


@_function("compact")
def _compact(ev: Evaluator, scope: Scope, items: Any) -> Any:
    return [item for item in _list(items) if item is not None and item != ""]


@_function("reverse")
def _reverse(ev: Evaluator, scope: Scope, items: Any) -> Any:
    return list(reversed(_list(items)))


@_function("sort")
def _sort(ev: Evaluator, scope: Scope, items: Any) -> Any:
    return sorted(_text(item) for item in _list(items))


@_function("slice")
def _slice(ev: Evaluator, scope: Scope, items: Any, start: Any, end: Any) -> Any:
    return _list(items)[_int(start):_int(end)]


@_function("one")
def _one(ev: Evaluator, scope: Scope, items: Any) -> Any:
    items = _list(items)
    if len(items) > 1:
        raise EvalError("one() of a list with more than one element")
    return items[0] if items else None


@_function("range")
def _range(ev: Evaluator, scope: Scope, *bounds: Any) -> Any:
    numbers = [_int(b) for b in bounds]
    if len(numbers) == 1:
        numbers = [0, numbers[0]]
    count = len(range(*numbers))  # before the list is made (an OverflowError for absurd bounds is an EvalError)
    if count > 1024:
        raise EvalError("range() longer than 1024 elements")
    return list(range(*numbers))


@_function("min")
def _min(ev: Evaluator, scope: Scope, *numbers: Any) -> Any:
    return min(_number(n) for n in numbers)


@_function("max")
def _max(ev: Evaluator, scope: Scope, *numbers: Any) -> Any:
    return max(_number(n) for n in numbers)


def _number(value: Any) -> int | float:
    number = float(_text(value, "a number"))
    return int(number) if number.is_integer() else number


# ------------------------------------------------------------------------------------------ fallbacks


@_function("try", lazy=True)
def _try(ev: Evaluator, nodes: list, scope: Scope) -> Any:
    """The first argument that evaluates without an error (an unknown counts as a value, as in Terraform)."""
    for node in nodes:
        try:
            return ev.evaluate(node, scope)
        except EvalError:
            continue
    raise EvalError("try(): every argument failed")


@_function("can", lazy=True)
def _can(ev: Evaluator, nodes: list, scope: Scope) -> Any:
    try:
        value = ev.evaluate(nodes[0], scope)
    except EvalError:
        return False
    return pending(value) or True


@_function("coalesce")
def _coalesce(ev: Evaluator, scope: Scope, *values: Any) -> Any:
    for value in values:
        if isinstance(value, Unknown):
            return value  # it might be null or empty: the result cannot be told
        if value is not None and value != "":
            return value
    raise EvalError("coalesce(): every argument is null or empty")


@_function("coalescelist")
def _coalescelist(ev: Evaluator, scope: Scope, *lists: Any) -> Any:
    for value in lists:
        if _list(value):
            return value
    raise EvalError("coalescelist(): every list is empty")


# ------------------------------------------------------------------------------------------ encoding


@_function("jsonencode")
def _jsonencode(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return Encoded(value, "json")


@_function("yamlencode")
def _yamlencode(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return Encoded(value, "yaml")


@_function("jsondecode", "yamldecode")
def _decode(ev: Evaluator, scope: Scope, text: Any) -> Any:
    if isinstance(text, Encoded):
        return text.value
    return decode_document(_decodable(text))


def _decodable(value: Any) -> Any:
    gap = pending(value) if isinstance(value, (Unknown, Reference)) else None
    if gap is not None:
        raise _Gap(gap)
    return value


@_function("base64encode", "base64gzip", "base64decode", "textencodebase64", "textdecodebase64")
def _base64(ev: Evaluator, scope: Scope, value: Any, *encoding: Any) -> Any:
    return value


# ------------------------------------------------------------------------------------------- files


@_function("file", "filebase64")
def _file(ev: Evaluator, scope: Scope, path: Any) -> Any:
    return scope.context.read_file(path, "file")


@_function("fileexists")
def _fileexists(ev: Evaluator, scope: Scope, path: Any) -> Any:
    content = scope.context.read_file(path, "fileexists")
    return content if isinstance(content, Unknown) else True


@_function("templatefile")
def _templatefile(ev: Evaluator, scope: Scope, path: Any, variables: Any = None) -> Any:
    content = scope.context.read_file(path, "templatefile")
    if isinstance(content, Unknown):
        return content
    names = dict(_map(variables)) if variables is not None else {}
    template_scope = dataclasses.replace(scope, file=content.origin.file, names=names, closed=TEMPLATE)
    return ev.template(template_parts(str(content)), template_scope, origin_of(content))

