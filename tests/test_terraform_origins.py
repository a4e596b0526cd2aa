"""A finding points at the line the user must edit: where the bad value was set -- terraform.tfvars, a
--var-file, a caller's module argument, a locals entry, a variable's default -- while its path still shows the
resource. A value given outside any file (TF_VAR_, --var) points at the variable and says where it came from.

Every case here is one TLS-1.3-only policy (E9508, reported at the listener's ssl_policy) set in a different
place."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import SAMPLES, column_of, line_of
from terraform_snippets import acm_certificate, listener, nlb, rest_integration, vpc_link

TLS13 = "ELBSecurityPolicy-TLS13-1-3-2021-06"


def policy_path(policy: str = "var.ssl_policy", declaration: str = 'variable "ssl_policy" {}\n') -> str:
    """A clean path whose TLS listener's ssl_policy is ``policy``."""
    tls = listener("TLS", "aws_acm_certificate_validation.cert.certificate_arn", group_port="8443").replace(
        'protocol          = "TLS"', f'protocol          = "TLS"\n  ssl_policy        = {policy}')
    return declaration + rest_integration() + vpc_link() + nlb() + tls + acm_certificate()


def e9508(run) -> dict:
    finding, = run.findings
    assert finding["rule"] == "E9508", finding
    return finding


def listener_hop(finding) -> dict:
    return next(step for step in finding["trace"] if step["role"] == "listener")


def test_value_written_in_the_resource_points_at_its_argument(tlspath, write, tmp_path):
    main = write("main.tf", policy_path(f'"{TLS13}"', declaration=""))
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"], finding["column"]) == (str(main), line_of(main, "ssl_policy "),
                                                                     column_of(main, "ssl_policy "))


@pytest.mark.parametrize("name", ["terraform.tfvars", "prod.auto.tfvars"])
def test_value_from_a_tfvars_file_points_at_its_line_and_the_path_at_the_listener(tlspath, write, tmp_path, name):
    main = write("main.tf", policy_path())
    values = write(name, f'# policies\nssl_policy = "{TLS13}"\n')
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"], finding["column"]) == (str(values), 2, column_of(values, f'"{TLS13}"'))
    assert (listener_hop(finding)["file"], listener_hop(finding)["line"]) == \
        (str(main), line_of(main, 'resource "aws_lb_listener"'))


def test_the_fix_names_the_variable_and_where_its_value_is_set_not_the_resources_argument(tlspath, write, tmp_path):
    write("main.tf", policy_path("var.tls_policy", 'variable "tls_policy" {}\n'))
    values = write("terraform.tfvars", f'tls_policy = "{TLS13}"\n')
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"], finding["level"]) == (str(values), 1, "error")
    assert finding["message"].endswith(f"(the value comes from variable 'tls_policy', set in {values}:1)")
    assert finding["fix"] == (f"Change the value of variable 'tls_policy', set in {values}:1, to "
                              '"ELBSecurityPolicy-TLS13-1-2-2021-06" (or another policy that accepts TLS 1.2)')


def test_value_from_a_json_tfvars_file(tlspath, write, tmp_path):
    write("main.tf", policy_path())
    values = write("terraform.tfvars.json", json.dumps({"region": "eu-west-1", "ssl_policy": TLS13}, indent=2))
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"]) == (str(values), line_of(values, "ssl_policy"))


def test_value_from_a_var_file(tlspath, write, tmp_path):
    write("main.tf", policy_path())
    values = write("env/prod.tfvars", f'\nssl_policy = "{TLS13}"\n'.lstrip())
    finding = e9508(tlspath(tmp_path / "main.tf", "--format", "json", "--var-file", values))
    assert (finding["file"], finding["line"], finding["column"]) == (str(values), 1, column_of(values, f'"{TLS13}"'))


def test_value_from_the_environment_points_at_the_variable_and_says_so(tlspath, write, tmp_path, monkeypatch):
    main = write("main.tf", policy_path())
    monkeypatch.setenv("TF_VAR_ssl_policy", TLS13)
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"]) == (str(main), line_of(main, 'variable "ssl_policy"'))
    assert finding["column"] is None  # the value is in no file: no column of the declaration is its place
    assert finding["message"].endswith("(the value comes from the environment variable TF_VAR_ssl_policy)")
    assert finding["fix"].startswith("Change the value of the environment variable TF_VAR_ssl_policy, to "
                                     '"ELBSecurityPolicy-TLS13-1-2-2021-06"')


def test_value_from_the_command_line_says_so(tlspath, write, tmp_path):
    main = write("main.tf", policy_path())
    finding = e9508(tlspath(tmp_path, "--format", "json", "--var", f"ssl_policy={TLS13}"))
    assert (finding["file"], finding["line"]) == (str(main), line_of(main, 'variable "ssl_policy"'))
    assert finding["message"].endswith("(the value comes from --var ssl_policy=...)")


def test_value_of_a_complex_environment_variable(tlspath, write, tmp_path, monkeypatch):
    main = write("main.tf", policy_path("var.tls.policy", 'variable "tls" {\n  type = object({ policy = string })\n}\n'))
    monkeypatch.setenv("TF_VAR_tls", f'{{ policy = "{TLS13}" }}')
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"], finding["column"]) == (str(main), line_of(main, 'variable "tls"'), None)
    assert "TF_VAR_tls" in finding["message"]


def test_value_from_a_default(tlspath, write, tmp_path):
    variables = write("variables.tf", f'variable "ssl_policy" {{\n  type    = string\n  default = "{TLS13}"\n}}\n')
    write("main.tf", policy_path(declaration=""))
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"]) == (str(variables), line_of(variables, "default"))


def test_value_from_a_locals_entry(tlspath, write, tmp_path):
    locals_file = write("locals.tf", f'locals {{\n  name   = "api"\n  policy = "{TLS13}"\n}}\n')
    write("main.tf", policy_path("local.policy", declaration=""))
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"]) == (str(locals_file), 3)


def test_value_from_a_caller_module_argument(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link("module.edge.nlb_arn") + f'''
module "edge" {{
  source     = "./modules/edge"
  ssl_policy = "{TLS13}"
}}
''')
    tls = listener("TLS", "aws_acm_certificate_validation.cert.certificate_arn", group_port="8443").replace(
        'protocol          = "TLS"', 'protocol          = "TLS"\n  ssl_policy        = var.ssl_policy')
    module = write("modules/edge/main.tf", 'variable "ssl_policy" {}\n' + nlb() + tls + acm_certificate() +
                   'output "nlb_arn" {\n  value = aws_lb.nlb.arn\n}\n')
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"]) == (str(main), line_of(main, "ssl_policy ="))
    assert listener_hop(finding)["file"] == str(module)


def test_value_from_a_tfvars_map_through_for_each(tlspath, write, tmp_path):
    main = write("main.tf", 'variable "policies" {}\n' + policy_path("each.value", declaration="").replace(
        'resource "aws_lb_listener" "tls" {', 'resource "aws_lb_listener" "tls" {\n  for_each = var.policies'))
    values = write("terraform.tfvars", f'policies = {{\n  main = "{TLS13}"\n}}\n')
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"]) == (str(values), 2)
    assert listener_hop(finding)["resource"] == 'aws_lb_listener.tls["main"]' and main.exists()


def test_value_computed_in_the_resource_points_at_its_argument(tlspath, write, tmp_path):
    """A value made by a function is made where the function is called."""
    main = write("main.tf", policy_path('upper(var.ssl_policy)'))
    write("terraform.tfvars", f'ssl_policy = "{TLS13.lower()}"\n')
    finding = e9508(tlspath(tmp_path, "--format", "json"))
    assert (finding["file"], finding["line"], finding["column"]) == (str(main), line_of(main, "ssl_policy "),
                                                                     column_of(main, "ssl_policy "))


def test_tf_var_environment_gives_the_findings_of_terraform_tfvars(tlspath, tmp_path, monkeypatch):
    """The e9507 sample's terraform.tfvars, given by a pipeline as TF_VAR_ variables instead."""
    sample = SAMPLES / "terraform" / "bad" / "e9507-module-for-each-tfvars"
    copy = tmp_path / "sample"
    shutil.copytree(sample, copy)
    (copy / "terraform.tfvars").unlink()
    for name, value in {"environment": "prod", "vpc_id": "vpc-0a1b2c3d4e5f60718",
                        "subnet_ids": '["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]',
                        "certificate_arn": "arn:aws:acm:eu-west-1:111122223333:certificate/"
                                           "5f0e5c3a-2b8e-4f6a-9d1c-7e2a4b6c8d90",
                        "services": "{ orders = {}, billing = { port = 8443 } }"}.items():
        monkeypatch.setenv(f"TF_VAR_{name}", value)
    from_files, from_environment = tlspath(sample, "--format", "json"), tlspath(copy, "--format", "json")

    def said(run) -> list[tuple]:
        return sorted((f["rule"], f["message"].split(" (the value comes from")[0], f["resource"]) for f in run.findings)

    assert said(from_environment) == said(from_files) and len(from_files.findings) == 2
    certificate = next(f for f in from_environment.findings if f["rule"] == "I9513")
    assert certificate["file"] == str(copy / "variables.tf") and "TF_VAR_certificate_arn" in certificate["message"]
