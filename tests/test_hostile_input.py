"""Hostile and absurd input, class by class: each ends in a clear input error or an unknown (I9513) for the
file that holds it -- never a traceback, a hang or an exhausted memory, and never at the cost of another
file's findings.

Every run goes through :func:`bounded.tlspath_bounded`: the real CLI in a subprocess with CPU, memory and
wall-clock bounds held by the harness. A healthy template sits next to the hostile files in each run and its
finding must survive.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import socket
import threading

import pytest

from bounded import tlspath_bounded
from conftest import SAMPLES, line_of
from terraform_snippets import acm_certificate, nlb, pass_through_path, rest_integration, tls_listener, vpc_link
from tls_stack import api_path, stack

HEALTHY = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"
DIGITS = 5000  # past Python's int/str conversion limit (4,300 digits)


def _with_healthy(folder):
    folder.mkdir(parents=True, exist_ok=True)
    healthy = folder / "healthy.yaml"
    shutil.copy(HEALTHY, healthy)
    return healthy


def _assert_healthy(run, healthy):
    assert ("E9501", str(healthy)) in {(f["rule"], f["file"]) for f in run.findings}, run.err


def _errors(run) -> dict[str, str]:
    errors = {error["file"]: error["message"] for error in run.report["errors"]}
    assert len(errors) == len(run.report["errors"]), f"a file is reported twice: {run.report['errors']}"
    return errors


def _gaps(run) -> list[str]:
    return [f["message"] for f in run.findings if f["rule"] == "I9513"]


def _terraform_path(uri: str, locals_block: str = "", user_data: str | None = None) -> str:
    """A REST integration whose URI (or the TLS-listener path around it) is what the test computes."""
    path = rest_integration(uri=uri) + vpc_link() + nlb() + tls_listener() + acm_certificate()
    if user_data is not None:
        path = pass_through_path(user_data).replace('"https://api.example.com/"', uri)
    return f"locals {{\n{locals_block}\n}}\n{path}"


# ------------------------------------------------------------------------------------------ numbers


def test_numbers_of_any_size_never_hide_another_files_findings(write, tmp_path):
    healthy = _with_healthy(tmp_path)
    big = "9" * DIGITS
    yaml_int = write("yaml-int.yaml", f"AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  n: {big}\n"
                                      "Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    base60 = write("base60.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  n: 1" + ":0" * 200_000 + "\n")
    json_int = write("json-int.json", json.dumps({"AWSTemplateFormatVersion": "2010-09-09",
                                                  "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})[:-1]
                     + f', "Metadata": {{"n": {big}}}}}')
    write("hcl-literal/main.tf", _terraform_path('"https://api.example.com:${local.port}/"', f"  port = {big}"))
    write("hcl-index/main.tf", _terraform_path('"https://api.example.com:${local.ports.' + big + '}/"',
                                               "  ports = [443]"))
    squares = "\n".join(f"  a{i + 1} = local.a{i} * local.a{i}" for i in range(40))
    write("hcl-arithmetic/main.tf", _terraform_path('"https://api.example.com:${local.a40}/"', f"  a0 = 10\n{squares}"))
    port_text = (HEALTHY.read_text().replace("Port: 443", f"Port: '{big}'", 1))
    write("port-string.yaml", port_text.replace("OrdersGet", "OtherGet"))
    write("superscript.yaml", HEALTHY.read_text().replace("Port: 443", "Port: '²'", 1).replace("OrdersGet", "Sup"))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    assert run.code == 2
    _assert_healthy(run, healthy)
    errors = _errors(run)
    for path in (yaml_int, base60, json_int):
        assert "a number with more than 4,300 digits" in errors.pop(str(path)), path
    assert errors == {}
    too_large = [m for m in _gaps(run) if "too large" in m]
    assert len(too_large) >= 2, _gaps(run)  # the literal and the product of forty squarings


def test_a_huge_select_index_and_selected_port_are_unknown_not_a_crash(write, tmp_path):
    healthy = _with_healthy(tmp_path)
    write("select.yaml", HEALTHY.read_text().replace(
        "Port: 443", f"Port: !Select ['{'9' * DIGITS}', [443]]", 1).replace("OrdersGet", "SelectGet"))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    assert run.report["errors"] == []


# ------------------------------------------------------------------------------ bounded evaluation


def _doubling(name: str, first: str, steps: int, twice: str) -> str:
    """Locals that double ``steps`` times: the classic exponential value in a few lines."""
    lines = [f"  {name}0 = {first}"]
    lines += [f"  {name}{i + 1} = {twice.format(prev=f'local.{name}{i}')}" for i in range(steps)]
    return "\n".join(lines)


@pytest.mark.parametrize("uri, locals_block", [
    # a string that doubles through locals (2^40 characters)
    ('"https://${local.s40}/"', _doubling("s", '"xxxxxxxx"', 40, '"${{{prev}}}${{{prev}}}"')),
    # a list that doubles by sharing (2^60 elements once expanded), consumed whole three ways
    ('"https://${length(flatten(local.l60))}.example.com/"', _doubling("l", '["a"]', 60, "[{prev}, {prev}]")),
    ('"https://${jsonencode(local.l60)}/"', _doubling("l", '["a"]', 60, "[{prev}, {prev}]")),
    ('"https://${tostring(local.l60 == local.l59)}/"', _doubling("l", '["a"]', 60, "[{prev}, {prev}]")),
    # a map that doubles (its keys and values)
    ('"https://${jsonencode(merge(local.m40, {b = 1}))}/"',
     _doubling("m", '{a = "xxxxxxxxxxxxxxxx"}', 40, '{{x = {prev}, y = {prev}}}')),
    # format() widths and precisions past the cap, and a join of many copies of a large string
    ('"https://${format("%999999999d", 1)}/"', ""),
    ('"https://${format("%.999999999f", 1)}/"', ""),
    ('"https://${join("", [for i in range(1000) : "${local.s20}${i}"])}/"',
     _doubling("s", '"xxxxxxxx"', 20, '"${{{prev}}}${{{prev}}}"')),
    # a template loop over a large string, and replace() that multiplies it
    ('"https://${replace(local.s18, "x", local.s18)}/"', _doubling("s", '"xxxxxxxx"', 18, '"${{{prev}}}${{{prev}}}"')),
    ('"https://%{for i in range(1000)}${local.s20}%{endfor}/"', _doubling("s", '"xxxxxxxx"', 20, '"${{{prev}}}${{{prev}}}"')),
    # loops in loops: runaway work, whatever it builds
    ('"https://${length(flatten([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]))}/"',
     ""),
    ('"https://${length([for a in range(1000) : [for b in range(1000) : local.l20]])}/"',
     _doubling("l", '["a"]', 20, "[{prev}, {prev}]")),
    # a range and a split that would make lists past the cap
    ('"https://${length(range(0, 99999999999999999999))}/"', ""),
    ('"https://${length(split(",", local.c20))}/"', _doubling("c", '",,,,,,,,"', 20, '"${{{prev}}}${{{prev}}}"')),
])
def test_evaluation_past_the_caps_is_an_unknown_hop(write, tmp_path, uri, locals_block):
    healthy = _with_healthy(tmp_path)
    write("module/main.tf", _terraform_path(uri, locals_block))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    assert run.report["errors"] == []
    gaps = _gaps(run)
    assert gaps and all(any(w in gap for w in ("too large", "longer than", "stopped evaluating")) for gap in gaps), gaps


def test_a_runaway_module_does_not_spend_another_modules_budget(write, tmp_path):
    write("runaway/main.tf", _terraform_path(
        '"https://${length(flatten([for a in range(1000) : [for b in range(1000) : [for c in range(9) : c]]]))}/"'))
    healthy = write("healthy/main.tf", pass_through_path())
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    assert [f["rule"] for f in run.findings if f["file"] == str(healthy)] == ["E9501"]
    assert any("stopped evaluating" in gap for gap in _gaps(run))


@pytest.mark.parametrize("call, expected", [
    ('replace(local.a, "/(a|aa)+$/", "x")', "takes too long"),  # catastrophic backtracking
    ('regex("((a{1000}){1000}){1000}", "a")', "repetition"),  # RE2 refuses counts past 1000, so do we
    ('regex("(?:(?:a{999}){999}){999}", "a")', "too large"),  # compiling this unrolls a billion nodes
    ('length(regexall(".", local.a))', "too large"),  # more matches than a list may hold
    ('replace(local.a, "/a/", "$1x$$${0}' + "${0}" * 64 + '")', "too large"),  # a result past the cap
])
def test_regular_expressions_from_the_files_are_bounded(write, tmp_path, call, expected):
    """Each case meets the bound it names. The time limit counts the whole call, the work done for every match
    included (a hundred thousand matches, or fifty thousand replacements, take a good part of it on a busy
    machine), so where another bound is meant, the run is given a time limit no machine reaches."""
    healthy = _with_healthy(tmp_path)
    write("module/main.tf", _terraform_path(f'"https://${{{call}}}/"', '  a = "' + "a" * 600_000 + 'b"'))
    setup = "" if expected == "takes too long" else \
        "import linter.parse.terraform.regexp\nlinter.parse.terraform.regexp.REGEX_TIMEOUT = 600"
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none", setup=setup)
    _assert_healthy(run, healthy)
    gap, = _gaps(run)
    assert expected in gap


def test_regex_functions_compute_what_terraform_computes(write, tmp_path):
    """The bounds change nothing for ordinary patterns: groups, named groups and Go's $1 replacements."""
    locals_block = ('  host = regex("^(?P<name>[a-z]+)\\\\.(?P<zone>.+)$", "api.example.com")\n'
                    '  parts = regexall("[0-9]+", "a1b22c333")\n'
                    '  swapped = replace("example.api", "/^(\\\\w+)\\\\.(\\\\w+)$/", "$2.$1")')
    write("main.tf", _terraform_path('"https://${local.swapped}.${local.host.zone}:${local.parts[2]}/"',
                                     locals_block).replace('domain_name       = "api.example.com"',
                                                           'domain_name       = "api.example.com"'))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    messages = [f["message"] for f in run.findings]
    assert any("api.example.com:333" in m or "port 333" in m for m in messages), messages


# ---------------------------------------------------------------------------- CloudFormation evaluation


def test_cloudformation_functions_past_the_caps(write, tmp_path):
    healthy = _with_healthy(tmp_path)
    big = "x" * 1_000_000
    joins = "\n".join(f"  J{i}: !Join ['', [*big, *big, '{i}']]" for i in range(300))
    write("joins.yaml", f"AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  big: &big '{big}'\n"
                        f"Outputs:\n  O:\n    Value: x\nMappings:\n  M:\n    k:\n{joins.replace('  J', '      J')}\n"
                        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Join ['', "
                        "[!FindInMap [M, k, J1], !FindInMap [M, k, J2]]]\n")
    nested = "${A}" * 100
    subs = {"Fn::Sub": [nested, {"A": {"Fn::Sub": [nested, {"A": {"Fn::Sub": [nested, {"A": {"Fn::Sub": [
        nested, {"A": {"Fn::Sub": [nested, {"A": "z"}]}}]}}]}}]}}]}
    write("subs.json", json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {
        "Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Port": subs, "Protocol": "TLS"}},
        "U": {"Type": "AWS::ElasticLoadBalancingV2::Listener",
              "Properties": {"Port": {"Fn::Sub": "${" * 200_000}, "Protocol": {"Fn::Split": ["", "TLS"]},
                             "Certificates": {"Fn::Split": [",", "," * 500_000]}}}}}))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    assert run.report["errors"] == []


def test_exports_that_import_each_other_twice_are_evaluated_once(write, tmp_path):
    healthy = _with_healthy(tmp_path)
    for i in range(1, 30):
        write(f"stack{i:02}.yaml", f"""
            AWSTemplateFormatVersion: '2010-09-09'
            Resources:
              T:
                Type: AWS::SNS::Topic
            Outputs:
              E:
                Value: !Join ['', [!ImportValue e{i - 1}, !ImportValue e{i - 1}]]
                Export:
                  Name: e{i}
            """)
    write("stack00.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"
                          "Outputs:\n  E:\n    Value: xxxxxxxx\n    Export:\n      Name: e0\n")
    stack_named = "-".join(["${AWS::StackName}"] * 60)
    write("named.yaml", f"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"
                        f"Outputs:\n  E:\n    Value: x\n    Export:\n      Name: !Sub '{stack_named}'\n  I:\n"
                        f"    Value: !ImportValue '{'a-' * 3000}'\n  J:\n    Value: !ImportValue e29\n")
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    assert run.report["errors"] == []


# ------------------------------------------------------------------------- text that defeats patterns


def test_text_that_makes_patterns_backtrack_is_read_in_linear_time(write, tmp_path):
    healthy = _with_healthy(tmp_path)
    write("blanks/main.tf", 'locals {\n  a = 1\n}\n' + " " * 2_000_000 + "#\n" + " \t" * 500_000 + "\n")
    write("script.yaml", HEALTHY.read_text().replace("openssl req -x509", "openssl req " * 300_000 + "-new", 1)
          .replace("OrdersGet", "ScriptGet"))
    write("sub.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"
                      "    Properties:\n      TopicName: !Sub '" + "${" * 1_000_000 + "'\n")
    write("heredoc-text/main.tf", 'locals {\n  a = <<EOT\n' + "x" + " " * 1_000_000 + "\nEOT\n}\n")
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    assert run.report["errors"] == []


@pytest.mark.parametrize("closed", [True, False])
def test_a_heredoc_of_endless_blank_lines_is_an_input_error(write, tmp_path, closed):
    healthy = _with_healthy(tmp_path)
    main = write("module/main.tf", 'locals {\n  a = <<EOT\n' + "\n" * 300_000 + ("x\nEOT\n}\n" if closed else "x"))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    error, = run.report["errors"]
    assert (error["file"], error["line"]) == (str(main), 2) and "heredoc <<EOT" in error["message"]


def test_an_hcl_file_larger_than_the_parser_reads_in_time_is_one_input_error(write, tmp_path):
    """A generated .tf past 2 MiB (python-hcl2 would take minutes and gigabytes) is refused by its size, named
    with the cap; its module's other files, a Terraform path elsewhere and a template are still reported."""
    healthy = _with_healthy(tmp_path)
    big = write("generated/numbers.tf", 'variable "y" {\n  default = [' + ",".join(map(str, range(400_000))) + "]\n}\n")
    write("generated/main.tf", pass_through_path())
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    assert run.code == 2
    assert _errors(run) == {str(big): "too large to parse: 2.6 MiB of HCL, and tlspath parses HCL files up to 2 MiB "
                                      "(the parser reads about 50 KB a second); not analysed"}
    assert {(f["rule"], f["file"]) for f in run.findings} >= {("E9501", str(healthy))}
    assert any(f["file"] == str(tmp_path / "generated" / "main.tf") for f in run.findings), run.err


def test_a_nul_in_an_integration_uri_is_text_not_a_placeholder(write, tmp_path):
    healthy = _with_healthy(tmp_path)
    write("nul.yaml", HEALTHY.read_text().replace("OrdersGet", "NulGet").replace(
        "Uri: https://orders.internal.example.com/orders", "Uri: \"https://\\\\0" + "99\\\\0/\"", 1))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    _assert_healthy(run, healthy)
    assert run.report["errors"] == []


def test_a_chain_of_thousands_of_module_folders(write, tmp_path):
    """Which folders are roots is found without recursion: a call chain deeper than Python's stack."""
    for i in range(1500):
        write(f"m{i:04}/main.tf", f'module "next" {{\n  source = "../m{i + 1:04}"\n}}\n')
    healthy = write("m1500/main.tf", pass_through_path())
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none", cpu=120)
    assert run.report["errors"] == []
    assert {f["rule"] for f in run.findings} <= {"E9501", "I9513"}
    assert line_of(healthy, "openssl req")


def _topics(count: int) -> str:
    """A JSON template of ``count`` SNS topics: about 57 bytes each, and many times that once parsed."""
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        f"Topic{index}": {"Type": "AWS::SNS::Topic", "Properties": {}} for index in range(count)}})


def test_memory_is_bounded_by_the_largest_file_not_by_the_tree(tmp_path):
    """Six 2.8 MB templates (50,000 resources each, some 200 MB apiece once parsed) in 768 MiB: each is built
    into its model and let go before the next is read. When every document was parsed before any model was
    built, the later files ran out of memory (redteam R5-2)."""
    healthy = _with_healthy(tmp_path)
    text = _topics(50_000)
    for index in range(6):
        (tmp_path / f"topics{index}.json").write_text(text)
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none", cpu=120)
    assert run.report["errors"] == [] and run.report["summary"]["files"] == 7
    _assert_healthy(run, healthy)


def test_a_file_too_large_for_the_memory_is_one_line_and_the_other_files_are_reported(tmp_path):
    healthy = _with_healthy(tmp_path)
    big = tmp_path / "big.json"
    big.write_text(_topics(120_000))  # 7 MB: about 500 MB once parsed
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none", cpu=120, memory=256 * 1024 ** 2,
                          too_large=True)
    assert run.code == 2 and _errors(run) == {str(big): "too large to analyse with the memory available"}
    _assert_healthy(run, healthy)


@pytest.mark.parametrize("step, said", [
    ("linter.scan.analyse", "not enough memory for analysing the paths of every file; scan fewer files at once, or "
                            "let tlspath use more memory"),
    ("linter.cli.render", "not enough memory to write the json report")])
def test_memory_running_out_in_a_step_no_file_owns_is_one_line_naming_the_step(tmp_path, step, said):
    _with_healthy(tmp_path)
    module, function = step.rsplit(".", 1)
    setup = (f"import {module}\ndef exhausted(*args, **kwargs):\n    raise MemoryError\n"
             f"{module}.{function} = exhausted")
    run = tlspath_bounded(tmp_path, "--format", "json", setup=setup)
    assert (run.code, run.err, run.out) == (2, f"tlspath: error: {said}\n", "")


def _listeners_and_methods(count: int, unmatched: int = 0) -> dict:
    """One NLB with ``count`` TCP listeners on ports 2000 and up, and one REST method per listener whose URI
    names that listener's port -- plus ``unmatched`` methods on port 1999, where nothing listens (ports API
    Gateway documents for HTTP integrations, so no I9525)."""
    resources: dict[str, dict] = {
        "Nlb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network"}},
        "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 443, "Protocol": "TCP"}},
        "Link": {"Type": "AWS::ApiGateway::VpcLink", "Properties": {"Name": "l", "TargetArns": [{"Ref": "Nlb"}]}},
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}}}
    ports = [*range(2000, 2000 + count), *[1999] * unmatched]
    for index, port in enumerate(ports):
        if index < count:
            resources[f"L{index}"] = {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
                "LoadBalancerArn": {"Ref": "Nlb"}, "Port": port, "Protocol": "TCP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}]}}
        resources[f"M{index}"] = {"Type": "AWS::ApiGateway::Method", "Properties": {
            "RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "HttpMethod": "GET",
            "Integration": {"Type": "HTTP_PROXY", "IntegrationHttpMethod": "GET", "ConnectionType": "VPC_LINK",
                            "ConnectionId": {"Ref": "Link"}, "Uri": f"https://a.example.com:{port}/"}}}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def test_thousands_of_listeners_on_one_load_balancer_are_walked(tmp_path):
    """3,000 listeners and 3,000 methods on one NLB (1.4 MB): each method finds its listener by port. When every
    method settled every listener of the load balancer this took minutes (redteam R5-3)."""
    template = tmp_path / "many.json"
    template.write_text(json.dumps(_listeners_and_methods(3000)))
    run = tlspath_bounded(template, "--format", "json", "--fail-level", "none", cpu=120)
    assert run.report["errors"] == []
    assert sorted(f["message"].split("'")[1] for f in run.findings) == sorted(f"L{i}" for i in range(3000))


def test_the_work_of_finding_listeners_grows_with_the_resources_not_their_product(tlspath, tmp_path,
                                                                                    monkeypatch):
    """Twice the listeners and methods settle about twice as many resources, not four times as many; a
    method on a port nothing listens on still names every listener (E9507)."""
    import linter.walk

    counted = linter.walk.variants
    calls = [0]

    def counting(*args, **kwargs):
        calls[0] += 1
        return counted(*args, **kwargs)

    monkeypatch.setattr(linter.walk, "variants", counting)
    settled = []
    for count in (100, 200):
        template = tmp_path / f"many{count}.json"
        template.write_text(json.dumps(_listeners_and_methods(count, unmatched=1)))
        calls[0] = 0
        run = tlspath(template, "--format", "json", "--fail-level", "none")
        settled.append(calls[0])
        assert run.code == 0 and sorted(f["rule"] for f in run.findings) == ["E9507"] + ["W9502"] * count
        unmatched = next(f["message"] for f in run.findings if f["rule"] == "E9507")
        assert f"nothing listens there (listeners: {', '.join(f'{p}/TCP' for p in range(2000, 2000 + count))})" \
            in unmatched
    assert settled[1] < 3 * settled[0], settled


@pytest.mark.parametrize("syntax, keys", [("json", 1_000_000), ("yaml", 200_000)])
def test_large_documents_are_read_in_linear_time(tmp_path, syntax, keys):
    """Keys by the hundred thousand and resources by the ten thousand: reading is linear (a key's line was
    found by scanning its mapping, and every listed resource asked for one), so this ends well inside the
    bound; a quadratic step would not. (The YAML file is written in flow style: JSON text, which YAML reads.)"""
    from linter.parse.documents import load_yaml

    document = json.loads(json.dumps(load_yaml(HEALTHY.read_text())))
    document["Metadata"] = {f"k{index:07}": "v" for index in range(keys)}
    document["Resources"].update({f"Group{index}": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                                                    "Properties": {"Port": 443, "Protocol": "TCP"}}
                                  for index in range(20_000)})
    big = tmp_path / f"big.{syntax}"
    big.write_text(json.dumps(document, indent=1))
    run = tlspath_bounded(big, "--format", "json", "--fail-level", "none", cpu=120, memory=2 * 1024 ** 3)
    assert run.report["errors"] == [] and [f["rule"] for f in run.findings] == ["E9501"]

# ---------------------------------------------------------------------------------------------------- ACM

ACM_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0a0b0c0d-1111-2222-3333-444455556666"
ACM_DEADLINE = 3  # the run's deadline for ACM calls, shortened so a test of it stays short


class _HostileServer:
    """An ACM endpoint on 127.0.0.1 that misbehaves with every connection: ``behave(connection)``."""

    def __init__(self, behave):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.stopped = threading.Event()
        self.behave = behave
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection):
        with connection:
            try:
                connection.recv(65536)  # the request
                self.behave(connection, self.stopped)
            except OSError:
                pass  # the client left

    def close(self):
        self.stopped.set()
        self.socket.close()


def _stall(connection, stopped):
    stopped.wait(120)


def _trickle_body(connection, stopped):
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100000\r\n\r\n{")
    while not stopped.wait(0.2):
        connection.sendall(b" ")


def _trickle_headers(connection, stopped):
    connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not stopped.wait(0.2):
        connection.sendall(b"a")


def _gigabytes_declared(connection, stopped):
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                       b"Content-Length: 10000000000\r\n\r\n")
    _flood(connection, stopped, b"{" + b" " * 65535)


def _gigabytes_chunked(connection, stopped):
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                       b"Transfer-Encoding: chunked\r\n\r\n")
    _flood(connection, stopped, b"10000\r\n" + b" " * 65536 + b"\r\n")


def _flood(connection, stopped, block):
    for _ in range(160_000):  # ten gigabytes, unless the client stops reading first
        if stopped.is_set():
            return
        connection.sendall(block)


@pytest.mark.parametrize("behave", [_stall, _trickle_body, _trickle_headers, _gigabytes_declared, _gigabytes_chunked],
                         ids=lambda behave: behave.__name__.strip("_"))
def test_an_acm_endpoint_that_stalls_trickles_or_floods_costs_seconds(write, tmp_path, behave):
    server = _HostileServer(behave)
    try:
        path = write("stack.yaml", stack(api_path(ACM_ARN)))
        env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("AWS_")}
        env.update(AWS_ENDPOINT_URL=server.url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
                   AWS_EC2_METADATA_DISABLED="true")
        run = tlspath_bounded(path, "--acm", "--format", "json", env=env, wall=60,
                              setup=f"import linter.acm\nlinter.acm.DEADLINE = {ACM_DEADLINE}")
    finally:
        server.close()
    assert run.code == 0 and run.report["errors"] == []
    gap, = _gaps(run)
    assert f"{ACM_ARN} could not be looked up in ACM" in gap
    warning, = [line for line in run.err.splitlines() if line.startswith("tlspath: warning: --acm:")]
    assert "too slowly or too much" in warning or f"did not answer within {ACM_DEADLINE} s" in warning, warning


def _snapshot(certificates, **top):
    return json.dumps({"format": "tlspath-acm-snapshot", "version": 1, "certificates": certificates, **top})


@pytest.mark.parametrize("content, expected", [
    (b" " * (17 * 1024 * 1024), "larger than 16 MiB"),
    (b'{"version": ' + b"9" * 5000 + b"}", "is not JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "is not JSON"),
    (_snapshot({ACM_ARN: {"describe": {"DomainName": "x" * 300_000}}}).encode(), "1 malformed entry"),
    (_snapshot({ACM_ARN: {"describe": {"SubjectAlternativeNames": ["a"] * 2000}}}).encode(), "1 malformed entry"),
    (_snapshot({ACM_ARN: {"describe": {"Type": "IMPORTED"}, "extra": 1}}).encode(), "1 malformed entry"),
    (_snapshot({"not-an-arn": {"describe": {}}}).encode(), "1 malformed entry"),
], ids=["too-large", "huge-number", "deep-nesting", "long-name", "many-names", "unknown-field", "not-an-arn"])
def test_an_acm_snapshot_has_a_size_cap_and_a_schema(write, tmp_path, content, expected):
    snapshot = tmp_path / "acm.json"
    snapshot.write_bytes(content)
    path = write("stack.yaml", stack(api_path(ACM_ARN)))
    run = tlspath_bounded(path, "--acm-snapshot", snapshot, "--format", "json")
    assert run.code == 0 and run.report["errors"] == []
    assert any(expected in line for line in run.err.splitlines() if line.startswith("tlspath: warning:")), run.err
    gap, = _gaps(run)
    assert ACM_ARN in gap


def test_dates_in_a_snapshot_past_what_python_holds_are_not_dates(write, tmp_path):
    snapshot = tmp_path / "acm.json"
    snapshot.write_text(_snapshot({ACM_ARN: {"describe": {
        "CertificateArn": ACM_ARN, "Type": "AMAZON_ISSUED", "Status": "ISSUED", "DomainName": "api.example.com",
        "NotBefore": "0001-01-01T00:00:00+23:59", "NotAfter": "9999-12-31T23:59:59-23:59"}}}))
    path = write("stack.yaml", stack(api_path(ACM_ARN)))
    run = tlspath_bounded(path, "--acm-snapshot", snapshot, "--format", "json", "--at", "2026-06-01")
    assert run.report["errors"] == [] and "E9504" not in run.ids()


# ------------------------------------------------------------------------------- files and what they say

SECRET = "do-not-read-this-0x5ec7e7"


def test_symbolic_links_out_of_the_tree_are_skipped_and_never_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "stack.yaml").write_text(HEALTHY.read_text().replace("OrdersGet", SECRET))
    scanned = tmp_path / "scanned"
    healthy = _with_healthy(scanned)
    (scanned / "link.yaml").symlink_to(outside / "stack.yaml")
    (scanned / "linked-folder").symlink_to(outside)
    (scanned / "inside.yaml").symlink_to(healthy)  # a link within the tree is read (once)
    run = tlspath_bounded(scanned, "--format", "json", "--fail-level", "none")
    assert SECRET not in run.out + run.err
    _assert_healthy(run, healthy)
    assert _errors(run) == {str(scanned / "link.yaml"): "a symbolic link to outside the scanned tree; skipped, not read",
                            str(scanned / "linked-folder"): "a symbolic link to outside the scanned tree; skipped, not read"}
    named = tlspath_bounded("link.yaml", "--format", "json", cwd=scanned)  # as a pre-commit hook names it
    assert SECRET not in named.out + named.err and named.code == 2 and "skipped, not read" in named.err


@pytest.mark.parametrize("encoding, mark", [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                            ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-32-le", codecs.BOM_UTF32_LE),
                                            ("utf-32-be", codecs.BOM_UTF32_BE)])
def test_templates_with_a_byte_order_mark_are_read(tmp_path, encoding, mark):
    template = tmp_path / "stack.yaml"
    template.write_bytes(mark + HEALTHY.read_text().replace("\n", "\r\n").encode(encoding))
    run = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    assert run.report["errors"] == []
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(HEALTHY, "openssl req -x509"))


def test_undecodable_templates_are_the_same_input_error_in_a_folder_scan_as_named(tmp_path):
    healthy = _with_healthy(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(HEALTHY.read_text().replace("Orders API:", "Orders API (café):", 1).encode("latin-1"))
    wide = tmp_path / "wide.json"
    wide.write_bytes(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}).encode("utf-16-le"))
    (tmp_path / "notes.yaml").write_bytes("title: café\n".encode("latin-1"))  # not a template: none of ours
    folder = tlspath_bounded(tmp_path, "--format", "json", "--fail-level", "none")
    named = [tlspath_bounded(path, "--format", "json", "--fail-level", "none") for path in (latin, wide)]
    _assert_healthy(folder, healthy)
    assert folder.report["errors"] == [error for run in named for error in run.report["errors"]]
    assert [e["message"] for e in folder.report["errors"]] == ["file is not UTF-8 text", "file is binary, not text"]


_HOSTILE_NAME = "Orders\x1b]8;;https://evil.example\x07Get\x1b[2J\r\nE9501 fake:1:\u202egnp.exe\u2066\ud800\x85"
_FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "mermaid", "dot")


@pytest.mark.parametrize("fmt", _FORMATS)
def test_output_cannot_be_forged_by_names_in_the_files(tmp_path, fmt):
    """A logical id and file names holding terminal escapes, an OSC hyperlink, CR/LF, bidirectional overrides,
    C1 controls and a lone surrogate: no output format carries them raw, every one stays well-formed."""
    from linter.parse.documents import load_yaml

    template = json.dumps(load_yaml(HEALTHY.read_text())).replace('"OrdersGet"', json.dumps(_HOSTILE_NAME))
    (tmp_path / "stack.json").write_text(template)
    (tmp_path / "x\x1b[2J\r\nE9501 forged\u202e.yaml").write_text(HEALTHY.read_text())
    (tmp_path / "broken\x07\r\n::error::x.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    (tmp_path / os.fsdecode(b"bytes-\xff\xfe.yaml")).write_text(HEALTHY.read_text())
    run = tlspath_bounded(tmp_path, "--format", fmt, "--fail-level", "none")
    assert run.code == 2  # the broken template
    for stream in (run.out, run.err):
        raw = [hex(ord(c)) for c in stream
               if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f or 0xd800 <= ord(c) <= 0xdfff
               or ord(c) in (0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028)]
        assert raw == [], raw
    assert all(line.endswith(": YAML syntax error: while parsing a flow node: did not find expected node content")
               for line in run.err.splitlines()), run.err  # one line, however the file is named
    if fmt in ("json", "sarif", "gitlab"):
        decoded = json.dumps(json.loads(run.out), ensure_ascii=False)
        assert not any(0xd800 <= ord(c) <= 0xdfff for c in decoded)
        decoded.encode("utf-8")
    if fmt == "text":
        assert not [line for line in run.out.splitlines() if line.startswith("E9501 f")], run.out
