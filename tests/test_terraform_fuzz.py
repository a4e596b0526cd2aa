"""Property tests: whatever expression a Terraform argument holds, and whatever shape a plan's values take,
analysis ends with findings or input errors -- never an exception."""

from __future__ import annotations

import copy
import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, leaked, said_by
from linter.engine import analyse
from linter.frontend import Candidate, Document
from linter.parse.terraform import TerraformSettings, build_models
from linter.parse.terraform.evaluate import Evaluator
from linter.parse.terraform.functions import FUNCTIONS as EVALUATED_FUNCTIONS
from linter.parse.terraform.modules import Configuration, Sources
from linter.rule import Settings
from linter.rules import catalogue
from terraform_snippets import clean_rest_path, instance, tcp_listener

SETTINGS = Settings(at=dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))
TERRAFORM = TerraformSettings()
ATOMS = ['"TLS"', '"TCP"', "443", "null", "true", '"https://api.example.com:8443/"', "var.v", "local.l",
         "aws_lb.nlb.arn", "aws_lb.nlb", "aws_lb_target_group.tg.arn", "aws_acm_certificate.cert.arn",
         "data.aws_lb.x.arn", "module.m.out", "each.key", "count.index", "[]", "{}", '{ a = 1 }', '["x", 2]',
         "aws_lb.nlb.dns_name", '"${aws_lb.nlb.dns_name}"', "path.module", "terraform.workspace", '"%{ if true }x%{ endif }"']
FUNCTIONS = ["format", "join", "lookup", "try", "coalesce", "jsonencode", "tostring", "tolist", "toset", "merge",
             "length", "element", "file", "templatefile", "base64encode", "one", "keys", "flatten", "nosuch"]


def expressions():
    atom = st.sampled_from(ATOMS)
    return st.recursive(atom, lambda inner: st.one_of(
        st.builds(lambda f, args: f"{f}({', '.join(args)})", st.sampled_from(FUNCTIONS), st.lists(inner, max_size=3)),
        st.builds(lambda c, a, b: f"({c} ? {a} : {b})", inner, inner, inner),
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["+", "==", "&&", "<"]), inner),
        st.builds(lambda a: f"[for x in {a} : x]", inner),
        st.builds(lambda a: f"{a}[0]", inner),
        st.builds(lambda a: f'"pre-${{{a}}}-post"', inner),
    ), max_leaves=8)


TARGETS = ["protocol", "port", "certificate_arn", "load_balancer_arn"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(TARGETS), expressions()), min_size=1, max_size=3), expressions())
def test_any_expression_is_analysed_without_exceptions(tmp_path_factory, replacements, variable):
    folder = tmp_path_factory.mktemp("tf")
    text = clean_rest_path() + tcp_listener("other") + instance("local.l", group="other")
    text += f'variable "v" {{\n  default = {variable}\n}}\n\nlocals {{\n  l = {variable}\n}}\n'
    for argument, expression in replacements:
        text = text.replace(f"  {argument} ", f"  {argument} = {expression}\n  ignored_{argument} ", 1)
    (folder / "main.tf").write_text(text)
    result = build_models([Candidate(str(folder), str(folder), True)], [], TERRAFORM)
    analysis = analyse(result.models, catalogue(), SETTINGS)
    internal = [e for e in [*result.errors, *analysis.errors] if "internal error" in e.message]
    assert internal == []


PLAN = json.loads((ROOT / "tests" / "fixtures" / "terraform" / "plan-with-modules" / "plan.json").read_text())
ODD = st.one_of(st.none(), st.booleans(), st.integers(-3, 70000), st.text(max_size=6), st.just([]), st.just({}),
                st.just({"references": ["aws_lb.nope[0].arn", "module.x"]}), st.just({"constant_value": [1]}),
                st.just([{"references": ["var.nope"]}]))


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    yield path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), ODD), min_size=1, max_size=8))
def test_any_plan_shape_is_analysed_without_exceptions(tmp_path_factory, changes):
    plan = copy.deepcopy(PLAN)
    for position, value in changes:
        paths = [p for p in _leaves(plan) if p]
        *parent_path, last = paths[position % len(paths)]
        parent = plan
        for step in parent_path:
            parent = parent[step]
        parent[last] = copy.deepcopy(value)
    folder = tmp_path_factory.mktemp("plan")
    candidate = Candidate(str(folder / "plan.json"), str(folder), True)
    result = build_models([], [Document(candidate, "", plan)], TERRAFORM)
    analysis = analyse(result.models, catalogue(), SETTINGS)
    internal = [e for e in [*result.errors, *analysis.errors] if "internal error" in e.message]
    assert internal == []


# ------------------------------------------------------------------------- functions with malformed arguments

ARGUMENTS = ['"text"', '""', '"%"', '"%d"', '"%s-%s"', '"%999999999999d"', '"%[1]s"', '"%b"', '"/a+/"', '"/(/"',
             '"a,b"', '","', "1", "-1", "1.5", "0", "1e300", "true", "null", "[]", '[1, "a"]', "[[1], [2]]", "{}",
             "{ a = 1 }", '{ a = { b = "c" } }', "var.unset", "var.obj", "var.obj.a", "var.obj.missing", "local.m",
             "local.m.missing", "aws_lb.nlb", "aws_lb.nlb.arn", '"${aws_lb.nlb.dns_name}.x"', "data.aws_lb.x.arn",
             "path.module", '(var.flag ? "a" : "b")', "[var.unset]", '"b\u00fccher"', '"file.txt"', '"a.json"',
             "module.m", "local.undeclared", '"${var.unset}"', "aws_lb.nlb.dns_name"]
PREAMBLE = '''variable "unset" {}
variable "flag" {}
variable "obj" {
  default = { a = "x", b = [1, 2] }
}
locals {
  m = { a = "x" }
}
resource "aws_lb" "nlb" {
  name = "nlb"
}
'''


def calls():
    """Every function tlspath evaluates, called with any number of arguments of any shape -- each one a value,
    an unknown, a reference, a choice or another call."""
    return st.recursive(st.sampled_from(ARGUMENTS), lambda inner: st.one_of(
        st.builds(lambda name, args: f"{name}({', '.join(args)})", st.sampled_from(sorted(EVALUATED_FUNCTIONS)),
                  st.lists(inner, max_size=4)),
        st.builds(lambda items: f"[{', '.join(items)}]", st.lists(inner, max_size=2)),
        st.builds(lambda a: f"{{ k = {a} }}", inner),
    ), max_leaves=6).filter(lambda text: "(" in text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls())
def test_functions_with_malformed_arguments_give_values_or_unknowns_in_the_users_words(tmp_path_factory, call):
    """Every function, whatever it is given, evaluates to a value or an unknown -- no exception -- and
    nothing it says is Python's own words or how tlspath represents values inside."""
    folder = tmp_path_factory.getbasetemp() / "functions"
    folder.mkdir(exist_ok=True)
    (folder / "file.txt").write_text("host.example.com")
    (folder / "main.tf").write_text(PREAMBLE + f"locals {{\n  probe = {call}\n}}\n")
    sources = Sources()
    module = sources.module(str(folder), str(folder))
    assert sources.errors == [], call
    value = Configuration(module, str(folder), {}, sources, Evaluator(EVALUATED_FUNCTIONS)).root.local("probe")
    said = [text for text in said_by(value) if text]
    assert [leak for text in said for leak in leaked(text)] == [], said
