"""Terragrunt units as users see them: a unit runs its module with its inputs, includes and locals; a
dependency's outputs are the other unit's module outputs; what the files cannot tell (a remote module, mock
outputs, a cycle, the environment) is named, never guessed; findings point at the input that broke the path;
and a pre-commit hook naming a changed include file or module judges the units that use it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, line_of
from terraform_snippets import SELF_SIGNING_SCRIPT, instance, listener, nlb, rest_integration, vpc_link

SAMPLE = SAMPLES / "terraform" / "bad" / "e9508-terragrunt-tls13-policy-in-inputs"
TLS13 = "ELBSecurityPolicy-TLS13-1-3-2021-06"

# A load balancer module (its listener's protocol an input) with a self-signing instance behind it, and an
# API module whose VPC link targets the NLB it is given.
BALANCER = ('variable "protocol" {\n  default = "TLS"\n}\n' + nlb() +
            listener("TLS", "aws_acm_certificate_validation.cert.certificate_arn").replace('protocol          = "TLS"',
                                                                  "protocol          = var.protocol") +
            'resource "aws_acm_certificate" "cert" {\n  domain_name       = "api.example.com"\n'
            '  validation_method = "DNS"\n}\n'
            'resource "aws_acm_certificate_validation" "cert" {\n  certificate_arn = aws_acm_certificate.cert.arn\n}\n' +
            instance(SELF_SIGNING_SCRIPT) + 'output "arn" {\n  value = aws_lb.nlb.arn\n}\n')
API = 'variable "nlb_arn" {}\n' + rest_integration() + vpc_link("var.nlb_arn")


def unit(source: str = "../../modules//balancer", inputs: str = "", extra: str = "") -> str:
    return f'terraform {{\n  source = "{source}"\n}}\n{extra}\ninputs = {{\n{inputs}\n}}\n'


API_UNIT = unit("../../modules//api", "  nlb_arn = dependency.nlb.outputs.arn",
                'dependency "nlb" {\n  config_path = "../nlb"\n}\n')


@pytest.fixture
def pair(write, tmp_path):
    """modules/{balancer,api} and the units live/{nlb,api}; the NLB unit's inputs are the test's."""

    def make(nlb_inputs: str = "", api_unit: str = API_UNIT) -> Path:
        write("modules/balancer/main.tf", BALANCER)
        write("modules/api/main.tf", API)
        write("live/api/terragrunt.hcl", api_unit)
        return write("live/nlb/terragrunt.hcl", unit(inputs=nlb_inputs))

    return make


def findings(tlspath, *args) -> list[dict]:
    run = tlspath(*args, "--format", "json")
    assert "Traceback" not in run.err and run.report["errors"] == [], run.report["errors"]
    return run.findings


# ------------------------------------------------------------------------------------------ the sample


def test_sample_finding_points_at_the_unit_input_and_its_path_crosses_units(tlspath):
    finding, = findings(tlspath, SAMPLE)
    nlb_unit = SAMPLE / "live" / "prod" / "nlb" / "terragrunt.hcl"
    assert (finding["rule"], finding["file"], finding["line"]) == ("E9508", str(nlb_unit), line_of(nlb_unit, "ssl_policy"))
    hops = {step["role"]: step["file"] for step in finding["trace"]}
    assert hops["vpc_link"].endswith("modules/orders-api/main.tf")
    assert hops["listener"].endswith("modules/internal-nlb/main.tf")


def test_sample_gives_the_findings_of_its_plain_terraform_twin(tlspath, tmp_path):
    """The same modules called from one root module with the units' inputs as module arguments."""
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE / "modules", copy / "modules")
    (copy / "plain").mkdir()
    (copy / "plain" / "main.tf").write_text('''
module "nlb" {
  source      = "../modules/internal-nlb"
  name        = "orders-prod"
  environment = "prod"
  region      = "eu-west-1"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
  subnet_ids  = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
  domain_name = "orders.internal.example.com"
  ssl_policy  = "ELBSecurityPolicy-TLS13-1-3-2021-06"
  target_port = 8443
}

module "orders_api" {
  source      = "../modules/orders-api"
  nlb_arn     = module.nlb.nlb_arn
  api_host    = "orders.internal.example.com"
  environment = "prod"
  region      = "eu-west-1"
}
''', encoding="utf-8")

    def said(found: list[dict]) -> list[tuple]:
        """What both say; where the value was set differs (the unit's inputs, the module block's argument)."""
        plain = re.compile(r"module\.\w+\.| \(the value comes from variable '\w+', set in [^)]*\)$")
        return sorted((f["rule"], plain.sub("", f["message"]), plain.sub("", f["resource"]),
                       tuple(plain.sub("", s["resource"]) for s in f["trace"])) for f in found)

    assert said(findings(tlspath, SAMPLE)) == said(findings(tlspath, copy))


# --------------------------------------------------------------------------------------- units, inputs


def test_dependency_outputs_connect_two_units(tlspath, pair, tmp_path):
    pair('  protocol = "TCP"')
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "E9501" and finding["resource"] == "aws_instance.web"
    roles = {step["role"]: step["file"] for step in finding["trace"]}
    assert roles["integration"] == str(tmp_path / "modules" / "api" / "main.tf")
    assert roles["load_balancer"] == str(tmp_path / "modules" / "balancer" / "main.tf")


def test_a_module_used_by_units_is_not_judged_on_its_own(tlspath, pair, tmp_path):
    """modules/api alone would have a VPC link with no NLB: an I9513 nobody asked for."""
    pair()
    assert findings(tlspath, tmp_path) == []


def test_environment_and_tfvars_rank_above_inputs(tlspath, pair, tmp_path, monkeypatch, write):
    pair('  protocol = "TCP"')
    monkeypatch.setenv("TF_VAR_protocol", "TLS")  # Terragrunt never overrides a TF_VAR_ already set
    assert findings(tlspath, tmp_path) == []
    monkeypatch.delenv("TF_VAR_protocol")
    write("modules/balancer/terraform.tfvars", 'protocol = "TLS"\n')
    assert findings(tlspath, tmp_path) == []


def test_include_merges_inputs_and_exposes_locals(tlspath, pair, tmp_path, write):
    root = write("live/root.hcl", 'locals {\n  protocol = "TCP"\n}\ninputs = {\n  protocol = "TLS"\n}\n')
    pair(api_unit=API_UNIT + 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n')
    write("live/nlb/terragrunt.hcl", 'include "root" {\n  path   = find_in_parent_folders("root.hcl")\n'
                                     '  expose = true\n}\n' + unit())
    assert findings(tlspath, tmp_path) == []  # TLS from the included file's inputs
    write("live/nlb/terragrunt.hcl", 'include "root" {\n  path   = find_in_parent_folders("root.hcl")\n'
                                     '  expose = true\n}\n' + unit(inputs="  protocol = include.root.locals.protocol"))
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "E9501"
    assert root.exists()


def test_deep_merge_concatenates_lists_and_no_merge_merges_nothing(tlspath, pair, tmp_path, write):
    write("live/root.hcl", 'inputs = {\n  protocol = "TCP"\n}\n')
    pair()
    write("live/nlb/terragrunt.hcl", 'include "root" {\n  path           = find_in_parent_folders("root.hcl")\n'
                                     '  merge_strategy = "no_merge"\n}\n' + unit())
    assert findings(tlspath, tmp_path) == []
    write("live/nlb/terragrunt.hcl", 'include "root" {\n  path           = find_in_parent_folders("root.hcl")\n'
                                     '  merge_strategy = "deep"\n}\n' + unit())
    assert [f["rule"] for f in findings(tlspath, tmp_path)] == ["E9501"]


def test_path_functions_of_an_included_file_see_the_unit(tlspath, pair, tmp_path, write):
    """A shared root.hcl names each unit's module by the unit's path below it."""
    pair('  protocol = "TCP"')
    (tmp_path / "modules" / "balancer").rename(tmp_path / "modules" / "nlb")
    write("live/root.hcl", 'terraform {\n  source = "${path_relative_from_include()}/../modules//'
                           '${path_relative_to_include()}"\n}\n')
    write("live/nlb/terragrunt.hcl", 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'
                                     'inputs = {\n  protocol = "TCP"\n}\n')
    assert [f["rule"] for f in findings(tlspath, tmp_path)] == ["E9501"]


def test_read_terragrunt_config_and_finding_at_the_value_it_read(tlspath, pair, tmp_path, write):
    env = write("live/env.hcl", 'locals {\n  environment = "prod"\n  protocol    = "TCP"\n}\n')
    pair()
    write("live/nlb/terragrunt.hcl", 'locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))\n}\n' +
          unit(inputs="  protocol = local.env.locals.protocol"))
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "E9501" and env.exists()


def test_finding_points_at_the_unit_input(tlspath, write, tmp_path):
    write("modules/balancer/main.tf", BALANCER.replace('protocol          = var.protocol',
                                                       'protocol          = "TLS"\n  ssl_policy        = var.policy')
          .replace('variable "protocol"', 'variable "policy" {}\nvariable "unused"'))
    write("modules/api/main.tf", API)
    write("live/api/terragrunt.hcl", API_UNIT)
    nlb_unit = write("live/nlb/terragrunt.hcl", unit(inputs=f'  name   = "nlb"\n  policy = "{TLS13}"'))
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["file"], finding["line"]) == ("E9508", str(nlb_unit), line_of(nlb_unit, "policy ="))


TLS12 = "ELBSecurityPolicy-TLS13-1-2-2021-06"
POLICY_BALANCER = BALANCER.replace('protocol          = var.protocol',
                                   'protocol          = "TLS"\n  ssl_policy        = var.policy').replace(
    'variable "protocol"', f'variable "policy" {{\n  default = "{TLS12}"\n}}\nvariable "unused"')
ROOT_EXTRA_ARGUMENTS = """terraform {
  extra_arguments "env_vars" {
    commands           = get_terraform_commands_that_need_vars()
    required_var_files = ["${get_terragrunt_dir()}/env.tfvars"]
    optional_var_files = ["${get_terragrunt_dir()}/override.tfvars", "${get_terragrunt_dir()}/absent.tfvars"]
  }
}
"""
INCLUDE_ROOT = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'


@pytest.fixture
def policy_units(write):
    """modules/{balancer,api} (the listener's policy a variable with a TLS 1.2 default) and the units
    live/{nlb,api}; live/nlb includes live/root.hcl, whose extra_arguments are the test's."""

    def make(root: str = ROOT_EXTRA_ARGUMENTS, inputs: str = f'  policy = "{TLS12}"') -> Path:
        write("modules/balancer/main.tf", POLICY_BALANCER)
        write("modules/balancer/terraform.tfvars", f'policy = "{TLS12}"\n')
        write("modules/api/main.tf", API)
        write("live/api/terragrunt.hcl", API_UNIT)
        write("live/root.hcl", root)
        return write("live/nlb/terragrunt.hcl", INCLUDE_ROOT + unit(inputs=inputs))

    return make


def test_var_files_of_extra_arguments_rank_above_inputs_and_the_modules_tfvars(tlspath, policy_units, write,
                                                                                 tmp_path):
    """required_var_files of an included root.hcl, with get_terragrunt_dir() the unit's folder: the var file
    sets what terraform apply deploys, and the finding points at its line (not the default, the input or the
    module's terraform.tfvars)."""
    policy_units()
    env = write("live/nlb/env.tfvars", f'# prod\npolicy = "{TLS13}"\n')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["level"], finding["file"], finding["line"]) == ("E9508", "error", str(env), 2)
    write("live/nlb/override.tfvars", f'policy = "{TLS12}"\n')  # optional, later: wins
    assert findings(tlspath, tmp_path) == []
    run = tlspath(tmp_path, "--format", "json", "--var", f"policy={TLS13}")  # tlspath's own --var wins over all
    assert [f["rule"] for f in run.findings] == ["E9508"] and run.code == 1


def test_var_arguments_of_extra_arguments_and_commands_that_do_not_apply(tlspath, policy_units, write, tmp_path):
    policy_units('terraform {\n  extra_arguments "plan_only" {\n    commands  = ["plan"]\n'
                 '    arguments = ["-var-file=${get_terragrunt_dir()}/env.tfvars"]\n  }\n'
                 '  extra_arguments "deploy" {\n    commands  = ["apply"]\n'
                 f'    arguments = ["-lock-timeout=20m", "-var", "policy={TLS13}"]\n  }}\n}}\n')
    write("live/nlb/env.tfvars", f'policy = "{TLS12}"\n')
    finding, = findings(tlspath, tmp_path)
    declared = tmp_path / "modules" / "balancer" / "main.tf"
    assert (finding["rule"], finding["file"], finding["line"]) == ("E9508", str(declared), 1)
    assert finding["message"].endswith(f"(the value comes from -var policy=... in extra_arguments \"deploy\" of "
                                       f"{tmp_path / 'live' / 'root.hcl'})")


@pytest.mark.parametrize("var_file, said", [
    ("${get_terragrunt_dir()}/../../../outside/env.tfvars", "outside the scanned tree"),
    ("${get_terragrunt_dir()}/missing.tfvars", "does not exist, and terragrunt refuses to run without it"),
])
def test_a_var_file_of_extra_arguments_tlspath_cannot_read_is_named_not_guessed(tlspath, policy_units, write,
                                                                                 tmp_path, var_file, said):
    policy_units(ROOT_EXTRA_ARGUMENTS.replace("${get_terragrunt_dir()}/env.tfvars", var_file))
    run = tlspath(tmp_path, "--format", "json")
    gaps = [f for f in run.findings if f["rule"] == "I9513"]
    assert [f["rule"] for f in run.findings] == ["I9513"] and run.code == 0, run.findings
    assert "variable 'policy' may be set by what Terragrunt passes to terraform" in gaps[0]["message"]
    assert said in gaps[0]["message"]


def test_a_host_from_a_unit_input_is_fixed_in_the_input_not_in_the_shared_module(tlspath, pair, write, tmp_path):
    """The URI is built in the module every environment shares; its host comes from the unit's inputs: the
    finding stays at the uri it judges, and message and fix name the variable and the input's line."""
    pair()
    write("modules/api/main.tf", API.replace('variable "nlb_arn" {}', 'variable "nlb_arn" {}\nvariable "api_host" {}')
          .replace('"https://api.example.com/"', '"https://${var.api_host}/orders"'))
    api_unit = write("live/api/terragrunt.hcl", API_UNIT.replace(
        "  nlb_arn = dependency.nlb.outputs.arn", '  nlb_arn  = dependency.nlb.outputs.arn\n  api_host = "shop.example.com"'))
    finding, = findings(tlspath, tmp_path)
    module = tmp_path / "modules" / "api" / "main.tf"
    assert (finding["rule"], finding["level"], finding["file"]) == ("E9503", "error", str(module))
    set_in = f"variable 'api_host', set in {api_unit}:{line_of(api_unit, 'api_host')}"
    assert finding["message"].endswith(f"(the value comes from {set_in})")
    assert finding["fix"].startswith(f"Change the value of {set_in}, to a host ")


def test_a_value_set_in_a_file_found_with_find_in_parent_folders_is_reported_under_a_relative_path(
        tlspath, policy_units, write, tmp_path):
    """find_in_parent_folders() is absolute (as in Terragrunt); the report names the file as the run names
    the others, relative to the working folder."""
    policy_units(root="", inputs="")
    write("modules/balancer/terraform.tfvars", "")  # it would rank above the inputs
    write("live/_envcommon/nlb.hcl", f'inputs = {{\n  policy = "{TLS13}"\n}}\n')
    write("live/nlb/terragrunt.hcl", 'include "envcommon" {\n  path = "${dirname(find_in_parent_folders('
                                     '"root.hcl"))}/_envcommon/nlb.hcl"\n}\n' + unit())
    run = tlspath(".", "--format", "json", cwd=tmp_path)
    finding, = run.findings
    assert (finding["rule"], finding["file"], finding["line"]) == ("E9508", "live/_envcommon/nlb.hcl", 2), finding
    assert finding["message"].endswith("(the value comes from variable 'policy', set in live/_envcommon/nlb.hcl:2)")


def test_unit_without_a_source_runs_its_own_files(tlspath, write, tmp_path):
    write("live/nlb/main.tf", BALANCER)
    write("live/nlb/terragrunt.hcl", 'inputs = {\n  protocol = "TCP"\n}\n')
    write("modules/api/main.tf", API)
    write("live/api/terragrunt.hcl", API_UNIT)
    assert [f["rule"] for f in findings(tlspath, tmp_path)] == ["E9501"]


# ------------------------------------------------------------------------------ what stays unknown


def test_remote_source_of_a_dependency_is_named_not_guessed(tlspath, pair, tmp_path, write):
    pair()
    write("live/nlb/terragrunt.hcl", unit("git::https://github.com/acme/modules.git//nlb?ref=v1.2.0"))
    write("live/api/terragrunt.hcl", API_UNIT.replace('config_path = "../nlb"', 'config_path = "../nlb"\n'
                                                      '  mock_outputs = {\n    arn = "arn:aws:elasticloadbalancing:'
                                                      'eu-west-1:111122223333:loadbalancer/net/mock/1"\n  }'))
    unit_gap, link = sorted(findings(tlspath, tmp_path), key=lambda f: not f["message"].startswith("'Terragrunt unit"))
    assert link["rule"] == unit_gap["rule"] == "I9513"
    assert "git::https://github.com/acme/modules.git//nlb?ref=v1.2.0" in link["message"]
    assert "mock_outputs are placeholders" in link["message"]
    assert unit_gap["file"].endswith("live/nlb/terragrunt.hcl")


def test_dependency_cycle_ends_in_an_unresolved_hop(tlspath, pair, tmp_path, write):
    pair()
    write("live/nlb/terragrunt.hcl", unit(inputs="  protocol = dependency.api.outputs.nothing",
                                          extra='dependency "api" {\n  config_path = "../api"\n}\n'))
    run = tlspath(tmp_path, "--format", "json")
    assert run.report["errors"] == [] and "Traceback" not in run.err
    assert {f["rule"] for f in run.findings} == {"I9513"}
    assert any("cycle" in f["message"] for f in run.findings)


@pytest.mark.parametrize("escape", ['source = "../../../outside//balancer"', 'path = "../../../outside/root.hcl"'])
def test_nothing_outside_the_scanned_tree_is_read(tlspath, write, tmp_path, escape):
    write("outside/balancer/main.tf", BALANCER)
    write("outside/root.hcl", 'inputs = {\n  protocol = "TCP"\n}\n')
    write("tree/modules/api/main.tf", API)
    write("tree/modules/balancer/main.tf", BALANCER)
    write("tree/live/api/terragrunt.hcl", API_UNIT)
    body = (unit("../../../outside//balancer") if escape.startswith("source") else
            'include "root" {\n  path = "../../../outside/root.hcl"\n}\n' + unit())
    write("tree/live/nlb/terragrunt.hcl", body)
    run = tlspath(tmp_path / "tree", "--format", "json")
    assert "E9501" not in {f["rule"] for f in run.findings}
    if escape.startswith("source"):
        assert any("outside the scanned tree" in f["message"] for f in run.findings)


def test_commands_and_the_environment_are_never_used(tlspath, pair, tmp_path, write, monkeypatch):
    marker = tmp_path / "ran"
    monkeypatch.setenv("PROTOCOL", "TCP")
    pair()
    write("live/nlb/terragrunt.hcl", unit(inputs=f'  protocol = get_env("PROTOCOL", "TLS")\n'
                                                 f'  name     = run_cmd("touch", "{marker}")'))
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "I9513" and "get_env() reads an environment variable" in finding["message"]
    assert not marker.exists()


def test_broken_unit_file_is_an_input_error_and_the_rest_is_read(tlspath, pair, tmp_path, write):
    pair('  protocol = "TCP"')
    broken = write("live/other/terragrunt.hcl", 'inputs = {\n  a = \n}\n')
    run = tlspath(tmp_path, "--format", "json")
    error, = run.report["errors"]
    assert (error["file"], error["line"]) == (str(broken), 2) and run.code == 2
    assert [f["rule"] for f in run.findings] == ["E9501"]


# ------------------------------------------------------------------------------------------ stacks

STACK = 'unit "nlb" {\n  source = "../live/nlb"\n  path   = "nlb"\n  values = {\n    protocol = "TCP"\n  }\n}\n'


def test_values_of_a_generated_unit_are_read_from_its_values_file(tlspath, pair, tmp_path, write):
    """`terragrunt stack generate` writes the unit's values in terragrunt.values.hcl beside it, which Terragrunt
    reads when it runs the unit there: so does tlspath."""
    pair("  protocol = values.protocol")
    write("live/nlb/terragrunt.values.hcl", '# Auto-generated by the terragrunt.stack.hcl file by Terragrunt\n'
                                            'protocol = "TCP"\n')
    run = tlspath(tmp_path, "--format", "json")
    assert [f["rule"] for f in run.findings] == ["E9501"] and run.code == 1


def test_a_stack_source_read_alone_names_the_stack_that_gives_its_values(tlspath, pair, tmp_path, write):
    """A unit a terragrunt.stack.hcl generates is copied and run elsewhere (its relative paths mean other
    folders there), so stacks are not read: values.NAME is unknown, and the I9513 says which stack block gives
    it and what value it gives -- never "set when Terragrunt runs"."""
    pair("  protocol = values.protocol")
    stack = write("stacks/terragrunt.stack.hcl", STACK)
    gap, = (run := tlspath(tmp_path, "--format", "json")).findings
    assert (gap["rule"], gap["level"], run.code) == ("I9513", "info", 0)
    assert gap["message"].endswith(f"values.protocol is given by the Terragrunt stack that generates this unit "
                                   f"({stack}:1: unit \"nlb\" sets it to 'TCP'), and tlspath does not read stacks")
    assert gap["fix"] == "run terragrunt stack generate and scan the units it writes (their terragrunt.values.hcl is read)"
    stack.unlink()
    alone, = tlspath(tmp_path, "--format", "json").findings
    assert alone["message"].endswith("values.protocol is given by the Terragrunt stack that generates this unit, and "
                                     "no terragrunt.stack.hcl among the scanned files names it as a unit's source")
    assert alone["fix"].startswith("scan the folder with the terragrunt.stack.hcl too, or run terragrunt stack")


# ------------------------------------------------------------------------------ modules tlspath cannot read


@pytest.mark.parametrize("source, said", [
    ("git::https://github.com/acme/modules.git//balancer?ref=v1.2.0",
     "its module 'git::https://github.com/acme/modules.git//balancer?ref=v1.2.0' is remote, not in the scanned files"),
    ("tfr:///acme/balancer/aws?version=2.1.0",
     "its module 'tfr:///acme/balancer/aws?version=2.1.0' is remote, not in the scanned files"),
    ("../../../modules//balancer", "its terraform.source names '../../../modules/balancer', outside the scanned tree"),
    ("../../modules//missing", "holds no readable .tf files"),
])
def test_a_unit_whose_module_is_not_read_is_reported_at_its_source(tlspath, write, tmp_path, source, said):
    """Never '0 paths' and exit 0 in silence: each unit tlspath cannot check is an I9513 naming the source."""
    write("modules/balancer/main.tf", BALANCER)  # beside the scanned tree
    main = write("tree/live/nlb/terragrunt.hcl", unit(source))
    finding, = findings(tlspath, tmp_path / "tree")
    assert (finding["rule"], finding["file"], finding["line"]) == ("I9513", str(main), line_of(main, "source ="))
    assert finding["message"].startswith(f"'Terragrunt unit {tmp_path / 'tree' / 'live' / 'nlb'}': ")
    assert said in finding["message"]


def test_a_remote_module_terragrunt_downloaded_is_read_from_its_cache(tlspath, write, tmp_path):
    write("live/nlb/.terragrunt-cache/Xb7pZ/q2Lk9/balancer/main.tf", BALANCER)
    write("live/nlb/terragrunt.hcl", unit("git::https://github.com/acme/modules.git//balancer?ref=v1.2.0",
                                          '  protocol = "TCP"'))
    write("live/api/terragrunt.hcl", API_UNIT)
    write("modules/api/main.tf", API)
    assert [f["rule"] for f in findings(tlspath, tmp_path)] == ["E9501"]
    write("live/nlb/.terragrunt-cache/older/a1b2c/balancer/main.tf", BALANCER)  # a download left behind
    found = findings(tlspath, tmp_path)
    assert {f["rule"] for f in found} == {"I9513"}
    assert any(".terragrunt-cache holds 2 downloads of it" in f["message"] for f in found)


# --------------------------------------------------------------------------------- named files (hooks)


@pytest.fixture
def repository(pair, tmp_path, write, monkeypatch):
    """The pair in a Git repository, worked in from its root (as pre-commit runs a hook)."""
    (tmp_path / ".git").mkdir()
    write("live/env.hcl", 'locals {\n  protocol = "TCP"\n}\n')
    pair()
    write("live/nlb/terragrunt.hcl", 'locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))\n}\n'
          + unit(inputs="  protocol = local.env.locals.protocol"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("changed", ["live/env.hcl", "modules/balancer/main.tf", "live/nlb/terragrunt.hcl",
                                     "live/api/terragrunt.hcl", "modules/api/main.tf"])
def test_a_changed_file_is_judged_in_the_units_that_use_it(tlspath, repository, changed):
    """Whatever changed -- an included file, a module, a unit -- the units it takes effect in are judged, as
    a whole scan judges them; a module is never judged alone, without the inputs its units give."""
    run = tlspath(changed, "--format", "json", cwd=repository)
    assert run.report["errors"] == []
    assert [(f["rule"], f["file"]) for f in run.findings] == [("E9501", "modules/balancer/main.tf")]


def test_a_changed_module_no_unit_uses_is_judged_on_its_own(tlspath, repository, write):
    write("modules/spare/main.tf", API)
    run = tlspath("modules/spare/main.tf", "--format", "json", cwd=repository)
    assert [f["rule"] for f in run.findings] == ["I9513"]  # its VPC link has no NLB: nothing gives nlb_arn


def test_a_unit_folder_scanned_from_inside_is_read_like_its_terragrunt_hcl_named(tlspath, repository):
    """``cd live/nlb && tlspath .`` -- the first thing a Terragrunt user tries -- reads the unit's includes
    (find_in_parent_folders), the units that depend on it and its module in its Git repository, as naming its
    terragrunt.hcl does (R6-9)."""
    unit_folder = repository / "live" / "nlb"
    as_folder = tlspath(".", "--format", "json", cwd=unit_folder)
    as_file = tlspath("terragrunt.hcl", "--format", "json", cwd=unit_folder)
    assert as_folder.code == 1 and as_folder.report["errors"] == []
    assert [(f["rule"], f["line"], f["message"]) for f in as_folder.findings] == \
        [(f["rule"], f["line"], f["message"]) for f in as_file.findings]
    assert [f["rule"] for f in as_folder.findings] == ["E9501"]


@pytest.mark.parametrize("linked", [False, True])
def test_a_unit_scanned_on_its_own_reads_nothing_past_its_work_tree(tlspath, write, tmp_path, linked):
    """``cd live/nlb && tlspath .`` reads within the unit's Git work tree (README) and no further: an include
    that only a folder above the work tree's top holds is not found, and one reached through a symbolic link
    out of the work tree is not read -- each an I9513, never the value that file gives (review7 item 10)."""
    write("env.hcl", 'locals {\n  protocol = "TCP"\n}\n')  # above the work tree: TCP would be E9501
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write("repo/modules/balancer/main.tf", BALANCER)
    write("repo/modules/api/main.tf", API)
    write("repo/live/api/terragrunt.hcl", API_UNIT)
    write("repo/live/nlb/terragrunt.hcl", 'locals {\n  env = read_terragrunt_config(find_in_parent_folders('
          '"env.hcl"))\n}\n' + unit(inputs="  protocol = local.env.locals.protocol"))
    if linked:
        (tmp_path / "repo" / "live" / "env.hcl").symlink_to(tmp_path / "env.hcl")
    run = tlspath(".", "--format", "json", cwd=tmp_path / "repo" / "live" / "nlb")
    found = run.findings
    assert {f["rule"] for f in found} == {"I9513"} and run.code == 0
    said = "outside the scanned tree" if linked else "no folder above '.' inside the scanned tree holds it"
    assert any(said in f["message"] for f in found), [f["message"] for f in found]


def test_a_unit_folder_outside_git_says_to_scan_from_the_folder_of_its_include(tlspath, tmp_path):
    """Outside a Git work tree nothing above the scanned folder is read: the I9513 says where to scan from."""
    shutil.copytree(SAMPLE, tmp_path / "live-repo")
    run = tlspath(".", "--format", "json", cwd=tmp_path / "live-repo" / "live" / "prod" / "nlb")
    gap, = run.findings
    assert (run.code, gap["rule"], gap["level"]) == (0, "I9513", "info")
    assert "find_in_parent_folders('root.hcl'): no folder above '.' inside the scanned tree holds it" in gap["message"]
    assert gap["fix"].startswith("scan from the folder that holds root.hcl (e.g. tlspath ../..)")
