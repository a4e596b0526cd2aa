"""Conditions built from conditions: which assumptions can hold together, and how a finding states them.

Property tests compare :mod:`linter.conditions` with brute force over every value of every input: a
consistency answer, a minimal statement of a path's assumptions and the simplest statement of the cases a
finding holds in must all mean exactly what they replace.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.conditions import Assumptions, Relations, satisfiable
from linter.model import AllOf, AnyOf, Formula, Is, Not, opaque
from linter.path import spoken

VALUES = ("prod", "dev", "test")
INPUTS = {"Env": ("prod", "dev"), "Stage": (), "Tier": ()}  # Env has AllowedValues; the others are open
NAMES = ("A", "B", "C", "D")


def atoms() -> st.SearchStrategy[Formula]:
    return st.one_of(st.builds(lambda name, value: Is(name, value, INPUTS[name]), st.sampled_from(sorted(INPUTS)),
                               st.sampled_from(VALUES)),
                     st.sampled_from(["Flag", "Other"]).map(opaque), st.booleans())


formulas = st.recursive(atoms(), lambda inner: st.one_of(
    inner.map(Not), st.lists(inner, min_size=1, max_size=3).map(lambda f: AllOf(tuple(f))),
    st.lists(inner, min_size=1, max_size=3).map(lambda f: AnyOf(tuple(f)))), max_leaves=6)
tables = st.fixed_dictionaries(dict.fromkeys(NAMES, formulas))
truths = st.dictionaries(st.sampled_from(NAMES), st.booleans(), max_size=len(NAMES))


def holds(formula: Formula, world: dict[str, str]) -> bool:
    if isinstance(formula, bool):
        return formula
    if isinstance(formula, Is):
        return world[formula.input] == formula.value
    if isinstance(formula, Not):
        return not holds(formula.operand, world)
    results = [holds(operand, world) for operand in formula.operands]
    return all(results) if isinstance(formula, AllOf) else any(results)


def worlds():
    """Every value of every input: the tested values and one more, within the domain where there is one."""
    choices = {name: domain or (*VALUES, "other") for name, domain in INPUTS.items()}
    choices.update({"Flag": ("true", "false"), "Other": ("true", "false")})
    for values in itertools.product(*choices.values()):
        yield dict(zip(choices, values))


def cases_hold(relations: Relations, cases, world) -> bool:
    return any(all(holds(relations.literal(n, t), world) for n, t in dict(case).items()) for case in cases)


@settings(max_examples=300, deadline=None)
@given(st.lists(formulas, max_size=4))
def test_satisfiable_is_exactly_brute_force(conjunction):
    assert satisfiable(conjunction) == any(all(holds(f, w) for f in conjunction) for w in worlds())


@settings(max_examples=200, deadline=None)
@given(tables, truths)
def test_a_minimal_statement_means_the_same_assumptions(table, assumed):
    relations = Relations([table])
    if not relations.consistent(assumed):
        return
    stated = dict(relations.minimal(assumed))
    assert len(stated) <= len(assumed)
    for world in worlds():  # the statement holds in exactly the worlds all the assumptions hold in
        assert cases_hold(relations, [stated], world) == cases_hold(relations, [assumed], world)


@settings(max_examples=200, deadline=None)
@given(tables, st.lists(truths, min_size=1, max_size=4))
def test_the_simplest_statement_of_several_cases_means_the_same(table, cases):
    relations = Relations([table])
    cases = [case for case in cases if relations.consistent(case)]
    if not cases:
        return
    simplest = relations.simplest(cases)
    assert len(simplest) <= len(cases)
    for world in worlds():
        assert cases_hold(relations, simplest, world) == cases_hold(relations, cases, world)


@settings(max_examples=200, deadline=None)
@given(tables, st.lists(st.tuples(st.sampled_from(NAMES), st.booleans()), max_size=6))
def test_assumptions_never_hold_an_impossible_combination(table, steps):
    relations = Relations([table])
    assumptions = Assumptions(relations)
    for name, truth in steps:
        extended = assumptions.assume(name, truth)
        if extended is None:  # refused only when no world has it
            assert assumptions.get(name) == (not truth) or not any(
                cases_hold(relations, [{**assumptions.truths, name: truth}], w) for w in worlds())
            continue
        assumptions = extended
        assert any(cases_hold(relations, [assumptions.truths], w) for w in worlds())


# -------------------------------------------------------------------------------------------- examples

ENV = {"IsProd": Is("t#Env", "prod", ("prod", "dev")), "IsDev": Is("t#Env", "dev", ("prod", "dev")),
       "NotProd": Not(Is("t#Env", "prod", ("prod", "dev"))), "UseTls": opaque("UseTls"),
       "NoTls": Not(opaque("UseTls"))}


def test_conditions_of_one_parameter_exclude_each_other():
    relations = Relations([ENV])
    assert not relations.consistent({"IsProd": True, "IsDev": True})
    assert not relations.consistent({"IsProd": True, "NotProd": True})
    assert not relations.consistent({"IsProd": False, "IsDev": False})  # AllowedValues: prod or dev
    assert relations.minimal({"IsProd": True, "NotProd": False, "IsDev": False}) == (("IsProd", True),)
    assert relations.minimal({"UseTls": True, "NoTls": False}) == (("UseTls", True),)


def test_a_problem_found_both_ways_holds_unconditionally():
    relations = Relations([ENV])
    assert relations.simplest([{"UseTls": True}, {"NoTls": True}]) == [()]
    assert relations.simplest([{"IsProd": True, "UseTls": True}, {"IsProd": True, "UseTls": False}]) == \
        [(("IsProd", True),)]
    # not prod is dev (AllowedValues), so "IsProd, or IsDev without TLS" is "IsProd, or no TLS"
    assert relations.simplest([{"IsProd": True}, {"IsDev": True, "UseTls": False}]) == \
        [(("IsProd", True),), (("UseTls", False),)]


def test_a_name_defined_two_ways_is_related_to_nothing():
    relations = Relations([{"IsProd": Is("a#Env", "prod")}, {"IsProd": Is("b#Env", "prod")},
                           {"IsDev": Is("a#Env", "dev")}])
    assert relations.consistent({"IsProd": True, "IsDev": True})


def test_conditions_are_stated_in_the_words_of_their_front_end():
    """A named condition is true or false; a Terraform condition named by its expression reads as that
    expression, or its negation."""
    assert spoken([(("IsProd", False), ("UseTls", True))]) == "IsProd is false and UseTls is true"
    assert spoken([(("var.tls", True),), (("module.app[0].var.lb", False),)]) == \
        "var.tls is true; or module.app[0].var.lb is false"
    assert spoken([(('var.env == "prod"', False), ("var.port >= 443", True))]) == 'var.env != "prod" and var.port >= 443'
    assert spoken([(("!var.tls", True),)]) == "var.tls is false"
    assert spoken([(("var.a && var.b", True), ("var.c || var.d", False))]) == "(var.a && var.b) and !(var.c || var.d)"
    assert spoken([()]) == ""
