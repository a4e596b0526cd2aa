"""Terraform's built-in functions that matter for following a path, evaluated without side effects.

Functions that only shape values (``format``, ``join``, ``lookup``, ``merge``, ``try`` ...) are computed;
``file()``/``templatefile()`` read inside the scanned tree only (the module instance decides); the base64
functions give Terraform's text, and keep what they encode (:class:`.Encoded`): the encoded text is what an
instance runs, and it stays readable for script analysis (as ``Fn::Base64`` is in the CloudFormation front end).
Every other function is reported as not evaluated, never guessed.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import inspect
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linter.conditions import TEXT_TOO_LARGE, concat, too_large
from linter.limits import MAX_ITEMS, MAX_TEXT, REGEX_STEPS
from linter.model import Reference, Unknown, known_bool, known_str
from linter.parse.terraform import numbers, regexp
from linter.parse.terraform.embedded import decode_document
from linter.parse.terraform.encoding import json_text
from linter.parse.terraform.hcl import template_parts
from linter.parse.terraform.values import (
    Encoded, EvalError, Located, NotEvaluated, Object, SourcedText, StaticError, described, first_gap, normalized,
    origin_of, pending, to_model, unmarked,
)

from linter.parse.terraform.evaluate import TEMPLATE

if TYPE_CHECKING:
    from linter.parse.terraform.evaluate import Evaluator, Scope

FUNCTIONS: dict[str, Callable[..., Any]] = {}


def _function(*names: str, lazy: bool = False) -> Callable:
    def register(implementation: Callable) -> Callable:
        signature = inspect.signature(implementation)

        @functools.wraps(implementation)
        def call(*args: Any) -> Any:
            if not lazy:
                _arity(names[0], signature, args)
            try:
                return implementation(*args)
            except NotEvaluated as gap:  # a value it needed is not known: its result is not either
                return gap.unknown
            except (TypeError, ValueError, OverflowError):  # Python's own words would say nothing to the user
                raise EvalError(f"{names[0]}() cannot compute a value from these arguments") from None

        call.lazy = lazy  # type: ignore[attr-defined]
        for name in names:
            FUNCTIONS[name] = call
        return call

    return register


def _arity(name: str, signature: inspect.Signature, args: tuple) -> None:
    """Whether a call gives the function as many arguments as it takes (as terraform checks first)."""
    try:
        signature.bind(*args)
    except TypeError:
        parameters = list(signature.parameters.values())[2:]  # after the evaluator and the scope
        least = sum(p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters)
        most = None if any(p.kind is p.VAR_POSITIONAL for p in parameters) else len(parameters)
        takes = f"at least {least}" if most is None else str(least) if most == least else f"{least} to {most}"
        raise EvalError(f"{name}() takes {takes} argument{'s' * (takes != '1')}, not {len(args) - 2}") from None


def _known(value: Any) -> Any:
    gap = pending(value)
    if gap is not None:
        raise NotEvaluated(gap)
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


def _int(value: Any, who: str = "") -> int:
    number = _number(value)
    if not isinstance(number, int):
        raise EvalError(f"{who}{number} is not a whole number")
    return number


def _number(value: Any) -> int | float:
    """A number as terraform converts it: numbers, and strings written as one (:func:`.numbers.parse`)."""
    value = _known(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return numbers.parse(_text(value, "a number"))


def _fits(size: Any, factor: int = 1) -> Any:
    """``size`` (a length, or text whose length is meant) when a result ``factor`` times that long stays
    within :data:`~linter.limits.MAX_TEXT`; otherwise the function's result is too large -- decided before
    anything is built."""
    length = size if isinstance(size, int) else len(size)
    if length * factor > MAX_TEXT:
        raise NotEvaluated(TEXT_TOO_LARGE)
    return size


def _items(count: int) -> int:
    """``count`` elements for a list or map about to be built, unless that is past the cap."""
    if count > MAX_ITEMS:
        raise NotEvaluated(too_large(f"a list or map of more than {MAX_ITEMS:,} elements"))
    return count


# ------------------------------------------------------------------------------------------- strings


@_function("format")
def _format(ev: Evaluator, scope: Scope, template: Any, *args: Any) -> Any:
    return format_text(_text(template), list(args))


# A verb as terraform's format() reads it: flags, width, precision, an argument index, the verb letter.
_VERB = re.compile(r"%(?P<flags>[-+ #0]*)(?P<width>[0-9]+)?(?:\.(?P<precision>[0-9]*))?(?:\[(?P<index>[0-9]+)\])?"
                   r"(?P<verb>.?)", re.DOTALL)
_VERBS = frozenset("vtbdoxXeEfgGsq")


def format_text(template: str, args: list[Any]) -> Any:
    """``format()`` as terraform computes it -- every ``%`` sequence is a verb it knows, or an error
    terraform gives too; ``%s``/``%v`` keep references (a URI built from an NLB's DNS name stays a reference
    the graph follows) and unknowns (a host built from a variable is compared by that variable, as in a
    template). Widths past what tlspath builds make the result unknown, never literal text."""
    parts: list[Any] = []
    position, following, used = 0, 0, set()
    for match in _VERB.finditer(template):
        parts.append(template[position:match.start()])
        position = match.end()
        verb = match.group("verb")
        if match.group(0) == "%%":
            parts.append("%")
            continue
        if verb not in _VERBS:
            raise EvalError(f"format(): unrecognized format character '{verb}'" if verb else
                            "format(): the format string ends with '%'")
        if match.group("index"):
            following = _bounded_number(match.group("index"), "argument index") - 1
        if not 0 <= following < len(args):
            raise EvalError(f"format(): not enough arguments for the verb '{match.group(0)}'")
        used.add(following)
        parts.append(_formatted(args[following], match))
        following += 1
    parts.append(template[position:])
    if len(used) < len(args):
        raise EvalError(f"format(): too many arguments; only {len(used)} used by the format string")
    return concat(parts)


def _bounded_number(digits: str, what: str) -> int:
    """A width, precision or index written in a format string, unless it is past what tlspath builds."""
    if len(digits) > 9:
        raise NotEvaluated(too_large(f"a format {what} of {len(digits)} digits"))
    return int(digits)


def _formatted(value: Any, verb: re.Match) -> Any:
    """One verb applied to its argument."""
    letter, flags = verb.group("verb"), verb.group("flags")
    if value is None and letter == "v":
        raise NotEvaluated(Unknown("format()'s %v of null is 'null' or unknown in Terraform, by the type of the "
                                   "null, which tlspath does not follow"))
    if value is None:
        raise EvalError(f"format(): a null value cannot be formatted with '{verb.group(0)}'")
    width = _bounded_number(verb.group("width"), "width") if verb.group("width") else None
    precision = verb.group("precision")
    digits = None if precision is None else _bounded_number(precision, "precision") if precision else 0
    _fits((width or 0) + (digits or 0))
    if letter in "sv" and width is None and digits is None and "#" not in flags:
        if isinstance(value, Unknown):  # placed as a template places it: a host built this way is compared
            return value  # with certificate names symbolically (linter.names), not one opaque unknown
        if letter == "v" and isinstance(_known(value), (list, dict, Object)):
            return _json(value)
        if letter == "v" and _is_number(value):
            return numbers.general(value)
        return _stringish(value)
    value = _known(value)
    if letter == "v":  # terraform's own %v: no precision, no sign; numbers as %g writes them, the rest as JSON
        shown = (numbers.general(value) if _is_number(value) and "#" not in flags
                 else _stringish(value) if isinstance(value, str) and "#" not in flags else _json(value))
        return _filled(shown, flags, width)
    if letter == "t":
        truth = known_bool(value)
        if truth is None:
            raise EvalError(f"format(): %t needs a bool, not {described(value)}")
        return str(truth).lower()  # terraform ignores a width here
    if letter in "bdoxX":
        return _integer(_int(value, "format(): "), letter, flags, width, digits)
    if letter in "eEfgG":
        return numbers.verb(_number(value), letter, flags, width, digits)
    text = _text(value, "a string")
    text = "".join(_characters(text)[:digits]) if digits else text  # terraform cuts at a precision above 0 only
    return _filled(json_text(_fits(text, 6)) if letter == "q" else text, flags, width)  # \uXXXX: six for one


def _filled(text: str, flags: str, width: int | None) -> str:
    """A string verb's text filled to ``width`` characters as terraform fills it (not as Go's fmt): with zeros
    given ``0``, on the right given ``-``."""
    fill = ("0" if "0" in flags else " ") * max(0, (width or 0) - len(_characters(text)))
    return text + fill if "-" in flags else fill + text


def _json(value: Any) -> Any:
    """``%#v``: the value as jsonencode() writes it."""
    text = to_model(Encoded(value, "json"))
    return _known(text)


def _integer(number: int, letter: str, flags: str, width: int | None, digits: int | None) -> str:
    """A whole number as Go's fmt writes it (which terraform's format() uses): sign, base prefix with ``#``,
    at least ``digits`` digits, padded to ``width``."""
    body = format(abs(number), {"d": "d", "b": "b", "o": "o", "x": "x", "X": "X"}[letter])
    if digits is not None:
        body = body.zfill(digits)
    head = "-" if number < 0 else "+" if "+" in flags else " " if " " in flags else ""
    head += {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(letter, "") if "#" in flags else ""
    return numbers.padded(head, body, flags if digits is None else flags.replace("0", ""), width)


def _stringish(value: Any) -> Any:
    if value is None:
        raise EvalError("a null value cannot be placed in a string")
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


def _rune_case(change: Callable[[str], str]) -> Callable[[str], str]:
    """Go's case mapping of one character (``unicode.ToUpper``/``ToLower``/``ToTitle``), which terraform's
    ``upper``/``lower``/``title`` use: the simple one-to-one mapping, so ``ß`` stays ``ß`` where Python's full
    mapping makes ``SS``. Python gives the full mapping; where that is one character it is the simple one, and
    where it is more the character has no simple mapping -- except the dotted capital I, whose simple lower case
    is a plain ``i``."""
    def one(char: str) -> str:
        changed = change(char)
        if len(changed) == 1:
            return changed
        return "i" if char == "\u0130" and change is str.lower else char
    return one


_UPPER, _LOWER, _TITLE = _rune_case(str.upper), _rune_case(str.lower), _rune_case(str.title)


def _go_title(text: str) -> str:
    """Go's ``strings.Title`` (terraform's ``title``): each letter after a separator in title case. ASCII
    letters, digits and ``_`` are no separators, other ASCII is; past ASCII only white space is."""
    out, previous = [], " "
    for char in text:
        out.append(_TITLE(char) if _separates(previous) else char)
        previous = char
    return "".join(out)


def _separates(char: str) -> bool:
    if char.isascii():
        return not (char.isalnum() or char == "_")
    return not (char.isalpha() or char.isdigit()) and char.isspace()


# Functions of strings only: Terraform's name -> what they compute, on known text.
_STRING_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": lambda text: "".join(map(_LOWER, text)),
    "upper": lambda text: "".join(map(_UPPER, text)),
    "title": _go_title,
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
_TWO_STRINGS = {"trim", "trimprefix", "trimsuffix", "startswith", "endswith", "strcontains", "split"}


def _of_strings(compute: Callable[..., Any], count: int) -> Callable[..., Any]:
    """A function of ``count`` strings (its signature says how many, so calls are checked like any other)."""
    if count == 1:
        return lambda ev, scope, text: _within(compute(_fits(_text(text))))
    return lambda ev, scope, first, second: _within(compute(_fits(_text(first)), _fits(_text(second))))


for _name, _compute in _STRING_FUNCTIONS.items():
    _function(_name)(_of_strings(_compute, 2 if _name in _TWO_STRINGS else 1))


def _within(result: Any) -> Any:
    """A string function's result, within the caps: a split makes one element per separator."""
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
    characters, start, count = _characters(_text(text)), _int(offset), _int(length)
    start = start if start >= 0 else len(characters) + start
    return "".join(characters[start:] if count == -1 else characters[start:start + count])


def _characters(text: str) -> list[str]:
    """The characters Terraform counts in a string (``length()``, ``substr()``, ``format()`` widths): grapheme
    clusters -- é written as e and U+0301 is one, so is 👍🏽, so is \\r\\n."""
    if text.isascii() and "\r\n" not in text:
        return list(text)
    import regex  # only for text that needs it (a pre-commit hook starts without it)

    return regex.findall(r"\X", text)


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
    return _number(value)


@_function("tobool")
def _tobool(ev: Evaluator, scope: Scope, value: Any) -> Any:
    if value is None:
        return None
    truth = known_bool(_known(value))
    if truth is None:
        raise EvalError(f"{described(value)} is not a bool")
    return truth


_BOOL_TEXT = {"true": True, "1": True, "false": False, "0": False}  # the strings terraform converts to a bool


def _bools(items: Any, name: str) -> list[Any]:
    """A ``list(bool)`` argument as terraform converts it before the function runs: a bool, or a string
    ``"true"``/``"1"``/``"false"``/``"0"``; ``None`` (null) and an unknown element stay as they are; anything else
    is an error, wherever it stands."""
    converted: list[Any] = []
    for item in _list(items):
        if item is None or pending(item) is not None or isinstance(item, bool):
            converted.append(pending(item) or item)
        elif isinstance(item, str) and item in _BOOL_TEXT:
            converted.append(_BOOL_TEXT[item])
        else:
            raise EvalError(f"{name}(): {described(item)} is not a bool")
    return converted


@_function("alltrue")
def _alltrue(ev: Evaluator, scope: Scope, items: Any) -> Any:
    """Elements in order: an unknown one makes the result unknown, a null or false one false."""
    for item in _bools(items, "alltrue"):
        if isinstance(item, Unknown) or not item:
            return False if item is None else item
    return True


@_function("anytrue")
def _anytrue(ev: Evaluator, scope: Scope, items: Any) -> Any:
    """A true element makes it true whatever stands before it; nulls are skipped; else unknown if an element
    is, else false."""
    items = _bools(items, "anytrue")
    if True in items:
        return True
    return next((item for item in items if isinstance(item, Unknown)), False)


@_function("tolist")
def _tolist(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return _unified(list(_list(value)))


@_function("toset")
def _toset(ev: Evaluator, scope: Scope, value: Any) -> Any:
    items = _list(value)
    if any(isinstance(item, (list, dict)) for item in items):
        raise NotEvaluated(Unknown("toset() of lists or objects is not evaluated by tlspath"))
    unique = list(dict.fromkeys(_unified(list(items))))
    if all(isinstance(item, (str, bool)) for item in unique) or all(_is_number(item) for item in unique):
        return sorted(unique)  # Terraform orders a set of strings lexically, of numbers by value
    return unique


@_function("tomap")
def _tomap(ev: Evaluator, scope: Scope, value: Any) -> Any:
    mapping = _map(value)
    return mapping.like(zip(mapping, _unified(list(mapping.values())))) if isinstance(mapping, Located) else \
        dict(zip(mapping, _unified(list(mapping.values()))))


def _is_number(item: Any) -> bool:
    return isinstance(item, (int, float)) and not isinstance(item, bool)


def _unified(items: list) -> list:
    """The elements of a list, set or map of one type, as Terraform converts them: strings, numbers and bools
    mixed become strings (``["a", 1]`` is ``["a", "1"]``); numbers with bools cannot be converted. Elements
    that are not strings, numbers or bools are left as they are."""
    kinds = {str if isinstance(item, str) else bool if isinstance(item, bool) else float
             for item in items if isinstance(item, (str, int, float))}
    if len(kinds) < 2 or any(item is not None and not isinstance(item, (str, int, float)) for item in items):
        return items
    if str not in kinds:
        raise EvalError("a list of numbers and bools cannot be converted to one type")
    return [item if item is None else known_str(item) for item in items]


@_function("sensitive")
def _sensitive(ev: Evaluator, scope: Scope, value: Any) -> Any:
    ev.taint()
    return value


@_function("nonsensitive")
def _nonsensitive(ev: Evaluator, scope: Scope, value: Any) -> Any:
    ev.untaint()
    return unmarked(value)


# --------------------------------------------------------------------------------------- collections


@_function("length")
def _length(ev: Evaluator, scope: Scope, value: Any) -> Any:
    value = _known(value)
    if isinstance(value, str):
        return len(_characters(value))
    if isinstance(value, (list, dict)):
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
            result.key_places.update(mapping.key_places)
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
    index = _int(position)
    if index < 0:
        raise EvalError("element() of a negative index")
    return items[index % len(items)]


@_function("contains")
def _contains(ev: Evaluator, scope: Scope, items: Any, value: Any) -> Any:
    ev.charge(items, value)
    known, wanted = [to_model(_known(item)) for item in _list(items)], to_model(_known(value))
    if wanted in known:
        return True
    return first_gap(known) or first_gap(wanted) or False  # an unknown element may be the one


@_function("index")
def _index(ev: Evaluator, scope: Scope, items: Any, value: Any) -> Any:
    """The position of the first element equal to ``value`` -- of the same type too: ``"1"`` is not 1 -- or,
    past an element not known before any match, unknown; no match is terraform's error."""
    items, wanted = _list(items), to_model(_known(value))
    if not items:
        raise EvalError("index(): cannot search an empty list")
    for position, item in enumerate(items):
        gap = first_gap(item)
        if gap is not None:
            return gap
        item = to_model(item)
        if item == wanted and (type(item) is type(wanted) or _both_numbers(item, wanted)):
            return position
    raise EvalError(f"index(): {described(wanted)} is not in the list")


def _both_numbers(left: Any, right: Any) -> bool:
    return all(isinstance(side, (int, float)) and not isinstance(side, bool) for side in (left, right))


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
            raise NotEvaluated(item)
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
def _range(ev: Evaluator, scope: Scope, first: Any, *bounds: Any) -> Any:
    bounds = (first, *bounds)
    if len(bounds) > 3:
        raise EvalError(f"range() takes 1 to 3 arguments, not {len(bounds)}")
    if len(bounds) == 3 and _number(bounds[2]) == 0:
        raise EvalError("range(): the step must not be zero")
    if any(not isinstance(_number(b), int) for b in bounds):
        raise NotEvaluated(Unknown("range() of fractional numbers is not evaluated by tlspath"))
    numbers = [_int(b) for b in bounds]
    if len(numbers) == 1:
        numbers = [0, numbers[0]]
    start, stop, step = (*numbers, 1) if len(numbers) == 2 else numbers
    count = max(0, (stop - start + step - 1) // step if step > 0 else (start - stop - step - 1) // -step)
    if count > 1024:  # counted before the list is made, in numbers of any size
        raise EvalError("range() longer than 1024 elements")
    return list(range(*numbers))


@_function("abs")
def _abs(ev: Evaluator, scope: Scope, value: Any) -> Any:
    number = _number(value)
    return numbers.negate(number) if number < 0 else number


@_function("sum")
def _sum(ev: Evaluator, scope: Scope, items: Any) -> Any:
    """The elements added in order, each converted to a number as terraform does (``"2"`` is 2); an empty
    list or a null element is terraform's error."""
    items = _list(items)
    if not items:
        raise EvalError("sum(): cannot sum an empty list")
    gap = first_gap(items)
    if gap is not None:
        return gap
    if None in items:
        raise EvalError("sum(): the list holds a null, not a number")
    total = _number(items[0])
    for item in items[1:]:
        total = numbers.operate("+", total, _number(item))
    return total


@_function("min")
def _min(ev: Evaluator, scope: Scope, first: Any, *numbers: Any) -> Any:
    return min(_number(n) for n in (first, *numbers))


@_function("max")
def _max(ev: Evaluator, scope: Scope, first: Any, *numbers: Any) -> Any:
    return max(_number(n) for n in (first, *numbers))


# ------------------------------------------------------------------------------------------ fallbacks


@_function("try", lazy=True)
def _try(ev: Evaluator, nodes: list, scope: Scope) -> Any:
    """The first argument that evaluates without an error terraform raises while evaluating -- an error
    anywhere inside it, in a list or object it builds or a function it calls. A value only known later (after
    apply, or given outside the files) is no error: it is the result, as in terraform. An error terraform
    finds before evaluating (:class:`StaticError`: a reference to nothing declared) is not caught."""
    if not nodes:
        raise EvalError("try() takes at least 1 argument, not 0")
    for node in nodes:
        try:
            return ev.evaluate(node, scope)
        except StaticError:
            raise
        except EvalError:
            continue
    raise EvalError("try(): no argument evaluates without an error")


@_function("can", lazy=True)
def _can(ev: Evaluator, nodes: list, scope: Scope) -> Any:
    """Whether the argument evaluates without an error (unknown while it depends on a value known later)."""
    if len(nodes) != 1:
        raise EvalError(f"can() takes 1 argument, not {len(nodes)}")
    try:
        value = ev.evaluate(nodes[0], scope)
    except StaticError:
        raise
    except EvalError:
        return False
    return first_gap(to_model(value)) or True


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
    if isinstance(text, Encoded) and text.format in ("json", "yaml"):
        return text.value
    return decode_document(_decodable(to_model(text) if isinstance(text, Encoded) else text))


def _decodable(value: Any) -> Any:
    gap = pending(value) if isinstance(value, (Unknown, Reference)) else None
    if gap is not None:
        raise NotEvaluated(gap)
    return value


@_function("base64encode")
def _base64encode(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return Encoded(_encodable(value), "base64")


@_function("base64gzip")
def _base64gzip(ev: Evaluator, scope: Scope, value: Any) -> Any:
    return Encoded(_encodable(value), "base64gzip")


@_function("textencodebase64")
def _textencodebase64(ev: Evaluator, scope: Scope, value: Any, encoding: Any) -> Any:
    return Encoded(_encodable(value), "base64" if _utf8(encoding) else "textencodebase64")


@_function("base64decode")
def _base64decode(ev: Evaluator, scope: Scope, value: Any) -> Any:
    if isinstance(value, Encoded) and value.format == "base64":
        return value.value  # the script an instance runs stays readable, as Terraform decodes it
    try:
        text = _text(value).replace("\r", "").replace("\n", "")  # Go's decoder skips line breaks
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise EvalError("base64decode(): the text is not base64 of UTF-8 text") from None


@_function("textdecodebase64")
def _textdecodebase64(ev: Evaluator, scope: Scope, value: Any, encoding: Any) -> Any:
    if not _utf8(encoding):
        raise NotEvaluated(Unknown("textdecodebase64() of an encoding other than UTF-8 is not evaluated by tlspath"))
    return _base64decode(ev, scope, value)


def _encodable(value: Any) -> Any:
    """The argument of a base64 function: text (a number or bool as its text), or a value known later."""
    if value is None or isinstance(value, (list, dict, Object)):
        raise EvalError(f"a string is needed, not {described(value)}")
    return value


def _utf8(encoding: Any) -> bool:
    return _text(encoding).upper().replace("_", "-") in ("UTF-8", "UTF8")


# ------------------------------------------------------------------------------------------- files


@_function("file")
def _file(ev: Evaluator, scope: Scope, path: Any) -> Any:
    content = scope.context.read_file(path, "file")
    if isinstance(content, Unknown) or normalized(content) is content:
        return content
    return SourcedText(normalized(content), origin_of(content))


@_function("filebase64")
def _filebase64(ev: Evaluator, scope: Scope, path: Any) -> Any:
    content = scope.context.read_file(path, "filebase64")
    return content if isinstance(content, Unknown) else Encoded(content, "base64")


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

