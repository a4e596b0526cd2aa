"""What a Terraform condition stands for: a formula over inputs (see :mod:`linter.model`'s conditions).

A conditional the files do not decide (``var.tls ? "TLS" : "TCP"``, ``count = var.enabled ? 1 : 0``) forks
the walk under a name; ``!var.tls``, ``var.env == "prod"`` and ``var.a && var.b`` are conditions over the same
root variables, so they must not be taken as independent of ``var.tls`` or of each other. The formula is
read from the expression: ``!``, ``&&``, ``||``, ``==``/``!=`` between an input and a known value; a root
variable without a value is an input named ``var.NAME`` (through every module it is passed to); any other
part the files do not decide is an input of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linter.model import AllOf, AnyOf, Formula, Is, Not, Unknown, known_bool, known_str, opaque
from linter.parse.terraform.hcl import subtrees

if TYPE_CHECKING:
    from lark import Tree

    from linter.parse.terraform.evaluate import Evaluator, Scope

def formula_of(ev: Evaluator, node: Tree, scope: Scope) -> Formula:
    """The formula a condition expression stands for."""
    if node.data == "expr_term" and subtrees(node):
        return formula_of(ev, subtrees(node)[0], scope)
    if node.data == "unary_op" and str(node.children[0]).strip() == "!":
        return Not(formula_of(ev, subtrees(node)[0], scope))
    if node.data == "binary_op":
        left, term = subtrees(node)
        operator_node, right = subtrees(term)
        operator = str(operator_node.children[0]).strip()
        if operator in ("&&", "||"):
            operands = (formula_of(ev, left, scope), formula_of(ev, right, scope))
            return AllOf(operands) if operator == "&&" else AnyOf(operands)
        if operator in ("==", "!="):
            equal = _equality(ev, left, right, scope)
            if equal is not None:
                return equal if operator == "==" else Not(equal)
    value = ev.value(node, scope)
    truth = known_bool(value)
    if truth is not None:
        return truth
    name = _input(value, scope)
    return opaque(name) if name is not None else _opaque(node, scope)


def bool_inputs(formula: Formula) -> list[Is]:
    """The inputs a formula tests as bools (``var.tls`` in ``!var.tls && var.lb``), each as its own test."""
    if isinstance(formula, Is):
        return [formula] if formula == opaque(formula.input) else []
    if isinstance(formula, Not):
        return bool_inputs(formula.operand)
    if isinstance(formula, (AllOf, AnyOf)):
        return [test for operand in formula.operands for test in bool_inputs(operand)]
    return []


def _equality(ev: Evaluator, left: Tree, right: Tree, scope: Scope) -> Formula | None:
    """``input == "value"`` (either way round) as a test of the input; ``None`` for anything else."""
    for tested, other in ((left, right), (right, left)):
        name, value = _input(ev.value(tested, scope), scope), known_str(ev.value(other, scope))
        if name is not None and value is not None:
            return Is(name, value)
    return None


def _input(value: Any, scope: Scope) -> str | None:
    """The root variable a value is, when it is one's whole value (not computed from it)."""
    return scope.context.input_name(value) if isinstance(value, Unknown) and value.identity else None


def _opaque(node: Tree, scope: Scope) -> Is:
    from linter.parse.terraform.evaluate import render

    return opaque(f"{scope.context.address}{render(node)}")
