"""Terraform expressions, evaluated as far as the files allow and never further.

What can be known statically is computed (literals, ``var.*`` with a value, ``local.*``, operators,
conditionals, ``for`` expressions, templates, the common functions); an attribute only known after apply
(``aws_lb.main.arn``) becomes a :class:`~linter.model.Reference` the graph follows; anything else becomes an
:class:`~linter.model.Unknown` carrying the reason and how to supply the value. A conditional whose condition
cannot be decided becomes a :class:`~linter.model.Choice`, so the graph follows both branches, as it does for
undecided CloudFormation conditions. Nothing here raises for syntax it does not support: it says so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol, cast

from linter.conditions import branch_over, concat
from linter.limits import EXHAUSTED, EXHAUSTED_SUPPLY, MAX_WEIGHT, Budget
from linter.model import Choice, Formula, Interpolated, Location, Unknown, known_bool
from linter.parse.documents import Position
from linter.parse.terraform import numbers
from linter.parse.terraform.conditions import formula_of
from linter.parse.terraform.hcl import (
    Body, Directive, Interpolation, Part, heredoc_text, name_of, position, string_parts, subtrees, template_parts,
    tokens,
)
from linter.parse.terraform.values import (
    ENTRY, VALUE_TOO_LARGE, Encoded, EvalError, Located, NotEvaluated, Object, SourcedInterpolated, SourcedText,
    StaticError, described, first_gap, is_sensitive, mark, normalized, pending, secret_texts, sourced, to_model,
    weight,
)

if TYPE_CHECKING:
    from lark import Token, Tree

MAX_DEPTH = 120  # nested evaluations (expressions inside references inside modules) before giving up
TEMPLATE = "a template (only the variables passed to it exist there)"


class Context(Protocol):
    """What an expression can name: the module instance it is written in."""

    address: str  # "" for the root module, "module.app." for a call

    def variable(self, name: str) -> Any: ...
    def local(self, name: str) -> Any: ...
    def resource(self, kind: str, name: str) -> Any: ...
    def data(self, kind: str, name: str) -> Any: ...
    def module_call(self, name: str) -> Any: ...
    def path(self, kind: str) -> Any: ...
    def terraform(self, attribute: str) -> Any: ...
    def read_file(self, path: Any, function: str) -> Any: ...
    def input_name(self, value: Unknown) -> str | None: ...
    def condition_name(self, formula: Formula, text: str) -> str: ...


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: its module instance, the names bound around it (``each``,
    ``count``, ``for`` variables, a dynamic block's iterator) and the file it is written in. Where only the
    bound names exist (a ``templatefile()`` template, a variable value), ``closed`` says what the place is."""

    context: Context
    file: str
    names: Mapping[str, Any] = field(default_factory=dict)
    closed: str = ""

    def bind(self, **names: Any) -> Scope:
        return replace(self, names={**self.names, **names})

    def at(self, file: str) -> Scope:
        """The same place, for an expression written in ``file`` (an override file merged into a block)."""
        return self if file == self.file else replace(self, file=file)


class Evaluator:
    """Evaluates expression trees. One per run: it carries the depth guard, the function table and the
    budget of the root module being evaluated (:meth:`start`)."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]]):
        self.functions = functions
        self.depth = 0
        self.secrets: set[str] = set()  # the texts of every sensitive value met (linter.sensitive hides them)
        self._tainted = False  # the expression being evaluated has read a sensitive value
        self.start()

    def start(self) -> None:
        """A fresh evaluation budget for the next root module: one runaway module never starves the others."""
        self.budget = Budget()
        self._weights: dict[int, tuple[Any, int]] = {}
        self._holding: dict[int, tuple[Any, bool]] = {}

    # ------------------------------------------------------------------------------------- entry points

    def value(self, node: Tree, scope: Scope) -> Any:
        """The value of an expression; expressions Terraform would reject become :class:`Unknown`."""
        return caught(lambda: self.evaluate(node, scope))

    def evaluate(self, node: Tree, scope: Scope) -> Any:
        """The value of an expression, raising :class:`EvalError` for what Terraform would reject. Each step
        and each string or collection it builds spends the budget; once it is spent, values are unknown."""
        if not self.budget.spend():
            return BUDGET_SPENT
        self.depth += 1
        outer, self._tainted = self._tainted, False
        try:
            if self.depth > MAX_DEPTH:  # tlspath's limit, not an error terraform raises: try() must not catch it
                return Unknown("expressions refer to each other too deeply to follow",
                               "simplify the expressions, or scan the module on its own")
            handler = _HANDLERS.get(node.data)
            if handler is None:
                return Unknown(f"'{render(node)}' is not evaluated by tlspath")
            result = handler(self, node, scope)
        except NotEvaluated as gap:  # a value tlspath does not compute: this expression's is not known either
            result = gap.unknown
        finally:
            self.depth -= 1
            tainted, self._tainted = self._tainted, self._tainted or outer  # an error raised after reading one too
        if is_sensitive(result):
            self._tainted = True
        elif tainted and node.data not in _CONSTRUCTORS:
            result = self.mark(result)
        self.budget.spend(_built(result))
        return result

    # -------------------------------------------------------------------------------- sensitive values

    def mark(self, value: Any) -> Any:
        """``value`` marked sensitive, its texts kept for the run to hide (see ``values.mark``)."""
        marked = mark(value)
        self.secrets.update(secret_texts(marked))
        return marked

    def taint(self) -> None:
        """The expression being evaluated reads a sensitive value: its result is sensitive."""
        self._tainted = True

    def untaint(self) -> None:
        """What the expression being evaluated has read so far no longer makes it sensitive
        (``nonsensitive()``)."""
        self._tainted = False

    @property
    def tainted(self) -> bool:
        return self._tainted

    def read(self, fetch: Callable[[], Any]) -> Any:
        """A named value (a variable, a local, a resource's attribute): computing it the first time is not
        reading what it reads, so only the value's own mark taints the expression that names it."""
        outer, self._tainted = self._tainted, False
        try:
            value = fetch()
        finally:
            self._tainted = outer
        if is_sensitive(value):
            self._tainted = True
        return value

    def holds_sensitive(self, value: Any, depth: int = 0) -> bool:
        """Whether a value is sensitive or holds a sensitive value at any depth (a function of it is
        sensitive, as in Terraform); measured once per value."""
        if is_sensitive(value):
            return True
        if not self.secrets or depth > 100 or not isinstance(value, (list, dict, Choice)):
            return False
        known = self._holding.get(id(value))
        if known is not None:
            return known[1]
        items = (value.if_true, value.if_false) if isinstance(value, Choice) else \
            value.values() if isinstance(value, dict) else value
        holds = any(self.holds_sensitive(item, depth + 1) for item in items)
        self._holding[id(value)] = (value, holds)
        return holds

    def charge(self, *values: Any) -> None:
        """Spend what walking whole values costs (comparing them, looking for one in a list)."""
        self.budget.spend(sum(weight(value, self._weights) for value in values) // ENTRY)

    def kept(self, value: Any) -> Any:
        """A value about to be kept and reused (a local, a variable, an output, a resource argument): too
        large when its expanded form is past :data:`~linter.limits.MAX_WEIGHT` -- the one place where
        ``[local.a, local.a]`` chains, cheap to build, would start costing their expanded size."""
        return value if weight(value, self._weights) <= MAX_WEIGHT else VALUE_TOO_LARGE

    def block(self, body: Body, scope: Scope, place: Position) -> Located:
        """A nested block's arguments and blocks (``dynamic`` ones expanded), each with its line and column."""
        result = Located(file=scope.file, place=place)
        for name, attribute in body.attributes.items():
            result[name] = self.value(attribute.expr, scope.at(attribute.file))
            result.key_places[name] = attribute.position
        for kind in dict.fromkeys(b.type if b.type != "dynamic" else (b.labels or ("",))[0] for b in body.blocks):
            result[kind] = self.blocks(body, kind, scope)
            result.key_places[kind] = next(b.position for b in body.blocks if kind in (b.type, *b.labels[:1]))
        return result

    def blocks(self, body: Body, kind: str, scope: Scope) -> Any:
        """Every block of one type in a body: the written ones, then the expansions of ``dynamic "kind"``."""
        written = [self.block(b.body, scope.at(b.file), b.position) for b in body.blocks_of(kind)]
        dynamic = [b for b in body.blocks_of("dynamic") if b.labels[:1] == (kind,)]
        result: Any = written
        for block in dynamic:
            expanded = self._dynamic(block.body, kind, scope.at(block.file))
            result = branch_over([result, expanded], lambda pair: pair[0] + pair[1] if isinstance(pair[1], list)
                               else pair[1])
        return result

    def _dynamic(self, body: Body, kind: str, scope: Scope) -> Any:
        content = body.blocks_of("content")
        if "for_each" not in body.attributes or not content:
            return Unknown(f'dynamic "{kind}" has no for_each or content')
        iterator = kind
        if "iterator" in body.attributes:
            iterator = render(body.attributes["iterator"].expr)
        collection = self.value(body.attributes["for_each"].expr, scope)

        def expand(items: Any) -> Any:
            gap = pending(items)
            if gap is not None:
                return gap
            return [self.block(content[0].body, scope.bind(**{iterator: Located({"key": k, "value": v})}),
                               content[0].position) for k, v in iterate(items)]

        return lift(collection, expand)

    # ---------------------------------------------------------------------------------------- templates

    def template(self, parts: list[Part], scope: Scope, origin: Location | None = None) -> Any:
        """A template's value. A template that is one interpolation keeps the value's type (a list, a
        reference), as in Terraform; anything else is a string (or an interpolated one)."""
        if len(parts) == 1 and isinstance(parts[0], Interpolation):
            return self._interpolation(parts[0], scope)
        values = self._render(_structure(_strip(parts)), scope)
        result = _text(values)
        if isinstance(result, str):
            result = normalized(result)
        if origin is not None and isinstance(result, str):
            return SourcedText(result, origin)
        if origin is not None and isinstance(result, Interpolated):
            return SourcedInterpolated(result.parts, origin)
        return result

    def _interpolation(self, part: Interpolation, scope: Scope) -> Any:
        if part.expr is None:
            return Unknown(part.error)
        return self.evaluate(part.expr, scope)

    def _render(self, nodes: list, scope: Scope) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            if isinstance(node, str):
                out.append(normalized(node))
            elif isinstance(node, Interpolation):
                out.append(self._interpolation(node, scope))
            elif isinstance(node, _If):
                if node.condition.expr is None:
                    out.append(Unknown(node.condition.error))
                    continue
                condition = self.evaluate(node.condition.expr, scope)
                out.append(self.decide(condition, node.condition.expr, node.text,
                                        functools.partial(self._joined, node.then, scope),
                                        functools.partial(self._joined, node.otherwise, scope), scope))
            elif isinstance(node, _For):
                out.append(self._template_loop(node, scope))
            else:
                out.append(Unknown(node.error or "an unsupported template directive"))
        return out

    def _joined(self, nodes: list, scope: Scope) -> Any:
        return _text(self._render(nodes, scope))

    def _template_loop(self, node: _For, scope: Scope) -> Any:
        if node.directive.expr is None:
            return Unknown(node.directive.error)
        collection = self.evaluate(node.directive.expr, scope)

        def loop(items: Any) -> Any:
            gap = pending(items)
            if gap is not None:
                return gap
            rendered = [self._joined(node.body, scope.bind(**_loop_names(node.directive.names, k, v)))
                        for k, v in iterate(items)]
            return branch_over(rendered, lambda texts: concat(list(texts)))

        return lift(collection, loop)

    # ------------------------------------------------------------------------------------ conditionals

    def decide(self, condition: Any, expression: Tree, text: str, if_true: Callable[[], Any],
               if_false: Callable[[], Any], scope: Scope) -> Any:
        """The branch a condition takes, or a choice named after it (which says what it stands for)."""
        def branch(value: Any) -> Any:
            truth = known_bool(value) if not isinstance(value, Object) else None
            if truth is True:
                return if_true()
            if truth is False:
                return if_false()
            if pending(value) is None:
                raise EvalError(f"the condition '{text}' is not a bool")
            name = scope.context.condition_name(formula_of(self, expression, scope), text)
            return Choice(name, caught(if_true), caught(if_false))  # a branch never chosen fails nothing

        return lift(condition, branch)


def caught(compute: Callable[[], Any]) -> Any:
    """What ``compute`` evaluates to, an error terraform would raise being the unknown that says it: where an
    expression's value is used (an argument, a local), or a branch of an undecided conditional (as in
    terraform, whose condition may never choose it)."""
    try:
        return compute()
    except EvalError as exc:
        return Unknown(str(exc), exc.supply)


# ------------------------------------------------------------------------------------- node handlers


def _expr_term(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    inner = subtrees(node)
    if not inner:
        raise EvalError(f"empty expression '{render(node)}'")
    return ev.evaluate(inner[0], scope)


def _literal(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    return {"true": True, "false": False, "null": None}[str(node.children[0])]


def _int(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    return sourced(whole_number(str(node.children[0])), _written(node, scope))


BUDGET_SPENT = Unknown(EXHAUSTED, EXHAUSTED_SUPPLY)


def _built(value: Any) -> int:
    """Budget steps for what a step built: a character costs 1/64, an element 1/8 (so the strings and lists
    one module builds are bounded in total, not only one by one)."""
    if isinstance(value, str):
        return len(value) >> 6
    if isinstance(value, (list, dict)):
        return len(value) >> 3
    return 0


def whole_number(digits: str) -> int | float | Unknown:
    """A whole number written in the files, as Terraform reads it (:mod:`.numbers`: past 512 bits it is
    rounded); too many digits is too large, not a crash."""
    try:
        return numbers.parse(digits)
    except NotEvaluated as gap:
        return gap.unknown


def _float(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    """``1.5``, ``1e3`` (1000, a whole number), as Terraform reads them (:mod:`.numbers`)."""
    return sourced(numbers.parse(str(node.children[0])), _written(node, scope))


def _string(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    parts = string_parts(node)
    if len(parts) == 1 and isinstance(parts[0], Interpolation):  # "${var.x}" is var.x, from wherever it came
        return ev.template(parts, scope)
    return sourced(ev.template(parts, scope), _written(node, scope))


def _written(node: Tree, scope: Scope) -> Location | None:
    """Where a literal is written (values remember it: :func:`~linter.parse.terraform.values.sourced`)."""
    line, column = position(node)
    return Location(scope.file, line, column) if line is not None else None


def _template_string(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    text = str(node.children[0])  # \"...\" inside a directive of a quoted string
    return text[2:-2]


def _heredoc(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    token = cast("Token", node.children[0])
    line = None if token.line is None else token.line + 1  # the text starts below the marker
    return ev.template(template_parts(heredoc_text(token)), scope, Location(scope.file, line))


def _tuple(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    return [ev.evaluate(item, scope) for item in subtrees(node)]  # an element's error is the tuple's (try() sees it)


def _object(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    result = Located(file=scope.file, place=position(node))
    for element in subtrees(node):
        key_node, value_node = subtrees(element)
        key = _object_key(ev, key_node, scope)
        gap = pending(key)
        if gap is not None:
            return gap
        if not isinstance(key, (str, int, float, bool)):
            raise EvalError(f"object key '{render(key_node)}' is not a string")
        key = to_model(key) if not isinstance(key, bool) else str(key).lower()
        result[str(key)] = ev.evaluate(value_node, scope)
        result.key_places[str(key)] = position(element)
    return result


def _object_key(ev: Evaluator, key_node: Tree, scope: Scope) -> Any:
    """A bare name is a literal key (``{ a = 1 }``); parentheses or quotes make it an expression."""
    inner = subtrees(key_node)
    if not inner:
        return name_of(key_node.children[0])
    expr = inner[0]
    if expr.data in ("identifier", "keyword"):
        return name_of(expr)
    if expr.data == "expr_term":
        content = subtrees(expr)
        if len(content) == 1 and len(tokens(expr)) == 0 and content[0].data in ("identifier", "literal_value"):
            return name_of(content[0])
    return ev.evaluate(expr, scope)


def _conditional(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    """The branch taken keeps its own marks; a sensitive condition makes the whole result sensitive."""
    condition, if_true, if_false = subtrees(node)
    test = ev.evaluate(condition, scope)
    secret = ev.tainted
    result = ev.decide(test, condition, render(condition), lambda: ev.evaluate(if_true, scope),
                       lambda: ev.evaluate(if_false, scope), scope)
    return ev.mark(result) if secret else result


def _unary(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    operator = str(node.children[0])
    operand = ev.evaluate(subtrees(node)[0], scope)

    def apply(value: Any) -> Any:
        gap = pending(value)
        if gap is not None:
            return gap
        if operator == "!":
            truth = known_bool(value)
            if truth is None:
                raise EvalError(f"'!' needs a bool, got {described(value)}")
            return not truth
        return numbers.negate(_number(value))

    return lift(operand, apply)


def _binary(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    left_node, term = subtrees(node)
    operator_node, right_node = subtrees(term)
    operator = str(operator_node.children[0]).strip()
    left = ev.evaluate(left_node, scope)
    if operator in ("&&", "||"):
        decisive = operator == "||"
        if lift(left, lambda v: known_bool(v) is decisive) is True:
            return decisive
    right = ev.evaluate(right_node, scope)
    if operator in ("==", "!="):
        ev.charge(left, right)
    return branch_over([left, right], lambda pair: _operate(operator, *pair))


def _operate(operator: str, left: Any, right: Any) -> Any:
    if operator in ("&&", "||"):
        truths = [known_bool(v) for v in (left, right)]
        decisive = operator == "||"
        if decisive in truths:
            return decisive
        gap = pending(left) or pending(right)
        if gap is not None:
            return gap
        if None in truths:
            raise EvalError(f"'{operator}' needs bools")
        return not decisive
    gap = pending(left) or pending(right)
    if gap is not None:
        return gap
    if operator in ("==", "!="):
        left, right = to_model(left), to_model(right)
        gap = first_gap(left) or first_gap(right)  # [unknown] == [unknown] is not known either
        if gap is not None:
            return gap
        equal = left == right and _comparable(left) == _comparable(right)
        return equal if operator == "==" else not equal
    return numbers.operate(operator, _number(left), _number(right))


def _comparable(value: Any) -> str:
    """Terraform's == compares types too: "1" != 1."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):  # an object literal, a merge() result, a decoded document: all maps
        return "map"
    return type(value).__name__


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or value is None:
        raise EvalError(f"a number is needed, got {described(value)}")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return numbers.parse(value)
    raise EvalError(f"a number is needed, got {described(value)}")


def _function(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    parts = subtrees(node)
    names = [name_of(p) for p in parts if p.data == "identifier"]
    name = "::".join(names)
    if len(names) > 1:
        return Unknown(f"provider function {name}() is not evaluated by tlspath",
                       "write the value the path needs out instead of computing it")
    arguments = next((p for p in parts if p.data == "arguments"), None)
    nodes = subtrees(arguments) if arguments is not None else []
    expand = arguments is not None and any(getattr(t, "type", "") == "ELLIPSIS" for t in arguments.children)
    function = ev.functions.get(name)
    if function is None:
        return Unknown(f"function {name}() is not evaluated by tlspath",
                       "write the value the path needs out instead of computing it")
    if getattr(function, "lazy", False):
        return function(ev, nodes, scope)
    values = [ev.evaluate(n, scope) for n in nodes]
    if any(ev.holds_sensitive(value) for value in values):
        ev.taint()
    if expand and values:
        last = values.pop()
        gap = pending(last)
        if gap is not None:
            return gap
        if not isinstance(last, list):
            raise EvalError(f"'...' expands a list, got {described(last)}")
        values.extend(last)
    return branch_over(values, lambda args: function(ev, scope, *args))


def _traversal(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    steps: list[Tree] = []
    current = node
    while current.data in _TRAVERSALS:
        inner, step = subtrees(current)
        steps.append(step)
        current = _unwrap(inner)
    steps.reverse()
    if current.data == "identifier":
        value, steps = _root(ev, name_of(current), steps, scope)
    else:
        value = ev.evaluate(current, scope)
    for step in steps:
        value = lift(value, functools.partial(_step, ev, step, scope))
    return value


def _identifier(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    value, _ = _root(ev, name_of(node), [], scope)
    return value


def _unwrap(node: Tree) -> Tree:
    """``expr_term`` around a single term (not parentheses) is transparent for traversals."""
    if node.data == "expr_term" and not tokens(node):
        inner = subtrees(node)
        if len(inner) == 1:
            return inner[0]
    return node


def _root(ev: Evaluator, name: str, steps: list[Tree], scope: Scope) -> tuple[Any, list[Tree]]:
    """Resolve the first name(s) of a traversal; returns the value and the steps left to apply."""
    fetch, used = _named(name, steps, scope)
    return ev.read(fetch), steps[used:]


def _named(name: str, steps: list[Tree], scope: Scope) -> tuple[Callable[[], Any], int]:
    """How to fetch what the first name(s) of a traversal name, and how many steps the names take."""
    if name in scope.names:
        return lambda: scope.names[name], 0
    if scope.closed:
        raise EvalError(f"'{name}' cannot be used in {scope.closed}")
    names = [_attribute_name(s) for s in steps]
    context = scope.context

    def needs(count: int) -> list[str]:
        wanted = [n for n in names[:count] if n is not None]
        if len(wanted) < count:
            raise EvalError(f"'{name}' must be followed by {count} attribute name(s)")
        return wanted

    if name in ("each", "count", "self"):
        raise StaticError(f"'{name}' is not available here")
    if name == "var":
        return functools.partial(context.variable, needs(1)[0]), 1
    if name == "local":
        return functools.partial(context.local, needs(1)[0]), 1
    if name == "module":
        return functools.partial(context.module_call, needs(1)[0]), 1
    if name == "data":
        return functools.partial(context.data, *needs(2)), 2
    if name == "path":
        return functools.partial(context.path, needs(1)[0]), 1
    if name == "terraform":
        return functools.partial(context.terraform, needs(1)[0]), 1
    return functools.partial(context.resource, name, needs(1)[0]), 1


def names_read(expr: Tree) -> set[str]:
    """Every dotted name an expression reads, with its prefixes and without indexes:
    ``aws_acm_certificate.api[0].domain_validation_options`` gives ``aws_acm_certificate.api`` and
    ``aws_acm_certificate.api.domain_validation_options`` -- which resources an expression depends on, even
    where its value is unknown."""
    names = set()
    for node in expr.iter_subtrees():
        if node.data not in _TRAVERSALS:
            continue
        attributes = []
        current = node
        while current.data in _TRAVERSALS:
            inner, step = subtrees(current)
            name = _attribute_name(step)
            if name is not None:
                attributes.append(name)
            current = _unwrap(inner)
        if current.data == "identifier":
            names.add(".".join([name_of(current), *reversed(attributes)]))
    return names


def _attribute_name(step: Tree) -> str | None:
    return name_of(subtrees(step)[0]) if step.data == "get_attr" else None


def _step(ev: Evaluator, step: Tree, scope: Scope, value: Any) -> Any:  # value last: lifted over choices
    gap = pending(value)
    if gap is not None:
        return gap
    if step.data == "get_attr":
        return ev.read(lambda: get_attribute(value, name_of(subtrees(step)[0])))
    if step.data in ("braces_index", "short_index"):
        key = (ev.evaluate(subtrees(step)[0], scope) if step.data == "braces_index"
               else whole_number(str(step.children[-1])))
        return lift(key, lambda k: ev.read(lambda: index(value, k)))
    # splats: apply the steps that follow the splat to every element
    inner = list(subtrees(step))
    items = [] if value is None else value if isinstance(value, list) else [value]
    out = []
    for item in items:
        for sub in inner:
            item = lift(item, functools.partial(_step, ev, sub, scope))
        out.append(item)
    return out


def get_attribute(value: Any, name: str) -> Any:
    gap = pending(value)
    if gap is not None:
        return gap
    if isinstance(value, Object):
        return value.attribute(name)
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"the object has no attribute '{name}'")
        return value[name]
    raise EvalError(f"cannot read attribute '{name}' of {described(value)}")


def index(value: Any, key: Any) -> Any:
    gap = pending(key) or pending(value)
    if gap is not None:
        return gap
    if isinstance(value, list):
        position = _number(key)
        if not isinstance(position, int) or not 0 <= position < len(value):
            raise EvalError(f"index {key} is out of range (the list has {len(value)} elements)")
        return value[position]
    if isinstance(value, dict):
        text = to_model(key)
        text = str(text).lower() if isinstance(text, bool) else str(text)
        if text not in value:
            raise EvalError(f"the map has no key '{text}'")
        return value[text]
    if isinstance(value, Object):
        return value.attribute(str(key))
    raise EvalError(f"cannot index {described(value)}")


def _for(ev: Evaluator, node: Tree, scope: Scope) -> Any:
    parts = subtrees(node)
    intro, rest = parts[0], parts[1:]
    intro_parts = subtrees(intro)
    names = tuple(name_of(n) for n in intro_parts[:-1])
    condition = next((p for p in rest if p.data == "for_cond"), None)
    body = [p for p in rest if p.data != "for_cond"]
    grouping = any(getattr(t, "type", "") == "ELLIPSIS" for t in node.children)
    collection = ev.evaluate(intro_parts[-1], scope)

    def build(items: Any) -> Any:
        gap = pending(items)
        if gap is not None:
            return gap
        tuple_result: list = []
        object_result = Located(file=scope.file, place=position(node))
        for k, v in iterate(items):
            inner = scope.bind(**_loop_names(names, k, v))
            if condition is not None:
                keep = ev.evaluate(subtrees(condition)[0], inner)
                if pending(keep) is not None or isinstance(keep, Choice):
                    return pending(keep) or Unknown(f"the filter of '{render(node)}' depends on an undecided condition")
                if known_bool(keep) is not True:
                    continue
            if node.data == "for_tuple_expr":
                tuple_result.append(ev.evaluate(body[0], inner))
                continue
            key = ev.evaluate(body[0], inner)
            if pending(key) is not None or isinstance(key, Choice):
                return pending(key) or Unknown(f"a key of '{render(node)}' depends on an undecided condition")
            key = str(to_model(key)).lower() if isinstance(key, bool) else str(to_model(key))
            value = ev.evaluate(body[1], inner)
            if grouping:
                object_result.setdefault(key, []).append(value)
            elif key in object_result:
                raise EvalError(f"duplicate key '{key}' in a for expression (use '...' to group)")
            else:
                object_result[key] = value
        return tuple_result if node.data == "for_tuple_expr" else object_result

    return lift(collection, build)


def iterate(items: Any) -> Iterator[tuple[Any, Any]]:
    """(key, value) pairs as Terraform iterates them: list positions, or map keys in lexical order."""
    if isinstance(items, dict):
        for key in sorted(items):
            yield key, items[key]
    elif isinstance(items, list):
        yield from enumerate(items)
    elif isinstance(items, Object):  # terraform can; its attributes are not all known here
        raise NotEvaluated(Unknown("iterating over a whole resource or module object is not evaluated by tlspath",
                                   "iterate over a list or map of the values needed"))
    elif items is None:
        raise EvalError("cannot iterate over null")
    else:
        raise EvalError(f"cannot iterate over {described(items)}")


def _loop_names(names: tuple[str, ...], key: Any, value: Any) -> dict[str, Any]:
    if len(names) == 1:
        return {names[0]: value}
    return {names[0]: key, names[1]: value}


_TRAVERSALS = ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term")
# Expressions whose value is made of their parts' values, each with its own mark: a sensitive element does not
# make the whole list or object sensitive (a function of the whole is: Evaluator.holds_sensitive).
_CONSTRUCTORS = frozenset({"expr_term", "tuple", "object"})

_HANDLERS: dict[str, Callable[[Evaluator, Any, Scope], Any]] = {
    "expr_term": _expr_term,
    "literal_value": _literal,
    "int_lit": _int,
    "float_lit": _float,
    "string": _string,
    "template_string": _template_string,
    "heredoc_template": _heredoc,
    "heredoc_template_trim": _heredoc,
    "tuple": _tuple,
    "object": _object,
    "conditional": _conditional,
    "unary_op": _unary,
    "binary_op": _binary,
    "function_call": _function,
    "identifier": _identifier,
    "for_tuple_expr": _for,
    "for_object_expr": _for,
    **dict.fromkeys(_TRAVERSALS, _traversal),
}


# --------------------------------------------------------------------------------- template structure


@dataclass
class _If:
    condition: Directive
    text: str
    then: list = field(default_factory=list)
    otherwise: list = field(default_factory=list)


@dataclass
class _For:
    directive: Directive
    body: list = field(default_factory=list)


@dataclass
class _Broken:
    error: str


def _strip(parts: list[Part]) -> list[Part]:
    """Apply ``~`` strip markers: they remove the whitespace next to the sequence."""
    out = list(parts)
    for index, part in enumerate(out):
        if isinstance(part, (Interpolation, Directive)):
            before, after = out[index - 1] if index > 0 else None, out[index + 1] if index + 1 < len(out) else None
            if part.strip_before and isinstance(before, str):
                out[index - 1] = before.rstrip()
            if part.strip_after and isinstance(after, str):
                out[index + 1] = after.lstrip()
    return out


def _structure(parts: list[Part]) -> list:
    """Nest the flat directive sequence into if/for nodes; unbalanced directives become broken nodes."""
    root: list = []
    stack: list[tuple[Any, list]] = []
    current = root
    for part in parts:
        if not isinstance(part, Directive):
            current.append(part)
        elif part.keyword == "if":
            node = _If(part, render(part.expr) if part.expr is not None else "?")
            current.append(node)
            stack.append((node, current))
            current = node.then
        elif part.keyword == "for":
            node_for = _For(part)
            current.append(node_for)
            stack.append((node_for, current))
            current = node_for.body
        elif part.keyword == "else" and stack and isinstance(stack[-1][0], _If):
            current = stack[-1][0].otherwise
        elif part.keyword in ("endif", "endfor") and stack and isinstance(stack[-1][0], _If if part.keyword == "endif" else _For):
            _, current = stack.pop()
        else:
            return [_Broken(part.error or f"template directive %{{{part.keyword}}} is out of place")]
    if stack:
        return [_Broken("a template %{if} or %{for} is not closed")]
    return root


def _text(values: list) -> Any:
    """A template's rendered pieces as one string. A piece that cannot be placed in a string (null, a list) is
    the error ``try()`` catches -- or, in one branch of an undecided condition, that branch's unknown: the
    other branches are still followed (Terraform stops only when the condition takes that branch)."""
    branching = any(isinstance(value, Choice) for value in values)

    def joined(items: list) -> Any:
        try:
            return concat([_in_string(v) for v in items])
        except EvalError as error:
            if not branching:
                raise
            return Unknown(str(error), error.supply)

    return branch_over(values, joined)


def _in_string(value: Any) -> Any:
    """A value placed inside a string template."""
    if value is None:
        raise EvalError("a null value cannot be placed in a string template")
    if isinstance(value, Object):
        raise EvalError("a whole resource or module object cannot be placed in a string")
    if isinstance(value, (list, dict)):
        raise EvalError(f"{described(value)} cannot be placed in a string")
    return to_model(value) if isinstance(value, Encoded) else value


# ------------------------------------------------------------------------------------------- choices


def lift(value: Any, function: Callable[[Any], Any]) -> Any:
    """Apply ``function`` to each branch of an undecided choice (and to a plain value directly)."""
    if isinstance(value, Choice):
        return Choice(value.condition, lift(value.if_true, function), lift(value.if_false, function))
    return function(value)


# -------------------------------------------------------------------------------------------- render

_SPACED = {"binary_operator", "QMARK", "COLON", "EQ", "FOR_OBJECT_ARROW", "IN", "IF", "FOR"}


def render(node: Any) -> str:
    """An expression as text, normalised (for condition names and messages)."""
    from lark import Token, Tree

    if node is None:
        return ""
    if isinstance(node, Token):
        text = str(node).strip()
        return f" {text} " if node.type in _SPACED else text
    if not isinstance(node, Tree):
        return str(node)
    if node.data == "new_line_or_comment":
        return ""
    if node.data == "binary_operator":
        return f" {str(node.children[0]).strip()} "
    text = "".join(render(child) for child in node.children)
    if node.data in ("arguments", "tuple"):
        text = text.replace(",", ", ")
    return " ".join(text.split()) if node.data in ("conditional", "binary_op") else text
