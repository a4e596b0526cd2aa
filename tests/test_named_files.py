"""Files named on the command line -- what a pre-commit hook runs for the files of a commit -- are judged where
they take effect in their Git work tree, as a scan of the whole repository judges them: a root module with the
local modules it calls above its folder, a module's file through the root modules that call it. Outside a Git
work tree nothing above the named file is read."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES, edit, line_of
from test_cloudformation_intrinsics import API_PARENT, NESTED_API
from terraform_snippets import SELF_SIGNING_SCRIPT, instance, nlb, rest_integration, tcp_listener, vpc_link

MODULE = 'variable "lb_arn" { type = string }\n' + (tcp_listener() + instance(SELF_SIGNING_SCRIPT)).replace(
    "load_balancer_arn = aws_lb.nlb.arn", "load_balancer_arn = var.lb_arn")


def root(source: str) -> str:
    """A root module whose NLB's listener and targets come from a local module."""
    return rest_integration() + vpc_link() + nlb() + f'''
module "svc" {{
  source = "{source}"
  lb_arn = aws_lb.nlb.arn
}}
'''


def repository(write, tmp_path: Path, git: bool = True) -> Path:
    """envs/prod calls ../../modules/svc, a TCP listener in front of a self-signing instance (E9501)."""
    if git:
        (tmp_path / ".git").mkdir()
    write("envs/prod/main.tf", root("../../modules/svc"))
    return write("modules/svc/main.tf", MODULE)


def found(run) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["file"], f["line"]) for f in run.findings]


def test_a_named_root_module_reads_its_local_modules_in_its_repository(tlspath, write, tmp_path):
    module = repository(write, tmp_path)
    whole = tlspath(".", "--format", "json", cwd=tmp_path)
    named = tlspath("envs/prod/main.tf", "--format", "json", cwd=tmp_path)
    assert found(named) == found(whole) == [("E9501", "modules/svc/main.tf", line_of(module, "openssl req -x509"))]
    assert named.code == 1


def test_a_named_module_file_is_judged_through_the_root_modules_that_call_it(tlspath, write, tmp_path):
    module = repository(write, tmp_path)
    write("envs/stage/main.tf", root("../../modules/svc"))
    write("envs/other/main.tf", nlb())  # calls nothing: not read
    named = tlspath("modules/svc/main.tf", "--format", "json", cwd=tmp_path)
    whole = tlspath(".", "--format", "json", cwd=tmp_path)
    assert found(named) == found(whole) == [("E9501", "modules/svc/main.tf", line_of(module, "openssl req -x509"))]
    assert named.code == 1 and named.report["summary"]["paths"] == whole.report["summary"]["paths"] == 2
    assert named.report["summary"]["files"] == 3  # envs/other calls nothing: not read


def test_a_named_module_is_judged_through_the_modules_that_call_it(tlspath, write, tmp_path):
    (tmp_path / ".git").mkdir()
    write("envs/prod/main.tf", root("../../modules/wrapper"))
    write("modules/wrapper/main.tf", 'variable "lb_arn" { type = string }\n'
                                     'module "inner" {\n  source = "../svc"\n  lb_arn = var.lb_arn\n}\n')
    module = write("modules/svc/main.tf", MODULE)
    named = tlspath("modules/svc/main.tf", "--format", "json", cwd=tmp_path)
    assert found(named) == [("E9501", "modules/svc/main.tf", line_of(module, "openssl req -x509"))]


def test_outside_a_git_work_tree_nothing_above_the_named_file_is_read(tlspath, write, tmp_path):
    repository(write, tmp_path, git=False)
    named = tlspath("envs/prod/main.tf", "--format", "json", cwd=tmp_path)
    assert [f["rule"] for f in named.findings] == ["I9513"] and named.code == 0
    assert "no listener of load balancer 'aws_lb.nlb' is among the scanned resources" in named.findings[0]["message"]


def test_a_named_module_nobody_calls_says_its_variables_have_no_values(tlspath, write, tmp_path):
    """Judged alone, as before, but never silently: its listener is on no path without its caller's values."""
    (tmp_path / ".git").mkdir()
    module = write("modules/svc/main.tf", MODULE)
    write("envs/other/main.tf", nlb())
    named = tlspath("modules/svc/main.tf", "--format", "json", cwd=tmp_path)
    assert found(named) == [("I9513", "modules/svc/main.tf", line_of(module, 'variable "lb_arn"'))]
    assert "its variables (lb_arn) have no values here" in named.findings[0]["message"]
    assert "aws_lb_listener.tcp" in named.findings[0]["message"] and named.code == 0
    assert "scan the root module that calls it" in named.findings[0]["fix"]
    assert tlspath("modules/svc", "--format", "json", cwd=tmp_path).findings == []  # a folder scanned: as before


CROSS_STACK = SAMPLES / "cloudformation" / "good" / "cross-stack"


def test_a_named_exporting_template_is_judged_with_the_templates_that_import_it(tlspath, write, tmp_path):
    """Only network.yaml changed (its listener now TLS 1.3 only): orders-api.yaml imports its VPC link, so the
    E9508 a scan of both finds is found with network.yaml named alone."""
    (tmp_path / ".git").mkdir()
    network = write("stacks/network.yaml", edit((CROSS_STACK / "network.yaml").read_text(encoding="utf-8"),
                                                {"TLS13-1-2-2021-06": "TLS13-1-3-2021-06"}))
    write("stacks/orders-api.yaml", (CROSS_STACK / "orders-api.yaml").read_text(encoding="utf-8"))
    write("other/unrelated.yaml", (SAMPLES / "cloudformation" / "good" / "rest-api-nlb-tls-listener.yaml")
          .read_text(encoding="utf-8"))
    named = tlspath("stacks/network.yaml", "--format", "json", cwd=tmp_path)
    whole = tlspath("stacks", "--format", "json", cwd=tmp_path)
    assert found(named) == found(whole) == [("E9508", "stacks/network.yaml", line_of(network, "SslPolicy"))]
    assert named.code == 1 and named.report["summary"]["files"] == 2  # other/unrelated.yaml is not read


def test_a_named_exporting_template_outside_git_is_judged_alone(tlspath, write, tmp_path):
    write("network/network.yaml", edit((CROSS_STACK / "network.yaml").read_text(encoding="utf-8"),
                                       {"TLS13-1-2-2021-06": "TLS13-1-3-2021-06"}))
    write("api/orders-api.yaml", (CROSS_STACK / "orders-api.yaml").read_text(encoding="utf-8"))
    named = tlspath("network/network.yaml", "--format", "json", cwd=tmp_path)  # only its own folder is read
    assert named.code == 0 and named.report["summary"]["files"] == 1 and named.report["summary"]["paths"] == 0


def test_a_named_nested_template_is_judged_through_its_parent(tlspath, write, tmp_path):
    """The child's VPC link targets the NLB its parent passes in: named alone it is judged through the parent,
    as a scan of both judges it -- not alone, where the parameter has no value."""
    (tmp_path / ".git").mkdir()
    child = write("app/stacks/api.yaml", NESTED_API)
    parent = write("app/main.yaml", API_PARENT)
    named = tlspath("app/stacks/api.yaml", "--format", "json", cwd=tmp_path)
    whole = tlspath(".", "--format", "json", cwd=tmp_path)
    expected = [("E9512", "app/stacks/api.yaml", line_of(child, "BEGIN RSA PRIVATE KEY")),
                ("W9502", "app/main.yaml", line_of(parent, "Protocol: TCP"))]
    assert sorted(found(named)) == sorted(found(whole)) == expected
    assert named.code == 1 and "I9513" not in named.ids()
