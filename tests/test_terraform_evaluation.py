"""Terraform evaluation as users see it: which value a variable gets, what locals, conditionals, count,
for_each, modules and functions make of a path, and what is reported when something cannot be known."""

from __future__ import annotations

import json

import pytest

from conftest import edit, line_of
from terraform_snippets import (
    SELF_SIGNING_SCRIPT, acm_certificate, clean_rest_path, instance, nlb, rest_integration,
    tcp_listener, tls_listener, vpc_link,
)


def port_probe(default: str | None = "1001") -> str:
    """A clean path whose URI port is var.port: any port but 443 is an E9507 naming it."""
    declared = f'variable "port" {{\n  default = {default}\n}}\n' if default else 'variable "port" {}\n'
    return declared + rest_integration(uri='"https://api.example.com:${var.port}/"') + vpc_link() + nlb() + \
        tls_listener() + acm_certificate()


def ports_reported(run) -> list[str]:
    return [f["message"].split("connects to port ")[1].split(" ")[0] for f in run.findings if f["rule"] == "E9507"]


# ------------------------------------------------------------------------------------------- variables


def test_variable_default_is_used(tlspath, write, tmp_path):
    write("main.tf", port_probe())
    assert ports_reported(tlspath(tmp_path, "--format", "json")) == ["1001"]


@pytest.mark.parametrize("files, arguments, expected", [
    ({"terraform.tfvars": "port = 1002"}, [], "1002"),
    ({"terraform.tfvars.json": '{"port": 1003}'}, [], "1003"),
    ({"terraform.tfvars": "port = 1002", "a.auto.tfvars": "port = 1004", "b.auto.tfvars": "port = 1005"}, [], "1005"),
    ({"terraform.tfvars": "port = 1002", "z.auto.tfvars.json": '{"port": 1006}'}, [], "1006"),
    ({"terraform.tfvars": "port = 1002", "a.auto.tfvars": "port = 1004"}, ["--var-file", "{dir}/prod.tfvars"], "1007"),
    ({"a.auto.tfvars": "port = 1004"}, ["--var-file", "{dir}/prod.tfvars", "--var", "port=1008"], "1008"),
    ({}, ["--var", "port=1009", "--var-file", "{dir}/prod.tfvars"], "1007"),  # command-line order, as terraform
    ({}, ["--var-file", "{dir}/prod.tfvars", "--var", "port=1009", "--var-file", "{dir}/late.tfvars"], "1010"),
    ({"terraform.tfvars.json": '{"port": 1003}'}, ["--env", "1011"], "1003"),  # TF_VAR_ is below every file
    ({"other.tfvars": "port = 1012"}, ["--env", "1011"], "1011"),  # ... but above the default
])
def test_variable_precedence(tlspath, write, tmp_path, monkeypatch, files, arguments, expected):
    """Lowest first: default, TF_VAR_port, terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in
    name order, then --var-file and --var in command-line order."""
    write("main.tf", port_probe())
    write("prod.tfvars", "port = 1007")
    write("late.tfvars", "port = 1010")
    for name, text in files.items():
        write(name, text)
    if arguments[:1] == ["--env"]:
        monkeypatch.setenv("TF_VAR_port", arguments.pop(1))
        arguments = arguments[1:]
    run = tlspath(tmp_path / "main.tf", "--format", "json", *(a.format(dir=tmp_path) for a in arguments))
    assert ports_reported(run) == [expected]


@pytest.mark.parametrize("declaration, value, expected", [
    ('variable "ports" {\n  type = list(number)\n}', "[443, 9443]", "9443"),  # a complex type: parsed as HCL
    ('variable "ports" {\n  type = any\n}', '["a", "9444"]', "9444"),
    ('variable "ports" {\n  type = string\n}', "[1, 2]", None),  # a string: taken as it is, never parsed
])
def test_environment_variable_is_parsed_by_the_declared_type(tlspath, write, tmp_path, monkeypatch, declaration,
                                                              value, expected):
    write("main.tf", declaration + "\n" + rest_integration(uri='"https://api.example.com:${var.ports[1]}/"') +
          vpc_link() + nlb() + tls_listener() + acm_certificate())
    monkeypatch.setenv("TF_VAR_ports", value)
    run = tlspath(tmp_path, "--format", "json")
    if expected is None:  # indexing a string is an error terraform reports too: the hop is unresolved
        assert [f["rule"] for f in run.findings] == ["I9513"]
    else:
        assert ports_reported(run) == [expected]


def test_environment_variable_for_a_string_keeps_its_quotes(tlspath, write, tmp_path, monkeypatch):
    write("main.tf", 'variable "host" {\n  type = string\n}\n' + rest_integration(uri='"https://${var.host}/"') +
          vpc_link() + nlb() + tls_listener() + acm_certificate())
    monkeypatch.setenv("TF_VAR_host", '"api.example.com"')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9503" and "'\"api.example.com\"'" in finding["message"]


def test_environment_variable_that_does_not_parse_is_an_unresolved_hop(tlspath, write, tmp_path, monkeypatch):
    write("main.tf", 'variable "ports" {\n  type = list(number)\n}\n' +
          rest_integration(uri='"https://api.example.com:${var.ports[0]}/"') + vpc_link() + nlb() + tls_listener() +
          acm_certificate())
    monkeypatch.setenv("TF_VAR_ports", "[443,")
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and "the environment variable TF_VAR_ports is not a valid value" in finding["message"]


def test_variable_without_value_is_an_unresolved_hop_that_names_it(tlspath, write, tmp_path):
    main = write("main.tf", port_probe(default=None))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert finding["rule"] == "I9513" and run.code == 0
    assert "variable 'port' has no value" in finding["message"]
    assert "--var port=" in finding["fix"]
    assert finding["line"] == line_of(main, "uri ")


def test_var_file_that_does_not_exist_is_an_input_error(tlspath, write, tmp_path):
    write("main.tf", clean_rest_path())
    run = tlspath(tmp_path, "--format", "json", "--var-file", str(tmp_path / "missing.tfvars"))
    assert run.code == 2 and "missing.tfvars: --var-file: no such file" in run.err


def test_malformed_var_setting_is_a_usage_error(tlspath, write, tmp_path):
    write("main.tf", clean_rest_path())
    run = tlspath(tmp_path, "--format", "json", "--var", "port")
    assert run.code == 2 and "'port' is not NAME=VALUE" in run.err


def test_a_var_no_root_module_declares_is_a_warning(tlspath, write, tmp_path):
    """A typo never silently does nothing: terraform refuses an undeclared -var and warns for a var file;
    tlspath warns for both, as for an undeclared --parameter -- the run goes on, its exit code is the findings'."""
    write("main.tf", port_probe())
    prod = write("prod.tfvars", "prot = 1002\nport = 1003\n")
    run = tlspath(tmp_path, "--format", "json", "--var", "prto=1001", "--var-file", prod, "--var", "port=443")
    assert (run.code, run.findings) == (0, [])
    assert run.err.splitlines() == [
        "tlspath: warning: --var prto: no scanned root module declares a variable 'prto'",
        f"tlspath: warning: --var-file {prod}: no scanned root module declares a variable 'prot'"]


def test_configured_var_files_and_runs_without_root_modules_give_no_warning(tlspath, write, tmp_path):
    """The configuration's var-files serve every run, also one over a part of the repository that leaves out
    the root module a value is for; a run with no root module at all judges no variable."""
    write("main.tf", port_probe())
    write("other.tfvars", 'elsewhere = "x"\n')
    write(".tlspath.toml", 'var-files = ["other.tfvars"]\n')
    run = tlspath(tmp_path, "--format", "json", cwd=tmp_path)
    assert run.err == "" and ports_reported(run) == ["1001"]
    template = write("cfn/template.yaml", "Resources: {}\n")
    assert tlspath(template, "--var", "port=443").err == ""


def test_list_given_with_var_is_read_as_hcl(tlspath, write, tmp_path):
    """As terraform: HCL for a variable of a complex type; for an untyped or string variable, the text itself."""
    write("main.tf", 'variable "ports" {\n  type = list(number)\n}\n' + rest_integration(
        uri='"https://api.example.com:${var.ports[1]}/"') + vpc_link() + nlb() + tls_listener() + acm_certificate())
    run = tlspath(tmp_path, "--format", "json", "--var", "ports=[443, 9443]")
    assert ports_reported(run) == ["9443"]


@pytest.mark.parametrize("declaration, refused", [
    ("type = list(string)", True), ("type = any", True), ("type = map(object({ a = string }))", True),
    ("type = string", False), ("", False),  # as terraform: the text itself, a string
])
def test_malformed_hcl_for_a_complex_variable_is_an_input_error_like_terraform(tlspath, write, tmp_path, monkeypatch,
                                                                              declaration, refused):
    """terraform stops on ``-var 'subnet_ids=[[['`` for a list variable ("Missing expression"), whether or not
    anything reads it; it is never taken as the string '[[['."""
    write("main.tf", clean_rest_path())
    variables = write("variables.tf", f'variable "subnet_ids" {{\n  {declaration}\n  default = null\n}}\n')
    for given, source in ((["--var", "subnet_ids=[[["], "--var subnet_ids=..."),
                          ([], "the environment variable TF_VAR_subnet_ids")):
        if not given:
            monkeypatch.setenv("TF_VAR_subnet_ids", "[[[")
        run = tlspath(tmp_path, *given)
        expected = f"{variables}:1: {source} is not a valid value for variable 'subnet_ids' (HCL syntax error"
        assert (run.code, expected in run.err) == ((2, True) if refused else (0, False)), run.err


# ------------------------------------------------------------------------------- locals, conditionals


def test_locals_and_interpolation_build_the_uri(tlspath, write, tmp_path):
    write("main.tf", '''
locals {
  environment = "prod"
  ports       = { prod = 8443, test = 9443 }
  host        = "api.${local.domain}"
  domain      = "example.com"
  uri         = "https://${local.host}:${local.ports[local.environment]}/v1"
}
''' + rest_integration(uri="local.uri") + vpc_link() + nlb() + tls_listener() + acm_certificate())
    assert ports_reported(tlspath(tmp_path, "--format", "json")) == ["8443"]


def tls_when_var_tls(declaration: str) -> str:
    """A listener that is TLS with an ACM certificate when var.tls holds, else TCP to a self-signing instance."""
    return declaration + rest_integration() + vpc_link() + nlb() + '''
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = var.tls ? "TLS" : "TCP"
  certificate_arn   = var.tls ? aws_acm_certificate_validation.cert.certificate_arn : null

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }
}

resource "aws_lb_target_group" "tg" {
  port     = 443
  protocol = "TCP"
}
''' + acm_certificate() + \
        instance(SELF_SIGNING_SCRIPT)


def test_decided_conditional_takes_its_branch(tlspath, write, tmp_path):
    write("main.tf", tls_when_var_tls('variable "tls" {\n  default = true\n}\n'))
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings == [] and run.report["summary"]["paths"] == 1


def test_undecided_conditional_is_followed_both_ways_and_says_so(tlspath, write, tmp_path):
    main = write("main.tf", tls_when_var_tls('variable "tls" {\n  type = bool\n}\n'))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9501" and finding["message"].endswith("(when var.tls is false)")
    assert finding["line"] == line_of(main, "openssl req")


def test_condition_in_a_module_is_the_same_condition_as_at_the_root(tlspath, write, tmp_path):
    """var.tls reaches the module as its input: one assumption, not two that could contradict."""
    write("main.tf", 'variable "tls" {\n  type = bool\n}\n' + rest_integration() + vpc_link("module.lb.arn") + '''
module "lb" {
  source   = "./lb"
  protocol = var.tls ? "TLS" : "TCP"
  cert     = aws_acm_certificate.cert.arn
}
''' + acm_certificate())
    write("lb/main.tf", '''
variable "protocol" {}
variable "cert" {}
''' + nlb() + '''
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = var.protocol
  certificate_arn   = var.protocol == "TLS" ? var.cert : null

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }
}

resource "aws_lb_target_group" "tg" {
  port     = 443
  protocol = "TCP"
}

output "arn" {
  value = aws_lb.nlb.arn
}
''')
    run = tlspath(tmp_path, "--format", "json")
    assert [(f["rule"], f["message"].rsplit("(when ", 1)[1]) for f in run.findings] == [("W9502", "var.tls is false)")]


def test_a_negated_condition_is_not_its_variable(tlspath, write, tmp_path):
    """``!var.plain ? "TLS" : "TCP"`` is TCP when var.plain holds: the finding must not say the opposite."""
    text = edit(tls_when_var_tls('variable "plain" {\n  type = bool\n}\n'), {
        'protocol          = var.tls ? "TLS" : "TCP"': 'protocol          = !var.plain ? "TLS" : "TCP"',
        "certificate_arn   = var.tls ?": "certificate_arn   = var.plain == false ?"})
    write("main.tf", text)
    run = tlspath(tmp_path, "--format", "json")
    error = next(f for f in run.findings if f["rule"] == "E9501")
    assert error["message"].endswith("(when var.plain is true)")  # TCP to the self-signing instance
    assert run.report["summary"]["paths"] == 2


def test_tests_of_one_variable_exclude_each_other(tlspath, write, tmp_path):
    """var.env == "prod" and var.env == "dev" cannot both hold: no path (and no finding) assumes both."""
    text = edit(tls_when_var_tls('variable "env" {\n  type = string\n}\n'), {
        'protocol          = var.tls ? "TLS" : "TCP"': 'protocol          = var.env == "prod" ? "TLS" : "TCP"',
        "certificate_arn   = var.tls ? aws_acm_certificate_validation.cert.certificate_arn : null":
        'certificate_arn   = var.env == "dev" ? null : aws_acm_certificate_validation.cert.certificate_arn'})
    write("main.tf", text)
    run = tlspath(tmp_path, "--format", "json")
    assert [(f["rule"], f["message"].rsplit("(when ", 1)[1]) for f in run.findings if f["rule"] != "W9518"] == [
        ("E9501", 'var.env != "prod")')]
    error = next(f for f in run.findings if f["rule"] == "E9501")  # the key baselines keep is not the wording
    assert error["identity"]["conditions"] == 'var.env == "prod"=false'
    assert run.report["summary"]["paths"] == 3  # prod; dev; neither -- never prod and dev at once


def test_a_resource_in_a_conditional_module_instance_needs_both_conditions(tlspath, write, tmp_path):
    """The listener exists when module.lb exists and var.tls does not hold (``count = var.tls ? 0 : 1``):
    both, never a path that assumes the pair without one of its parts, stated in the variables."""
    write("main.tf", 'variable "lb" {\n  type = bool\n}\nvariable "tls" {\n  type = bool\n}\n' +
          rest_integration() + vpc_link("module.lb[0].arn") + '''
module "lb" {
  source = "./lb"
  count  = var.lb ? 1 : 0
  tls    = var.tls
}
''')
    write("lb/main.tf", 'variable "tls" {}\n' + nlb() + '''
resource "aws_lb_listener" "tcp" {
  count             = var.tls ? 0 : 1
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"
}

output "arn" {
  value = aws_lb.nlb.arn
}
''')
    run = tlspath(tmp_path, "--format", "json")
    stated = sorted((f["rule"], f["message"].rsplit("(when ", 1)[1]) for f in run.findings)
    assert stated == [("E9507", "var.lb is true and var.tls is true)"), ("W9502", "var.lb is true and var.tls is false)")]


# --------------------------------------------------------------------------------------- count, for_each


def test_count_expands_instances_with_their_own_addresses(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_instance" "web" {
  count     = 3
  ami       = "ami-0c1b2d3e4f5a6b7c8"
  user_data = count.index == 1 ? "openssl req -x509 -subj /CN=web${count.index}" : "echo plain"
}

resource "aws_lb_target_group_attachment" "web" {
  count            = length(aws_instance.web)
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = aws_instance.web[count.index].id
}
''')
    run = tlspath(tmp_path, "--format", "json")
    assert [f["resource"] for f in run.findings] == ["aws_instance.web[1]"]
    targets = [s["resource"] for s in run.findings[0]["trace"] if s["role"] == "target"]
    assert targets == ["aws_instance.web[0]", "aws_instance.web[1]", "aws_instance.web[2]"]


def test_count_on_an_undecided_condition_makes_a_conditional_resource(tlspath, write, tmp_path):
    write("main.tf", 'variable "legacy" {\n  type = bool\n}\n' + rest_integration() + vpc_link() + nlb() +
          tcp_listener() + '''
resource "aws_instance" "legacy" {
  count     = var.legacy ? 1 : 0
  ami       = "ami-0c1b2d3e4f5a6b7c8"
  user_data = "openssl req -x509 -subj /CN=legacy"
}

resource "aws_lb_target_group_attachment" "legacy" {
  count            = var.legacy ? 1 : 0
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = aws_instance.legacy[0].id
}
''')
    warning, error = tlspath(tmp_path, "--format", "json").findings
    assert error["rule"] == "E9501" and error["resource"] == "aws_instance.legacy[0]"
    assert error["message"].endswith("(when var.legacy is true)")
    # without the legacy instance nothing is registered: the targets' certificate cannot be told
    assert warning["rule"] == "W9502" and warning["message"].endswith("(when var.legacy is false)")


def test_for_each_over_a_map_binds_each_key_and_value(tlspath, write, tmp_path):
    main = write("main.tf", '''
variable "services" {
  default = {
    orders  = { port = 443 }
    billing = { port = 9443 }
  }
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_resource" "service" {
  for_each    = var.services
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_integration" "service" {
  for_each        = var.services
  rest_api_id     = aws_api_gateway_rest_api.api.id
  resource_id     = aws_api_gateway_resource.service[each.key].id
  http_method     = "GET"
  type            = "HTTP_PROXY"
  uri             = "https://api.example.com:${each.value.port}/${each.key}"
  connection_type = "VPC_LINK"
  connection_id   = aws_api_gateway_vpc_link.link.id
}
''' + vpc_link() + nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9507" and finding["resource"] == 'aws_api_gateway_integration.service["billing"]'
    assert "(GET /billing)" in finding["message"] and "port 9443" in finding["message"]
    assert finding["line"] == line_of(main, "uri ")


def test_for_each_over_a_set_of_strings(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_instance" "web" {
  for_each  = toset(["blue", "green"])
  ami       = "ami-0c1b2d3e4f5a6b7c8"
  user_data = each.value == "green" ? "openssl req -x509 -subj /CN=${each.key}" : "echo ${each.key}"
}

resource "aws_lb_target_group_attachment" "web" {
  for_each         = aws_instance.web
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = each.value.id
}
''')
    assert [f["resource"] for f in tlspath(tmp_path, "--format", "json").findings] == ['aws_instance.web["green"]']


def test_integrations_whose_instances_cannot_be_told_are_reported(tlspath, write, tmp_path):
    main = write("main.tf", 'variable "routes" {}\n' + rest_integration(extra="  for_each = var.routes") +
                 vpc_link() + nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and finding["line"] == line_of(main, '"aws_api_gateway_integration"')
    assert "variable 'routes' has no value" in finding["message"]


# --------------------------------------------------------------------------------------------- modules


def test_module_inputs_in_outputs_out_nested(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link("module.edge.nlb_arn") + '''
module "edge" {
  source      = "./modules/edge"
  listener_ip = "ignored"
}
''')
    write("modules/edge/main.tf", '''
variable "listener_ip" {}

module "balancer" {
  source = "../balancer"
  name   = "edge"
}

output "nlb_arn" {
  value = module.balancer.arn
}
''')
    balancer = write("modules/balancer/main.tf", 'variable "name" {}\n' + nlb() + tcp_listener() +
                     instance(SELF_SIGNING_SCRIPT) + 'output "arn" {\n  value = aws_lb.nlb.arn\n}\n')
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert finding["resource"] == "module.edge.module.balancer.aws_instance.web"
    assert (finding["file"], finding["line"]) == (str(balancer), line_of(balancer, "openssl req"))
    roles = {s["role"]: s["resource"] for s in finding["trace"]}
    assert roles["listener"] == "module.edge.module.balancer.aws_lb_listener.tcp"


def test_called_module_is_not_also_read_as_a_root(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link("module.lb.arn") + 'module "lb" {\n  source = "./lb"\n}\n')
    write("lb/main.tf", nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT) +
          'output "arn" {\n  value = aws_lb.nlb.arn\n}\n')
    run = tlspath(tmp_path, "--format", "json")
    assert [f["resource"] for f in run.findings] == ["module.lb.aws_instance.web"]


WORKSPACE_HOST = rest_integration(uri='"https://${terraform.workspace == "prod" ? "api" : "shop"}.example.com/"') + \
    vpc_link() + nlb() + tls_listener() + acm_certificate()
SHOP_WHEN = "verifies host 'shop.example.com', but listener 'aws_lb_listener.tls' presents certificates for api.example.com"


@pytest.mark.parametrize("environment, selected, said", [
    ({}, None, ""),  # no TF_WORKSPACE and no .terraform/environment: terraform runs in "default"
    ({"TF_WORKSPACE": "prod"}, None, None),
    ({}, "prod\n", None),  # what `terraform workspace select prod` leaves
    ({}, "staging", ""),
    ({"TF_WORKSPACE": "prod"}, "staging", None),  # the environment wins, as in terraform
    ({"TF_DATA_DIR": "state"}, None, ""),
    ({"TF_DATA_DIR": "state"}, "prod", ""),  # .terraform is not the data folder then
    ({"TF_DATA_DIR": "/"}, None, ' (when terraform.workspace != "prod")'),  # outside the scanned tree: unknown
])
def test_terraform_workspace_is_the_one_terraform_would_select(tlspath, write, tmp_path, monkeypatch, environment,
                                                                selected, said):
    """``terraform.workspace`` is TF_WORKSPACE, else the data folder's ``environment`` file, else "default" --
    as terraform has it; it stays undecided only where it is not known. ``said`` is the E9503's condition
    (``None``: no finding)."""
    for name in ("TF_WORKSPACE", "TF_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    write("main.tf", WORKSPACE_HOST)
    if selected is not None:
        write(".terraform/environment", selected)
    run = tlspath(tmp_path, "--format", "json")
    if said is None:
        assert (run.findings, run.code) == ([], 0)
        return
    finding, = run.findings
    assert (finding["rule"], finding["line"], run.code) == ("E9503", line_of(tmp_path / "main.tf", "uri "), 1)
    assert finding["message"].endswith(SHOP_WHEN + said)


@pytest.mark.parametrize("settings", ['cloud {\n    organization = "acme"\n  }', 'backend "remote" {}'])
def test_terraform_workspace_of_hcp_terraform_is_undecided(tlspath, write, tmp_path, monkeypatch, settings):
    """In HCP Terraform the run's workspace is chosen there: a local .terraform/environment does not say it."""
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    write("main.tf", f"terraform {{\n  {settings}\n}}\n" + WORKSPACE_HOST)
    write(".terraform/environment", "prod")
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["message"].endswith(SHOP_WHEN + ' (when terraform.workspace != "prod")')


def test_terraform_workspace_of_a_terragrunt_unit_is_tf_workspace(tlspath, write, tmp_path, monkeypatch):
    """Terragrunt runs terraform in its .terragrunt-cache, whose selected workspace is not read: TF_WORKSPACE
    decides, else the workspace stays undecided."""
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    write("modules/app/main.tf", WORKSPACE_HOST)
    write("live/app/terragrunt.hcl", 'terraform {\n  source = "../../modules//app"\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["message"].endswith(SHOP_WHEN + ' (when terraform.workspace != "prod")')
    monkeypatch.setenv("TF_WORKSPACE", "prod")
    run = tlspath(tmp_path, "--format", "json")
    assert (run.findings, run.code) == ([], 0)


def test_module_with_for_each(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link('module.lb["b"].arn') + '''
module "lb" {
  source   = "./lb"
  for_each = { a = "echo fine", b = "openssl req -x509 -subj /CN=b" }
  script   = each.value
}
''')
    write("lb/main.tf", 'variable "script" {}\n' + nlb() + tcp_listener() + instance("var.script") +
          'output "arn" {\n  value = aws_lb.nlb.arn\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["resource"] == 'module.lb["b"].aws_instance.web'


def test_registry_module_is_an_unresolved_hop_naming_its_source(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link("module.nlb.lb_arn") + '''
module "nlb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"
}
''')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and finding["line"] == line_of(main, "target_arns")
    assert "'terraform-aws-modules/alb/aws', which is not in the scanned files" in finding["message"]
    assert "terraform init" in finding["fix"]


def test_registry_module_downloaded_by_terraform_init_is_followed(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link("module.nlb.lb_arn") +
          'module "nlb" {\n  source  = "terraform-aws-modules/alb/aws"\n}\n')
    downloaded = write(".terraform/modules/nlb/main.tf", nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT) +
                       'output "lb_arn" {\n  value = aws_lb.nlb.arn\n}\n')
    write(".terraform/modules/modules.json", json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "nlb", "Source": "registry.terraform.io/terraform-aws-modules/alb/aws", "Dir": ".terraform/modules/nlb"}]}))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["file"]) == ("E9501", str(downloaded))


@pytest.mark.parametrize("call, recorded", [
    ('source = "terraform-aws-modules/alb/aws"\n  version = "~> 9.0"', ("registry.terraform.io/terraform-aws-modules/alb/aws", "9.4.1")),
    ('source = "app.terraform.io/Acme/alb/aws//modules/nlb"', ("app.terraform.io/Acme/alb/aws//modules/nlb", None)),
    ('source = "terraform-aws-modules/alb/aws"\n  version = ">= 9.1, != 9.2.0, < 10"', ("registry.opentofu.org/terraform-aws-modules/alb/aws", "9.4.1")),
    ('source = "github.com/acme/alb//modules/nlb?ref=v3.0.0"', ("git::https://github.com/acme/alb.git?ref=v3.0.0//modules/nlb", None)),
    ('source = "git@github.com:acme/alb.git?ref=v3.0.0"', ("git::ssh://git@github.com/acme/alb.git?ref=v3.0.0", None)),
], ids=["version-satisfied", "registry-host-and-subdirectory", "opentofu-registry", "github-shorthand", "scp-like-git"])
def test_a_download_that_is_what_the_call_names_is_followed(tlspath, write, tmp_path, call, recorded):
    write("main.tf", rest_integration() + vpc_link("module.nlb.lb_arn") + f'module "nlb" {{\n  {call}\n}}\n')
    downloaded = write(".terraform/modules/nlb/main.tf", nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT) +
                       'output "lb_arn" {\n  value = aws_lb.nlb.arn\n}\n')
    source, version = recorded
    write(".terraform/modules/modules.json", json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "nlb", "Source": source, **({"Version": version} if version else {}), "Dir": ".terraform/modules/nlb"}]}))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["file"], run.code) == ("E9501", str(downloaded), 1)


@pytest.mark.parametrize("call, recorded, held", [
    ('source  = "terraform-aws-modules/alb/aws"\n  version = "~> 10.0"', "9.4.1",
     "holds version 9.4.1, while the configuration now asks for version '~> 10.0'"),
    ('source  = "terraform-aws-modules/alb/aws"\n  version = "9.4.2"', "9.4.1",
     "holds version 9.4.1, while the configuration now asks for version '9.4.2'"),
    ('source  = "terraform-aws-modules/alb/aws"\n  version = "~> 9.4.1-beta1"', "9.4.1",
     "holds version 9.4.1, while the configuration now asks for version '~> 9.4.1-beta1'"),
    ('source = "git::https://github.com/acme/alb.git?ref=v3.0.0"', "9.4.1",
     "holds 'registry.terraform.io/terraform-aws-modules/alb/aws', while the configuration now names "
     "'git::https://github.com/acme/alb.git?ref=v3.0.0'"),
    ('source = "acme/alb/aws"', "9.4.1",
     "holds 'registry.terraform.io/terraform-aws-modules/alb/aws', while the configuration now names 'acme/alb/aws'"),
], ids=["major-upgrade", "exact-version", "pre-release-constraint", "moved-to-git", "another-registry-module"])
def test_a_download_from_before_the_call_changed_is_not_judged(tlspath, write, tmp_path, call, recorded, held):
    main = write("main.tf", rest_integration() + vpc_link("module.nlb.lb_arn") + f'module "nlb" {{\n  {call}\n}}\n')
    write(".terraform/modules/nlb/main.tf", nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT) +
          'output "lb_arn" {\n  value = aws_lb.nlb.arn\n}\n')
    write(".terraform/modules/modules.json", json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "nlb", "Source": "registry.terraform.io/terraform-aws-modules/alb/aws", "Version": recorded,
         "Dir": ".terraform/modules/nlb"}]}))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings  # the download's E9501 is about code the configuration no longer names
    assert (finding["rule"], finding["level"], finding["line"], run.code) == (
        "I9513", "info", line_of(main, "target_arns"), 0)
    assert finding["message"].endswith(
        f"cannot resolve the load balancer: module 'nlb' was downloaded before the configuration changed: "
        f".terraform/modules {held}")
    assert finding["fix"] == ("run terraform init (or terraform get) again, so .terraform/modules holds the module the "
                              "configuration names")


def test_local_module_outside_the_scanned_tree_is_not_read(tlspath, write, tmp_path):
    write("outside/main.tf", nlb() + 'output "arn" {\n  value = aws_lb.nlb.arn\n}\n')
    write("scanned/main.tf", rest_integration() + vpc_link("module.lb.arn") + 'module "lb" {\n  source = "../outside"\n}\n')
    finding, = tlspath(tmp_path / "scanned", "--format", "json").findings
    assert finding["rule"] == "I9513" and "outside the scanned tree" in finding["message"]


# ------------------------------------------------------------------------------------------- functions


@pytest.mark.parametrize("expression", [
    'format("https://%s.%s/", "wrong", "example.com")',
    'join("", ["https://", "wrong.example.com", "/"])',
    '"https://${lookup({ a = "right.example.com" }, "b", "wrong.example.com")}/"',
    '"https://${try(local.present.attribute, "wrong.example.com")}/"',
    '"https://${coalesce("", null, "wrong.example.com")}/"',
    '"https://${merge({ host = "right.example.com" }, { host = "wrong.example.com" }).host}/"',
    '"https://${tolist(["wrong.example.com"])[0]}/"',
    '"https://${tostring("wrong.example.com")}/"',
    '"https://${one(toset(["wrong.example.com", "wrong.example.com"]))}/"',
    '"https://${jsondecode(jsonencode({ h = "wrong.example.com" })).h}/"',
    '"https://${replace(upper("WRONG_example_com"), "/_/", ".")}/"',
    '"https://${element(split(",", "wrong.example.com,x"), 0)}/"',
    '"https://${[for h in ["a", "wrong.example.com"] : h if length(h) > 1][0]}/"',
    '"https://${{ for k, v in { wrong = "example.com" } : k => "${k}.${v}" }["wrong"]}/"',
    '"https://%{ if 1 + 1 == 2 }wrong%{ else }right%{ endif }.example.com/"',
    # as terraform computes them (Go's strings.Title, unicode.ToUpper/ToLower per character, list(bool) conversion)
    '"https://${title("hello world-x_y «z»") == "Hello World-X_y «z»" ? "wrong" : "right"}.example.com/"',
    '"https://${upper("straße") == "STRAßE" && lower("İ") == "i" ? "wrong" : "right"}.example.com/"',
    '"https://${alltrue([true, "true", "1"]) && !alltrue([true, null]) && alltrue([]) ? "wrong" : "right"}.example.com/"',
    '"https://${anytrue([null, "false", "1"]) && !anytrue([]) ? "wrong" : "right"}.example.com/"',
    '"https://${abs(-443) == sum([1, "2", 440]) && index(["a", 1, "1"], "1") == 2 ? "wrong" : "right"}.example.com/"',
])
def test_functions_and_expressions_compute_the_verified_host(tlspath, write, tmp_path, expression):
    write("main.tf", 'locals {\n  present = 1\n}\n' + rest_integration(uri=expression) + vpc_link() + nlb() +
          tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9503" and "verifies host 'wrong.example.com'" in finding["message"]


@pytest.mark.parametrize("expression, said", [
    ('alltrue([true, "yes"])', "alltrue(): 'yes' is not a bool"),  # terraform converts the whole list first
    ('anytrue([true, 2])', "anytrue(): 2 is not a bool"),
    ('sum([]) == 0', "sum(): cannot sum an empty list"),
    ('index(["a", "b"], "c") == 0', "index(): 'c' is not in the list"),
])
def test_a_call_terraform_refuses_is_an_unresolved_hop_naming_why(tlspath, write, tmp_path, expression, said):
    write("main.tf", rest_integration(uri=f'"https://${{{expression} ? "wrong" : "right"}}.example.com/"') +
          vpc_link() + nlb() + tls_listener() + acm_certificate())
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["level"], run.code) == ("I9513", "info", 0)
    assert finding["message"].endswith(f"cannot resolve the listener: {said}")  # the URI as a whole is unknown


@pytest.mark.parametrize("expression", [
    'try([local.settings.missing], [])',  # terraform-aws-modules/alb v9: one dynamic block per action kind
    'tolist(try([local.settings.missing], []))',
    'try(tolist([local.settings.missing]), [])',
    '[for x in try([local.settings.missing], []) : x]',
    'try([{ arn = local.settings.missing }], [])',
    'try(local.settings.present == 1 ? [local.settings.missing] : [1], [])',
    'try(flatten([[local.settings.missing]]), [])',
    'try(["${local.settings.missing}"], [])',
])
def test_an_error_anywhere_in_the_argument_of_try_is_caught(tlspath, write, tmp_path, expression):
    """As in terraform, an error inside a tuple or object constructor, a function argument or a chosen branch
    is the whole expression's error, which try() catches: ``try([x.missing], [])`` is ``[]``."""
    write("main.tf", 'locals {\n  settings = { present = 1 }\n}\n' + rest_integration(
        uri=f'"https://${{length({expression}) == 0 ? "wrong.example.com" : "right.example.com"}}/"') +
        vpc_link() + nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9503" and "verifies host 'wrong.example.com'" in finding["message"]


@pytest.mark.parametrize("expression, said", [
    ('try(aws_lb.nlb.dns_name, "wrong.example.com")', "the DNS name of"),  # known after apply: no error
    ('try(var.host, "wrong.example.com")', "variable 'host' has no value"),  # not given: unknown, no error
    ('try([var.host], ["wrong.example.com"])[0]', "variable 'host' has no value"),
    ('try(local.undecided ? "a.example.com" : local.settings.missing, "wrong.example.com")', "var.flag"),
])
def test_a_value_known_later_is_no_error_for_try(tlspath, write, tmp_path, expression, said):
    """try() falls back only on what terraform rejects: a value known after apply, or one the files do not
    give, is the value it is -- not the fallback."""
    write("main.tf", 'variable "host" {}\nvariable "flag" {}\nlocals {\n  settings = {}\n  undecided = var.flag\n}\n'
          + rest_integration(uri=f'"https://${{{expression}}}/"') + vpc_link() + nlb() + tls_listener()
          + acm_certificate())
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings and all("wrong.example.com" not in f["message"] for f in run.findings)
    assert any(said in f["message"] for f in run.findings), run.findings


@pytest.mark.parametrize("expression, said", [
    ("local.undeclared", "no local value 'undeclared' is declared"),
    ("var.undeclared", "no variable 'undeclared' is declared"),
    ("aws_lb.undeclared.dns_name", "no resource aws_lb.undeclared is declared"),
    ("module.undeclared.host", "no module 'undeclared' is called"),
])
def test_try_does_not_catch_a_reference_to_nothing_declared(tlspath, write, tmp_path, expression, said):
    """As terraform's docs say, try() and can() catch errors of evaluation, not references terraform rejects
    before evaluating anything: the configuration does not plan, so the value is unresolved, not the fallback."""
    write("main.tf", rest_integration(uri=f'"https://${{try({expression}, "wrong.example.com")}}/"') + vpc_link() +
          nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and said in finding["message"]


@pytest.mark.parametrize("expression, said", [
    ('format("%999999999999d", 1)', "a format width of 12 digits"),  # never the literal text, judged as a host
    ('format("%s", "a", "b")', "too many arguments"),
    ('format("%y", 1)', "unrecognized format character 'y'"),
    ('format("%[3]s", "a")', "not enough arguments"),
    ('tonumber(" 5")', "' 5' is not a number"),
    ('upper("a", "b")', "upper() takes 1 argument, not 2"),
    ('can()', "can() takes 1 argument, not 0"),
])
def test_a_function_terraform_rejects_or_tlspath_does_not_compute_is_an_unresolved_hop(tlspath, write, tmp_path,
                                                                                       expression, said):
    write("main.tf", rest_integration(uri=f'"https://${{{expression}}}.example.com/"') + vpc_link() + nlb() +
          tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and said in finding["message"], finding["message"]


@pytest.mark.parametrize("expression, host", [
    ('format("%[2]s.%[1]s", "example.com", "api")', "api.example.com"),
    ('format("%s-%05d-%x-%#o-%b.example.com", "a", 42, 255, 8, 5)', "a-00042-ff-010-101.example.com"),
    ('format("%-4s|%4s|%.2s", "ab", "cd", "wxyz")', "ab  |  cd|wx"),
])
def test_format_computes_what_terraform_computes(tlspath, write, tmp_path, expression, host):
    write("main.tf", rest_integration(uri=f'"https://${{{expression}}}/"') + vpc_link() + nlb() + tls_listener() +
          acm_certificate())
    messages = [f["message"] for f in tlspath(tmp_path, "--format", "json").findings]
    assert any(f"'{host}'" in message for message in messages) or (host == "api.example.com" and not messages), messages


def test_unknown_function_is_reported_not_guessed(tlspath, write, tmp_path):
    write("main.tf", rest_integration(uri='"https://${sha256("x")}.example.com/"') + vpc_link() + nlb() +
          tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and "function sha256() is not evaluated" in finding["message"]


def test_data_source_is_an_unresolved_hop(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link("data.aws_lb.shared.arn") +
          'data "aws_lb" "shared" {\n  name = "shared"\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and "data source data.aws_lb.shared is read from the cloud account" in finding["message"]


def test_reference_cycle_is_reported_not_a_crash(tlspath, write, tmp_path):
    write("main.tf", 'locals {\n  a = local.b\n  b = local.a\n}\n' + rest_integration(uri="local.a") + vpc_link() +
          nlb() + tls_listener() + acm_certificate())
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 0 and run.report["errors"] == []
    finding, = run.findings
    assert finding["rule"] == "I9513" and "refers to itself" in finding["message"]
    assert finding["fix"] != "fix the expression" and "cycle" in finding["fix"], finding["fix"]


def test_optional_object_attributes_are_filled_like_terraform_does(tlspath, write, tmp_path):
    """With optional(), a missing attribute is null or its default -- not an error a try() would hide."""
    write("main.tf", '''
variable "route" {
  type = object({
    host = optional(string, "wrong.example.com")
    tls  = optional(bool)
  })
  default = {}
}
''' + rest_integration(uri='"https://${try(coalesce(var.route.tls, true) ? var.route.host : "x", "right")}/"') +
          vpc_link() + nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert "verifies host 'wrong.example.com'" in finding["message"]


# ---------------------------------------------------------------------------------------- files, bodies


def test_file_outside_the_scanned_tree_is_never_read(tlspath, write, tmp_path):
    write("secret/openapi.json", json.dumps({"paths": {"/x": {"get": {"x-amazon-apigateway-integration": {
        "type": "http_proxy", "uri": "http://api.example.com/", "connectionType": "VPC_LINK",
        "connectionId": "abc"}}}}}))
    main = write("scanned/main.tf", '''
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
  body = file("${path.module}/../secret/openapi.json")
}

resource "aws_api_gateway_vpc_link" "link" {
  name        = "link"
  target_arns = ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/x/1"]
}
''')
    finding, = tlspath(tmp_path / "scanned", "--format", "json").findings
    assert finding["rule"] == "I9513" and finding["line"] == line_of(main, "body = file(")
    assert "outside the scanned tree, which tlspath never reads" in finding["message"]


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../../../etc/hostname"])
def test_file_with_an_escaping_path_is_refused(tlspath, write, tmp_path, path):
    write("main.tf", rest_integration(uri=f'"https://${{trimspace(file("{path}"))}}/"') + vpc_link() + nlb() +
          tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and "outside the scanned tree" in finding["message"]
    assert "root:" not in json.dumps(finding)


def test_missing_file_is_reported_and_try_can_catch_it(tlspath, write, tmp_path):
    write("main.tf", rest_integration(uri='"https://${try(file("host.txt"), "wrong.example.com")}/"') + vpc_link() +
          nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert "verifies host 'wrong.example.com'" in finding["message"]


def test_openapi_body_from_templatefile_feeds_the_openapi_reader(tlspath, write, tmp_path):
    spec = write("openapi.yaml.tftpl", '''
openapi: "3.0.1"
paths:
  /orders:
    get:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: "https://${host}/orders"
        connectionType: VPC_LINK
        connectionId: "${link_id}"
        tlsConfig:
          insecureSkipVerification: true
''')
    write("main.tf", '''
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  body = templatefile("${path.module}/openapi.yaml.tftpl", {
    host    = "api.example.com"
    link_id = aws_api_gateway_vpc_link.link.id
  })
}
''' + vpc_link() + nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["file"], finding["line"]) == ("W9510", str(spec), line_of(spec, "insecureSkip"))
    assert finding["resource"] == "aws_api_gateway_rest_api.api GET /orders"


def test_openapi_body_in_a_heredoc(tlspath, write, tmp_path):
    main = write("main.tf", '''
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  body = <<-EOT
    {
      "paths": {
        "/orders": {
          "get": {
            "x-amazon-apigateway-integration": {
              "type": "http_proxy",
              "uri": "http://api.example.com:443/orders",
              "connectionType": "VPC_LINK",
              "connectionId": "${aws_api_gateway_vpc_link.link.id}"
            }
          }
        }
      }
    }
  EOT
}
''' + vpc_link() + nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["line"]) == ("E9506", line_of(main, '"uri": "http://'))


def test_dynamic_block_is_expanded(tlspath, write, tmp_path):
    main = write("main.tf", 'variable "skip" {\n  default = true\n}\n' + rest_integration(extra='''
  dynamic "tls_config" {
    for_each = var.skip ? [1] : []
    content {
      insecure_skip_verification = true
    }
  }''') + vpc_link() + nlb() + tls_listener() + acm_certificate())
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["line"]) == ("W9510", line_of(main, "insecure_skip_verification"))


# ------------------------------------------------------------------------------------------- remote state

NETWORK_ROOT = 'terraform {\n  backend "BACKEND" {\n    SETTINGS\n  }\n}\n' + vpc_link() + nlb() + tcp_listener() + \
    instance(SELF_SIGNING_SCRIPT) + 'output "vpc_link_id" {\n  value = aws_api_gateway_vpc_link.link.id\n}\n'
API_ROOT = 'data "terraform_remote_state" "network" {\n  backend = "BACKEND"\n  config = {\n    SETTINGS\n  }\n}\n' + \
    rest_integration(link="data.terraform_remote_state.network.outputs.vpc_link_id")


def remote_state_roots(write, backend: str, written: str, read: str):
    network = write("network/main.tf", NETWORK_ROOT.replace("BACKEND", backend).replace("SETTINGS", written))
    api = write("api/main.tf", API_ROOT.replace("BACKEND", backend).replace("SETTINGS", read))
    return network, api


@pytest.mark.parametrize("backend, settings", [
    ("s3", 'bucket = "acme-tfstate"\n    key    = "network/terraform.tfstate"\n    region = "eu-west-1"'),
    ("local", 'path = "../state/network.tfstate"'),
])
def test_remote_state_of_a_scanned_root_is_followed_into_it(tlspath, write, tmp_path, backend, settings):
    """terraform_remote_state is Terraform's Fn::ImportValue: the root whose backend writes the state it reads
    gives the outputs (R6-4) -- here the VPC link of the network root, whose TCP listener passes TLS through."""
    network, api = remote_state_roots(write, backend, settings, settings)
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (run.code, finding["rule"], finding["file"]) == (1, "E9501", str(network))
    assert [(hop["role"], hop["file"]) for hop in finding["trace"][:2]] == [("integration", str(api)),
                                                                            ("vpc_link", str(network))]


def test_remote_state_no_scanned_root_writes_is_named(tlspath, write, tmp_path):
    remote_state_roots(write, "s3", 'bucket = "acme-tfstate"\n    key    = "network/terraform.tfstate"',
                       'bucket = "acme-tfstate"\n    key    = "netwrk/terraform.tfstate"')
    run = tlspath(tmp_path, "--format", "json")
    gap, = run.findings
    assert (run.code, gap["rule"], gap["level"]) == (0, "I9513", "info")
    assert ("data source data.terraform_remote_state.network reads the outputs of the Terraform state "
            "'s3://acme-tfstate/netwrk/terraform.tfstate' (s3 backend), which no scanned root module's backend writes"
            ) in gap["message"]
    assert gap["fix"] == "scan the root module whose backend writes it together with this one"


def test_a_remote_state_without_the_settings_that_locate_it_is_named_by_every_setting(tlspath, write, tmp_path):
    """An s3 state without its key cannot be said as s3://bucket/key: the finding lists what is written, and
    the workspace it reads when that is not default."""
    remote_state_roots(write, "s3", 'bucket = "acme-tfstate"\n    key    = "network/terraform.tfstate"',
                       'region = "eu-west-1"\n    bucket = "acme-tfstate"')
    api = tmp_path / "api" / "main.tf"
    api.write_text(edit(api.read_text(), {'  backend = "s3"\n': '  backend   = "s3"\n  workspace = "staging"\n'}))
    gap, = tlspath(tmp_path, "--format", "json").findings
    assert ("reads the outputs of the Terraform state 'bucket = 'acme-tfstate', region = 'eu-west-1'' (s3 backend, "
            "workspace staging), which no scanned root module's backend writes") in gap["message"]


def test_roots_reading_each_others_remote_state_are_a_cycle_not_a_hang(tlspath, write, tmp_path):
    settings = 'bucket = "acme-tfstate"\n    key    = "KEY"'
    remote_state_roots(write, "s3", settings.replace("KEY", "network"), settings.replace("KEY", "network"))
    write("api/backend.tf", 'terraform {\n  backend "s3" {\n    bucket = "acme-tfstate"\n    key    = "api"\n  }\n}\n')
    write("network/back.tf", 'data "terraform_remote_state" "api" {\n  backend = "s3"\n  config = {\n'
          '    bucket = "acme-tfstate"\n    key    = "api"\n  }\n}\n'
          'output "api" {\n  value = data.terraform_remote_state.api.outputs.anything\n}\n')
    run = tlspath(tmp_path, "--format", "json")
    assert run.report["errors"] == [] and [f["rule"] for f in run.findings] == ["E9501"]


@pytest.mark.parametrize("prod_first", [False, True], ids=["default reader first", "prod reader first"])
def test_readers_of_one_root_in_two_workspaces_each_get_their_own_answer(tlspath, write, tmp_path, prod_first):
    """The root is judged once, in the workspace selected there; each reader's workspace is compared with it, in
    whatever order the readers come (the first one's answer once stood for every reader, R7-2)."""
    settings = 'bucket = "acme-tfstate"\n    key    = "network/terraform.tfstate"'
    network, _ = remote_state_roots(write, "s3", settings, settings)
    prod = API_ROOT.replace("BACKEND", "s3").replace("SETTINGS", settings).replace('"network"', '"prod"').replace(
        'backend = "s3"', 'backend   = "s3"\n  workspace = "prod"').replace(".network.", ".prod.").replace(
        'resource "aws_api_gateway_integration" "', 'resource "aws_api_gateway_integration" "prod_')
    api = write("api/main.tf", (prod + "\n" if prod_first else "") + (tmp_path / "api/main.tf").read_text() +
                ("" if prod_first else "\n" + prod))
    run = tlspath(tmp_path, "--format", "json")
    assert sorted((f["rule"], f["file"]) for f in run.findings) == [("E9501", str(network)), ("I9513", str(api))]
    gap, = (f for f in run.findings if f["rule"] == "I9513")
    assert "data.terraform_remote_state.prod" in gap["message"] and "in workspace prod" in gap["message"]
