"""CloudFormation intrinsic functions, evaluated as far as the files allow and never further.

A value that depends on something only known at deploy time (a parameter without ``Default``, a pseudo
parameter, an export no scanned template provides) becomes :class:`~linter.model.Unknown` with the reason and
how to supply it. An ``Fn::If`` on a condition that cannot be decided becomes a
:class:`~linter.model.Choice`: the walk follows both branches.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from linter.conditions import branch_over, concat, too_large
from linter.limits import EXHAUSTED, EXHAUSTED_SUPPLY, MAX_ITEMS, Budget
from linter.model import (
    AllOf, AnyOf, Choice, Formula, Interpolated, Is, Not, Reference, Unknown, first_unknown, known_int,
    known_str, opaque,
)
from linter.parse.documents import MarkedDict, MarkedList
from linter.parse.foreach import Expansion
from linter.parse.parameters import no_echo


class _NoValue:
    """``AWS::NoValue``: the property is removed."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()
STACK_NAME = Unknown("pseudo parameter AWS::StackName is only known at deploy time",
                     "write the name out instead of building it from AWS::StackName")
UNDECIDED = object()  # a condition whose truth the files do not determine

MAX_DEPTH = 100
_PSEUDO = ("AWS::AccountId", "AWS::NotificationARNs", "AWS::Partition", "AWS::Region", "AWS::StackId",
           "AWS::StackName", "AWS::URLSuffix")

# GetAtt attribute names as the model knows them; anything else keeps its own name.
_ATTRIBUTES = {"DNSName": "dns_name", "Arn": "arn", "LoadBalancerArn": "arn", "ListenerArn": "arn",
               "TargetGroupArn": "arn", "VpcLinkId": "id", "CertificateArn": "arn", "Id": "id",
               "PublicDnsName": "public_dns", "PublicIp": "public_ip"}


class EvaluationError(Exception):
    """A template that cannot be evaluated at all (absurd nesting, condition cycles)."""


def attribute_name(attribute: str) -> str:
    return _ATTRIBUTES.get(attribute, attribute)


class Evaluator:
    """Evaluates values of one template.

    ``ref_attribute(type)`` says what ``Ref`` returns for a resource type (an ARN, an id ...);
    ``import_value(name)`` resolves ``Fn::ImportValue`` against the other templates of the run.
    """

    def __init__(self, template: Mapping, key_of: Callable[[str], str], ref_attribute: Callable[[str], str],
                 import_value: Callable[[str], Any], nested_output: Callable[[str, str], Any],
                 parameter_values: Mapping[str, Any] | None = None,
                 how_to_give: Callable[[str], str] | None = None, secrets: set[str] | None = None):
        self.template = template
        self._key_of = key_of
        self._ref_attribute = ref_attribute
        self._import_value = import_value
        self._nested_output = nested_output
        self._parameter_values = parameter_values or {}  # what a parent stack passes, or the user gives
        self._how_to_give = how_to_give or _pass_parameter  # how a parameter gets a value besides its Default
        self.secrets = set() if secrets is None else secrets  # NoEcho values: judged, never shown (linter.sensitive)
        self.parameters = _as_dict(template.get("Parameters"))
        self.mappings = _as_dict(template.get("Mappings"))
        self.resources: dict = _as_dict(template.get("Resources"))
        self._conditions = _as_dict(template.get("Conditions"))
        self._condition_cache: dict[str, Any] = {}
        self._condition_stack: set[str] = set()
        self.budget = Budget()
        self.loops = Expansion(self._collection, self.budget)  # Fn::ForEach; its collections may read parameters
        self.resources = self.loops.section(self.resources)
        self.outputs = self.loops.section(_as_dict(template.get("Outputs")))

    # ------------------------------------------------------------------ values

    def value(self, node: Any, depth: int = 0) -> Any:
        """The evaluated value of a node; dictionaries and lists keep their marks (and their keys' marks).
        Each step, and each string or list it builds, spends the template's budget; once it is spent,
        values are unknown (aliases and exports can make a small template describe runaway work)."""
        if not self.budget.spend():
            return BUDGET_SPENT
        if depth > MAX_DEPTH:
            raise EvaluationError(f"values are nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            if len(node) == 1:
                (name, arg), = node.items()
                handler = _FUNCTIONS.get(name)
                if handler is not None:
                    result = handler(self, arg, depth + 1)
                    self.budget.spend(len(result) >> 6 if isinstance(result, str) else 0)
                    return result
            self.budget.spend(len(node) >> 3)
            out = MarkedDict()
            out.start_mark, out.end_mark = getattr(node, "start_mark", None), getattr(node, "end_mark", None)
            for key, item in node.items():
                evaluated = self.value(item, depth + 1)
                if evaluated is not NO_VALUE:
                    out[key] = evaluated
            return out
        if isinstance(node, list):
            out_list = MarkedList(v for v in (self.value(item, depth + 1) for item in node) if v is not NO_VALUE)
            out_list.start_mark, out_list.end_mark = getattr(node, "start_mark", None), getattr(node, "end_mark", None)
            return out_list
        if isinstance(node, str) and DYNAMIC_REFERENCE in node:
            return resolved_at_deploy(node)
        return node

    def _collection(self, node: Any) -> Any:
        """A ``Fn::ForEach`` collection's value; one that cannot be evaluated at all is unknown (the loop says
        why), as the template's other values still can be."""
        try:
            return self.value(node)
        except EvaluationError as exc:
            return Unknown(str(exc), "simplify the collection")

    def ref(self, name: Any) -> Any:
        if isinstance(name, dict):
            return Unknown("Ref to a computed name", "Ref a parameter or resource by its name")
        if known_str(name) is None:
            return malformed("Ref", f"it names {shape(name)}, not a parameter or resource")
        name = str(known_str(name))
        if name == "AWS::NoValue":
            return NO_VALUE
        if name == "AWS::StackName":
            return STACK_NAME
        if name in _PSEUDO:
            return Unknown(f"pseudo parameter {name} is only known at deploy time",
                           "write the value out, or pass it as a parameter with a Default", identity=self._key_of(name))
        if name in self.parameters:
            return self._parameter(name)
        if name in self.resources:
            resource = self.resources[name]
            kind = resource.get("Type") if isinstance(resource, dict) else None
            return Reference(self._key_of(name), self._ref_attribute(str(kind)))
        return Unknown(f"Ref to '{name}', which is neither a parameter nor a resource of this template",
                       "declare it, or correct the name")

    def _parameter(self, name: str) -> Any:
        declared = self.parameters[name]
        if name in self._parameter_values:
            default = self._parameter_values[name]
            if isinstance(default, Unknown) and not default.identity:  # a given value the files do not show
                return dataclasses.replace(default, identity=self._key_of(name))
        elif not isinstance(declared, dict) or "Default" not in declared:
            return Unknown(f"parameter '{name}' has no Default",
                           f"give parameter '{name}' a Default, or {self._how_to_give(name)}",
                           identity=self._key_of(name))
        else:
            default = as_deployed(name, declared, declared["Default"], self._key_of(name))
            if isinstance(default, Unknown):
                return default
        kind = str(declared.get("Type", "")) if isinstance(declared, dict) else ""
        if no_echo(declared):  # CloudFormation masks it: so do we
            self.secrets.update(text for text in map(known_str, _flat(default)) if text)
        if isinstance(default, str) and (kind.startswith("List<") or kind == "CommaDelimitedList"):
            return [item.strip() for item in default.split(",")]
        return default

    def get_att(self, arg: Any, depth: int = 0) -> Any:
        if isinstance(arg, list) and len(arg) == 1 and isinstance(arg[0], str):
            arg = arg[0]  # the short form without a dot ('!GetAtt Nlb'), as the YAML reader gives it
        if isinstance(arg, str):
            logical, _, attribute = arg.partition(".")
            if not logical or not attribute:
                return malformed("Fn::GetAtt", f"'{arg}' is not a resource and an attribute")
            arg = [logical, attribute]
        if not isinstance(arg, list) or len(arg) != 2:
            return malformed("Fn::GetAtt", f"it takes a resource and an attribute, not {items(arg)}")
        logical = arg[0]
        if not isinstance(logical, str):
            return malformed("Fn::GetAtt", f"the resource is {shape(logical)}, not a logical id")
        if logical not in self.resources:
            return Unknown(f"Fn::GetAtt on '{logical}', which is not a resource of this template",
                           "declare the resource here, or import its value from the stack that does (Fn::ImportValue)")

        def attribute_of(attribute: Any) -> Any:
            name = known_str(attribute)
            if name is None:
                return first_unknown_or(attribute, f"Fn::GetAtt on '{logical}' with an attribute only known at "
                                                   "deploy time") if _computed(attribute) else \
                    malformed("Fn::GetAtt", f"the attribute is {shape(attribute)}, not a name")
            if name.startswith("Outputs."):
                return self._nested_output(logical, name[len("Outputs."):])
            return Reference(self._key_of(logical), attribute_name(name))

        return lift(self.value(arg[1], depth), attribute_of)

    def sub(self, arg: Any, depth: int) -> Any:
        variables: dict = {}
        if isinstance(arg, list):
            if len(arg) != 2 or not isinstance(arg[1], dict):
                return malformed("Fn::Sub", "its list form holds the text and a mapping of variables")
            arg, variables = arg[0], arg[1]
        if isinstance(arg, dict):
            return Unknown("Fn::Sub with a computed template string", "write the Fn::Sub template string out")
        text = arg if isinstance(arg, str) else None
        if text is None:
            return malformed("Fn::Sub", f"the text is {shape(arg)}, not a string")
        parts: list[Any] = []
        values: dict[str, Any] = {}  # each variable evaluated once, however often the string names it
        position = 0
        for start, end, written in sub_variables(text):
            parts.append(text[position:start])
            name = written.strip()
            if name not in values:
                values[name] = self._sub_variable(name, variables, depth)
            parts.append(values[name])
            position = end
        parts.append(text[position:])
        return concat([resolved_at_deploy(p.replace("${!", "${")) if isinstance(p, str) else p for p in parts])

    def _sub_variable(self, name: str, variables: dict, depth: int) -> Any:
        if name in variables:
            return self.value(variables[name], depth + 1)
        if "." in name and name.split(".", 1)[0] in self.resources:
            return self.get_att(name, depth)
        return self.ref(name)

    def join(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return malformed("Fn::Join", f"it takes a delimiter and a list, not {items(arg)}")

        def joined(delimiter: Any, items: Any) -> Any:
            return (_operand("Fn::Join", "delimiter", delimiter, str) or _operand("Fn::Join", "list", items, list)
                    or _join(known_str(delimiter), items))

        return self._lifted(joined, self.value(arg[0], depth), self.value(arg[1], depth))

    def select(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return malformed("Fn::Select", f"it takes an index and a list, not {items(arg)}")

        def pick(index: Any, items: Any) -> Any:
            gap = _operand("Fn::Select", "index", index, int) or _operand("Fn::Select", "list", items, list)
            if gap is not None:
                return gap
            position = known_int(index)
            if position is None or position < 0:
                return malformed("Fn::Select", f"the index {shape(index)} is not a whole number of 0 or more")
            return items[position] if position < len(items) else \
                Unknown(f"Fn::Select index {position} is out of range (the list has {len(items)} elements)",
                        "select an index inside the list")

        return self._lifted(pick, self.value(arg[0], depth), self.value(arg[1], depth))

    def split(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return malformed("Fn::Split", f"it takes a delimiter and a string, not {items(arg)}")

        def cut(delimiter: Any, source: Any) -> Any:
            gap = _operand("Fn::Split", "delimiter", delimiter, str) or _operand("Fn::Split", "text", source, str)
            if gap is not None:
                return gap
            text, separator = str(known_str(source)), str(known_str(delimiter))
            if not separator:
                return Unknown("Fn::Split with an empty delimiter", "give Fn::Split a delimiter")
            if text.count(separator) >= MAX_ITEMS:  # counted before the list is made
                return too_large(f"a list of more than {MAX_ITEMS:,} elements")
            return text.split(separator)

        return self._lifted(cut, self.value(arg[0], depth), self.value(arg[1], depth))

    @staticmethod
    def _lifted(function: Callable[[Any, Any], Any], first: Any, second: Any) -> Any:
        """``function`` of two evaluated operands, once per branch of the choices in them."""
        return lift(first, lambda first: lift(second, lambda second: function(first, second)))

    def find_in_map(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            return malformed("Fn::FindInMap", f"it takes a map name and two keys, not {items(arg)}")
        keys = [self.value(item, depth) for item in arg[:3]]
        if any(isinstance(k, Choice) for k in keys):
            index = next(i for i, k in enumerate(keys) if isinstance(k, Choice))
            choice = keys[index]
            return Choice(choice.condition,
                          self.find_in_map([*arg[:index], choice.if_true, *arg[index + 1:]], depth),
                          self.find_in_map([*arg[:index], choice.if_false, *arg[index + 1:]], depth))
        names = [known_str(k) for k in keys]
        if None in names:
            unknown = next(filter(None, (_operand("Fn::FindInMap", "key", k, str) for k in keys)))
            return self._any_entry(names, unknown, depth)
        found = self.mappings.get(names[0], {})
        for name in names[1:]:
            found = found.get(name) if isinstance(found, dict) else None
        if found is None:
            if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
                return self.value(arg[3]["DefaultValue"], depth)
            return Unknown(f"Fn::FindInMap: Mappings has no entry {' > '.join(map(repr, names))}",
                           "add the entry to Mappings, or give Fn::FindInMap a DefaultValue")
        return self.value(found, depth)

    def _any_entry(self, names: list[str | None], unknown: Unknown, depth: int) -> Any:
        """Fn::FindInMap with keys only known at deploy time (``!FindInMap [RegionMap, !Ref AWS::Region, Policy]``):
        a deploy whose key has no entry fails, so the value is one of the entries the known keys leave -- known
        when they are all the same, else unknown, saying what each key gives."""
        found: list[tuple[str, Any]] = [("", self.mappings)]
        for name in names:  # each entry with the keys that lead to it below the map: "eu-west-1 > Policy"
            found = [(f"{path} > {key}" if path else ("" if key == names[0] else str(key)), value)
                     for path, entry in found if isinstance(entry, dict)
                     for key, value in (entry.items() if name is None else [(name, entry.get(name))])
                     if value is not None]
        if not found:
            return unknown
        if all(value == found[0][1] for _, value in found):
            return self.value(found[0][1], depth)
        shown_entries = "; ".join(f"{path}: {value}" if isinstance(value, (str, int)) else path
                                  for path, value in found[:_ENTRIES_SHOWN])
        more = f"; and {len(found) - _ENTRIES_SHOWN} more" if len(found) > _ENTRIES_SHOWN else ""
        return Unknown(f"Fn::FindInMap picks an entry of Mappings '{names[0] or '?'}' by a key only known at deploy "
                       f"time ({unknown.reason}): {shown_entries}{more}", unknown.supply)

    def if_(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 3:
            return malformed("Fn::If", f"it takes a condition name and two values, not {items(arg)}")
        name = arg[0]
        if not isinstance(name, str):
            return malformed("Fn::If", f"the condition is {shape(name)}, not a condition name")
        if name not in self._conditions:
            return Unknown(f"Fn::If on condition '{name}', which the template does not declare",
                           f"declare '{name}' under Conditions")
        truth = self.condition(name)
        if truth is True:
            return self.value(arg[1], depth)
        if truth is False:
            return self.value(arg[2], depth)
        branches = (self.value(arg[1], depth), self.value(arg[2], depth))
        return Choice(name, *(None if branch is NO_VALUE else branch for branch in branches))

    def import_value(self, arg: Any, depth: int) -> Any:
        return lift(self.value(arg, depth), self._import)

    def _import(self, name: Any) -> Any:
        """The export named; a name built from a value only known at deploy time says which value that is."""
        gap = first_unknown(name) if isinstance(name, (Unknown, Interpolated)) else None
        if gap is not None:
            return Unknown(f"Fn::ImportValue of a name only known at deploy time ({gap.reason})", gap.supply)
        return _operand("Fn::ImportValue", "name", name, str) or self._import_value(str(known_str(name)))

    def base64(self, arg: Any, depth: int) -> Any:
        """The text itself: the encoded text is what the instance runs -- kept readable for script analysis,
        with the parts only known at deploy time (``${AWS::Region}``) unknown where they stand."""
        return lift(self.value(arg, depth), lambda text: text if isinstance(text, (Interpolated, Reference, Unknown))
                    else _operand("Fn::Base64", "text", text, str) or text)

    # -------------------------------------------------------------- conditions

    def condition(self, name: str) -> Any:
        """True, False or :data:`UNDECIDED` for a named condition."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        if name not in self._conditions:
            return UNDECIDED
        if name in self._condition_stack:
            raise EvaluationError(f"condition '{name}' refers to itself")
        self._condition_stack.add(name)
        try:
            truth = self._truth(self._conditions[name], 0)
        finally:
            self._condition_stack.discard(name)
        self._condition_cache[name] = truth
        return truth

    def _truth(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise EvaluationError(f"conditions are nested deeper than {MAX_DEPTH} levels")
        if not isinstance(node, dict) or len(node) != 1:
            return known_bool_or_undecided(node)
        (function, arg), = node.items()
        if function == "Condition":
            return self.condition(arg) if isinstance(arg, str) else UNDECIDED
        items = arg if isinstance(arg, list) else []
        if function == "Fn::Equals" and len(items) == 2:
            left, right = (known_str(self.value(item, depth + 1)) for item in items)
            return UNDECIDED if left is None or right is None else left == right
        if function == "Fn::Not" and len(items) == 1:
            inner = self._truth(items[0], depth + 1)
            return inner if inner is UNDECIDED else not inner
        if function in ("Fn::And", "Fn::Or"):
            values = [self._truth(item, depth + 1) for item in items]
            decisive = function == "Fn::Or"  # True decides an Or, False decides an And
            if decisive in values:
                return decisive
            return UNDECIDED if UNDECIDED in values else not decisive
        return UNDECIDED


    # ---------------------------------------------------------------- relations

    def formulas(self) -> dict[str, Formula]:
        """What each condition the template leaves undecided stands for (see :meth:`formula`); a condition
        that cannot be evaluated (a cycle) is left out, so it stands for itself."""
        found: dict[str, Formula] = {}
        for name in map(str, self._conditions):
            try:
                if self.condition(name) is UNDECIDED:
                    found[name] = self.formula(name)
            except EvaluationError:
                continue
        return found

    def formula(self, name: str) -> Formula:
        """What a condition stands for, over inputs: parameters (and pseudo parameters) the template gives
        no value, tested against values (``Env = prod``, with the parameter's ``AllowedValues`` as its
        domain), and parts nothing reduces further, each an input of its own."""
        if name not in self._conditions:
            return opaque(name)
        return self._formula(self._conditions[name], 0)

    def _formula(self, node: Any, depth: int) -> Formula:
        truth = self._truth(node, depth)
        if truth is not UNDECIDED:
            return bool(truth)
        if not isinstance(node, dict) or len(node) != 1:
            return self._opaque(node)
        (function, arg), = node.items()
        items = arg if isinstance(arg, list) else []
        if function == "Condition" and isinstance(arg, str):
            return self.formula(arg)
        if function == "Fn::Not" and len(items) == 1:
            return Not(self._formula(items[0], depth + 1))
        if function in ("Fn::And", "Fn::Or"):
            operands = tuple(self._formula(item, depth + 1) for item in items)
            return AllOf(operands) if function == "Fn::And" else AnyOf(operands)
        if function == "Fn::Equals" and len(items) == 2:
            for tested, other in (items, items[::-1]):
                value = known_str(self.value(other, depth + 1))
                test = self._input(tested, depth + 1)
                if test is not None and value is not None:
                    return Is(test.input, value, test.domain)
        return self._opaque(node)

    def _input(self, node: Any, depth: int) -> Is | None:
        """The input a node is, when its whole value is a parameter's (or pseudo parameter's) that is only
        known at deploy time -- a nested stack's parameter is its parent's input -- as a test against no
        value yet, with the parameter's ``AllowedValues`` as its domain."""
        value = self.value(node, depth)
        if not isinstance(value, Unknown) or not value.identity:
            return None
        name = node.get("Ref") if isinstance(node, dict) and len(node) == 1 else None
        declared = self.parameters.get(name) if isinstance(name, str) else None
        allowed = declared.get("AllowedValues") if isinstance(declared, dict) else None
        domain = [known_str(item) for item in allowed] if isinstance(allowed, list) else []
        return Is(value.identity, "", tuple(v for v in domain if v is not None) if None not in domain else ())

    def _opaque(self, node: Any) -> Is:
        """A part of a condition nothing reduces: an input of its own, the same wherever it is written."""
        return opaque(self._key_of(json.dumps(node, sort_keys=True, default=str)))


def sub_variables(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, name)`` of each ``${name}`` in a ``Fn::Sub`` string (``${!literal}`` is not one). Found
    with plain searches that never scan the same text twice: a regular expression would rescan the rest of
    the text from every unclosed ``${``."""
    close = -1
    start = text.find("${")
    while start >= 0:
        if close < start + 2:
            close = text.find("}", start + 2)
            if close < 0:
                return
        name = text[start + 2:close]
        if name and name[0] != "!":
            yield start, close + 1, name
            start = text.find("${", close + 1)
        else:
            start = text.find("${", start + 1)


BUDGET_SPENT = Unknown(EXHAUSTED, EXHAUSTED_SUPPLY)


def known_bool_or_undecided(node: Any) -> Any:
    text = known_str(node)
    return {"true": True, "false": False}.get(text.lower(), UNDECIDED) if text else UNDECIDED


def first_unknown_or(value: Any, reason: str) -> Unknown:
    """Why the result of a function over ``value`` is unknown: the value's own reason (but no longer its
    identity: a result computed from an input is not that input), else ``reason``."""
    return value.derived() if isinstance(value, Unknown) else Unknown(reason)


def lift(value: Any, function: Callable[[Any], Any]) -> Any:
    """Apply ``function`` to each branch of a :class:`Choice` -- the value itself, or an item of a list."""
    if isinstance(value, list):
        return branch_over(list(value), lambda items: function(MarkedList(items)))
    return branch_over([value], lambda settled: function(settled[0]))


def _join(delimiter: str | None, items: list) -> Any:
    parts: list[Any] = []
    for index, item in enumerate(items):
        if index:
            parts.append(delimiter)
        parts.append(item)
    return concat(parts)


def _ref(ev: Evaluator, arg: Any, depth: int) -> Any:
    return ev.ref(arg)


def _get_att(ev: Evaluator, arg: Any, depth: int) -> Any:
    return ev.get_att(arg, depth)


def _not_evaluated(name: str) -> Callable[[Evaluator, Any, int], Any]:
    return lambda ev, arg, depth: Unknown(f"{name} is not evaluated statically",
                                          f"write the value the path needs out instead of computing it with {name}")


_FUNCTIONS: dict[str, Callable[[Evaluator, Any, int], Any]] = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": Evaluator.sub,
    "Fn::Join": Evaluator.join,
    "Fn::Select": Evaluator.select,
    "Fn::Split": Evaluator.split,
    "Fn::FindInMap": Evaluator.find_in_map,
    "Fn::If": Evaluator.if_,
    "Fn::ImportValue": Evaluator.import_value,
    "Fn::Base64": Evaluator.base64,
    **{name: _not_evaluated(name) for name in ("Fn::GetAZs", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString",
                                               "Fn::Transform", "Fn::ForEach", "Fn::EachMemberEquals",
                                               "Fn::ValueOf", "Fn::RefAll", "Fn::Contains")},
}


# How each function is written, for the fix of a malformed one.
_USAGE = {"Ref": "!Ref Name", "Fn::GetAtt": "!GetAtt Resource.Attribute", "Fn::Sub": "!Sub 'text ${Name}'",
          "Fn::Join": "!Join [delimiter, [values]]", "Fn::Select": "!Select [index, [values]]",
          "Fn::Split": "!Split [delimiter, text]", "Fn::FindInMap": "!FindInMap [Map, TopLevelKey, SecondLevelKey]",
          "Fn::If": "!If [Condition, value if true, value if false]", "Fn::ImportValue": "!ImportValue name",
          "Fn::Base64": "!Base64 text"}


def malformed(function: str, what: str) -> Unknown:
    """An intrinsic whose arguments CloudFormation rejects: what is wrong, and how the function is written."""
    return Unknown(f"malformed {function}: {what}", f"write it as {_USAGE[function]}")


def shape(node: Any) -> str:
    """What a template holds where a function wanted something else, in the template's own terms."""
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "a boolean"
    if isinstance(node, (int, float)):
        return f"the number {node}"
    if isinstance(node, str):
        return f"'{node}'" if len(node) <= 60 else f"'{node[:57]}...'"
    if isinstance(node, list):
        return "an empty list" if not node else "a list"
    if isinstance(node, dict):
        return "a mapping"
    return "a computed value"


def items(node: Any) -> str:
    """What a function that takes a list of arguments was given instead."""
    if isinstance(node, list) and node:
        return f"a list of {len(node)}"
    return shape(node)


def _computed(value: Any) -> bool:
    """Whether an evaluated value stands for text or a list only known at deploy time (rather than being
    something of the wrong kind)."""
    return isinstance(value, (Unknown, Reference, Interpolated))


_ENTRIES_SHOWN = 4  # entries of a mapping an unknown FindInMap lists


def _operand(function: str, role: str, value: Any, kind: type) -> Unknown | None:
    """Why ``value`` cannot serve as the ``role`` of ``function`` (a string, a list or a whole number, as
    ``kind`` says): it is only known at deploy time, or it is of another kind; ``None`` when it serves."""
    if kind is list and isinstance(value, list):
        return None
    if kind is str and known_str(value) is not None and not isinstance(value, bool):
        return None
    if kind is int and (isinstance(value, (int, str)) and not isinstance(value, bool)):
        return None
    if _computed(value):
        return first_unknown_or(value, f"{function} with a {role} only known at deploy time")
    expected = {list: "a list", str: "a string", int: "a whole number"}[kind]
    return malformed(function, f"the {role} is {shape(value)}, not {expected}")


def _pass_parameter(name: str) -> str:
    return f"pass --parameter {name}=VALUE"


# ------------------------------------------------------------------------------- values read at deploy time

DYNAMIC_REFERENCE = "{{resolve:"
_DYNAMIC = re.compile(r"\{\{resolve:([A-Za-z-]+):([^{}]*)\}\}")
_STORES = {"ssm": "SSM parameter", "ssm-secure": "SecureString SSM parameter",
           "secretsmanager": "Secrets Manager secret"}
_TO_CHECK = "to check this hop, write the value in the template or pass it in a parameter with a Default"


def resolved_at_deploy(text: str) -> Any:
    """A string with dynamic references (``{{resolve:ssm:/app/host}}``, ``{{resolve:secretsmanager:...}}``):
    CloudFormation puts in what the parameter or secret holds when the stack is deployed, so each is an unknown
    naming it -- the same unknown wherever the same reference is written, so a host and a certificate name
    built from one compare as written. A string without one is itself."""
    parts: list[Any] = []
    position = 0
    for match in _DYNAMIC.finditer(text):
        parts.extend((text[position:match.start()], _dynamic_reference(match)))
        position = match.end()
    return concat([*parts, text[position:]]) if parts else text


def _dynamic_reference(match: re.Match[str]) -> Unknown:
    service, argument = match.group(1).lower(), match.group(2)
    store = _STORES.get(service)
    if store is None:
        return Unknown(f"'{match.group(0)}' is a dynamic reference CloudFormation resolves when the stack is deployed",
                       f"tlspath does not resolve it: {_TO_CHECK}", identity=match.group(0))
    fields = argument.split(":")
    named = ":".join(fields[:7]) if service == "secretsmanager" and fields[0] == "arn" else fields[0]
    version = "" if service == "secretsmanager" or len(fields) < 2 else f" (version {fields[1]})"
    return Unknown(f"the value comes from the {store} '{named}'{version}, which CloudFormation reads when the stack "
                   "is deployed", f"tlspath does not read {store}s: {_TO_CHECK}", identity=match.group(0))


def as_deployed(name: str, declared: Any, written: Any, identity: str = "") -> Any:
    """What a parameter holds for a value written for it in the files (its Default, a parent stack's
    ``Parameters``): for an ``AWS::SSM::Parameter::Value<...>`` type, the value of the SSM parameter the
    written text names -- known only when the stack is deployed. (Values given on the command line or in a
    deploy's file are settled where they are read: :mod:`linter.parse.parameters`.)"""
    kind = str(declared.get("Type", "")) if isinstance(declared, dict) else ""
    parameter = known_str(written)
    if not kind.startswith("AWS::SSM::Parameter::Value<") or parameter is None:
        return written
    return Unknown(f"parameter '{name}' is the value of the SSM parameter '{parameter}', which CloudFormation "
                   "reads when the stack is deployed",
                   f"tlspath does not read SSM parameters: to check this hop, pass --parameter {name}=VALUE with "
                   "the value it holds", identity=identity)


def _flat(value: Any) -> list:
    """A parameter value's items: its own, or those of a list given for a list parameter."""
    return list(value) if isinstance(value, list) else [value]


def _as_dict(node: Any) -> dict:
    return node if isinstance(node, dict) else {}

