"""How Terraform loads a module's files, as users see it: override files merged into the blocks they change
(after the other files, in name order), and declarations made twice reported the way terraform refuses them."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, line_of
from terraform_snippets import (
    SELF_SIGNING_SCRIPT,
    acm_certificate,
    clean_rest_path,
    instance,
    nlb,
    rest_integration,
    tcp_listener,
    tls_listener,
    vpc_link,
)

BAD = SAMPLES / "terraform" / "bad"
TLS_PATH_WITH_SELF_SIGNED_TARGETS = clean_rest_path() + instance(SELF_SIGNING_SCRIPT)  # fine behind TLS


def said(run) -> list[tuple]:
    return sorted((f["rule"], f["message"], f["resource"]) for f in run.findings)


def test_override_sample_gives_the_findings_of_the_configuration_it_merges_into(tlspath):
    """The sample's TLS listener, turned into TCP by pass_through_override.tf, is the headline sample."""
    merged = tlspath(BAD / "e9501-override-turns-tls-into-tcp", "--format", "json")
    plain = tlspath(BAD / "e9501-tcp-to-self-signed-user-data" / "main.tf", "--format", "json")
    assert said(merged) == said(plain) and [f["rule"] for f in merged.findings] == ["E9501", "E9501"]
    assert merged.report["errors"] == []


def test_override_argument_replaces_the_original(tlspath, write, tmp_path):
    write("main.tf", TLS_PATH_WITH_SELF_SIGNED_TARGETS)
    assert tlspath(tmp_path, "--format", "json").findings == []
    write("override.tf", 'resource "aws_lb_listener" "tls" {\n  protocol        = "TCP"\n  certificate_arn = null\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9501" and finding["resource"] == "aws_instance.web"


def test_finding_about_an_overridden_argument_points_into_the_override_file(tlspath, write, tmp_path):
    main = write("main.tf", clean_rest_path())
    override = write("policy_override.tf", 'resource "aws_lb_listener" "tls" {\n'
                                           '  ssl_policy = "ELBSecurityPolicy-TLS13-1-3-2021-06"\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["file"], finding["line"]) == ("E9508", str(override), 2)
    listener = next(s for s in finding["trace"] if s["role"] == "listener")
    assert (listener["file"], listener["line"]) == (str(main), line_of(main, 'resource "aws_lb_listener"'))


def test_nested_block_of_the_override_replaces_every_block_of_its_type(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_lb_target_group" "other" {
  port     = 443
  protocol = "TCP"
}
''' + instance(SELF_SIGNING_SCRIPT, group="other"))
    # the self-signed instance is in another group: the listener's own group has no target to judge
    assert [f["rule"] for f in tlspath(tmp_path, "--format", "json").findings] == ["W9502"]
    write("listener_override.tf", '''
resource "aws_lb_listener" "tcp" {
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.other.arn
  }
}
''')
    assert [f["rule"] for f in tlspath(tmp_path, "--format", "json").findings] == ["E9501"]


def test_count_in_an_override_replaces_for_each(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_instance" "web" {
  for_each  = toset(["a", "b"])
  ami       = "ami-0c1b2d3e4f5a6b7c8"
  user_data = "openssl req -x509 -subj /CN=web"
}

resource "aws_lb_target_group_attachment" "web" {
  for_each         = aws_instance.web
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = each.value.id
}
''')
    write("single_override.tf", 'resource "aws_instance" "web" {\n  count = 1\n}\n'
                                'resource "aws_lb_target_group_attachment" "web" {\n  count     = 1\n'
                                '  target_id = aws_instance.web[0].id\n}\n')
    assert [f["resource"] for f in tlspath(tmp_path, "--format", "json").findings] == ["aws_instance.web[0]"]


def test_local_values_are_overridden_one_by_one(tlspath, write, tmp_path):
    write("main.tf", 'locals {\n  host = "api.example.com"\n  port = 443\n}\n' +
          rest_integration(uri='"https://${local.host}:${local.port}/"') + vpc_link() + nlb() + tls_listener() +
          acm_certificate())
    write("override.tf", 'locals {\n  port = 8443\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9507" and "port 8443" in finding["message"]  # and no E9503: the host is unchanged


def test_variable_default_from_an_override(tlspath, write, tmp_path):
    write("main.tf", 'variable "port" {\n  type    = number\n  default = 443\n}\n' +
          rest_integration(uri='"https://api.example.com:${var.port}/"') + vpc_link() + nlb() + tls_listener() +
          acm_certificate())
    write("dev_override.tf", 'variable "port" {\n  default = "9443"\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9507" and "port 9443" in finding["message"]


def test_module_source_from_an_override(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link("module.lb.arn") + 'module "lb" {\n  source = "./good"\n}\n')
    for name, listener in (("good", tls_listener() + acm_certificate()), ("bad", tcp_listener())):
        write(f"{name}/main.tf", nlb() + listener + instance(SELF_SIGNING_SCRIPT) +
              'output "arn" {\n  value = aws_lb.nlb.arn\n}\n')
    write("override.tf", 'module "lb" {\n  source = "./bad"\n}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["resource"] == "module.lb.aws_instance.web"


def test_json_override_of_a_native_file_and_name_order(tlspath, write, tmp_path):
    """Overrides apply in lexical order of their names, whatever their syntax: the last one wins."""
    write("main.tf", TLS_PATH_WITH_SELF_SIGNED_TARGETS)
    write("a_override.tf.json", json.dumps({"resource": {"aws_lb_listener": {"tls": {"protocol": "TCP"}}}}))
    assert [f["rule"] for f in tlspath(tmp_path, "--format", "json").findings] == ["E9501"]
    write("b_override.tf", 'resource "aws_lb_listener" "tls" {\n  protocol = "TLS"\n}\n')
    assert tlspath(tmp_path, "--format", "json").findings == []


def test_override_of_nothing_is_an_input_error(tlspath, write, tmp_path):
    write("main.tf", clean_rest_path())
    override = write("override.tf", 'resource "aws_lb_listener" "typo" {\n  protocol = "TCP"\n}\n')
    run = tlspath(tmp_path, "--format", "json")
    error, = run.report["errors"]
    assert (error["file"], error["line"]) == (str(override), 1) and run.code == 2
    assert 'resource "aws_lb_listener" "typo" is in an override file' in error["message"]
    assert "nothing to override" in error["message"]


@pytest.mark.parametrize("first, second, named", [
    ('variable "port" {}', 'variable "port" {\n  default = 1\n}', 'variable "port"'),
    ('locals {\n  a = 1\n}', 'locals {\n  a = 2\n}', 'local value "a"'),
    ('output "arn" {\n  value = 1\n}', 'output "arn" {\n  value = 2\n}', 'output "arn"'),
    ('module "m" {\n  source = "./m"\n}', 'module "m" {\n  source = "./m"\n}', 'module "m"'),
    ('resource "aws_lb" "nlb" {}', 'resource "aws_lb" "nlb" {}', 'resource "aws_lb" "nlb"'),
    ('data "aws_lb" "x" {}', 'data "aws_lb" "x" {}', 'data "aws_lb" "x"'),
    ('provider "aws" {}', 'provider "aws" {\n  region = "eu-west-1"\n}', 'provider "aws" (without alias)'),
])
def test_declaration_made_twice_is_an_input_error_naming_both_places(tlspath, write, tmp_path, first, second, named):
    """Where terraform says "Duplicate ...": at the second declaration, naming the first."""
    write("m/main.tf", "")
    one = write("one.tf", first + "\n")
    two = write("two.tf", "# the same again\n" + second + "\n")
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2
    error, = run.report["errors"]
    second_line = 3 if named.startswith("local") else 2  # a local value is declared by its own line
    first_line = 2 if named.startswith("local") else 1
    assert (error["file"], error["line"]) == (str(two), second_line)
    assert error["message"].startswith(f"{named} is declared twice: first at {one}:{first_line}")


def test_duplicate_across_syntaxes_keeps_the_first_and_checks_the_rest(tlspath, write, tmp_path):
    main = write("main.tf", clean_rest_path())
    write("more.tf.json", json.dumps({"resource": {"aws_lb": {"nlb": {"load_balancer_type": "application"}}}},
                                     indent=2))
    run = tlspath(tmp_path, "--format", "json")
    error, = run.report["errors"]
    first = line_of(main, 'resource "aws_lb"')
    assert error["file"].endswith("more.tf.json") and f"first at {main}:{first}" in error["message"]
    assert run.findings == [] and run.report["summary"]["paths"] == 1


def test_provider_configurations_with_different_aliases_are_not_duplicates(tlspath, write, tmp_path):
    write("main.tf", 'provider "aws" {}\nprovider "aws" {\n  alias = "west"\n}\n' + clean_rest_path())
    run = tlspath(tmp_path, "--format", "json")
    assert run.report["errors"] == [] and run.findings == []


# ------------------------------------------------------------------------------------------------- OpenTofu


def test_an_opentofu_module_is_read_like_terraform(tlspath, tmp_path):
    """OpenTofu (1.8 on) reads ``.tofu`` files as ``.tf`` files: the sample with main.tf renamed main.tofu gives
    the same findings at the same lines."""
    sample = BAD / "e9501-tls-self-signed-cert-on-tls-listener"
    (tmp_path / "main.tofu").write_text((sample / "main.tf").read_text())
    terraform = tlspath(sample, "--format", "json")
    tofu = tlspath(tmp_path, "--format", "json")
    assert [(f["rule"], f["level"], f["line"]) for f in tofu.findings] == \
           [(f["rule"], f["level"], f["line"]) for f in terraform.findings] == [("E9501", "error",
                                                                                 line_of(sample / "main.tf", "cert_pem"))]
    assert {f["file"] for f in tofu.findings} == {str(tmp_path / "main.tofu")} and tofu.code == 1


def _listener_json(port: int) -> str:
    return json.dumps({"resource": {"aws_lb_listener": {"tcp": {
        "load_balancer_arn": "${aws_lb.nlb.arn}", "port": port, "protocol": "TCP",
        "default_action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.tg.arn}"}]}}}})


_WITHOUT_LISTENER = (rest_integration() + vpc_link() + nlb() + instance(SELF_SIGNING_SCRIPT)
                     + 'resource "aws_lb_target_group" "tg" {\n  port     = 443\n  protocol = "TCP"\n}\n')


def test_a_tofu_file_replaces_the_tf_file_of_its_name(tlspath, write, tmp_path):
    """OpenTofu ignores x.tf beside x.tofu and x.tf.json beside x.tofu.json -- not x.tf beside x.tofu.json."""
    write("main.tofu", _WITHOUT_LISTENER)
    write("main.tf", 'resource "aws_lb" "nlb" {\n  name = \n}\n')  # ignored: were it read, a syntax error
    write("listener.tf.json", _listener_json(8443))  # ignored: were it read, E9507 (nothing listens on 443)
    write("listener.tofu.json", _listener_json(443))
    write("extra.tf", 'locals {\n  kept = true\n}\n')
    write("extra.tofu.json", json.dumps({"locals": {"other": True}}))
    run = tlspath(tmp_path, "--format", "json")
    assert run.report["errors"] == [] and run.report["summary"]["files"] == 4
    assert [(f["rule"], f["level"]) for f in run.findings] == [("E9501", "error")] and run.code == 1


def test_an_opentofu_override_file_is_merged_last(tlspath, write, tmp_path):
    write("main.tofu", TLS_PATH_WITH_SELF_SIGNED_TARGETS)
    assert tlspath(tmp_path, "--format", "json").findings == []
    write("pass_through_override.tofu", 'resource "aws_lb_listener" "tls" {\n  protocol = "TCP"\n}\n')
    run = tlspath(tmp_path, "--format", "json")
    assert [(f["rule"], f["level"]) for f in run.findings] == [("E9501", "error")] and run.code == 1


def test_a_tofu_file_named_on_the_command_line_stands_for_its_module(tlspath, write, tmp_path):
    write("listener.tofu.json", _listener_json(443))
    main = write("main.tofu", _WITHOUT_LISTENER)
    run = tlspath(main, "--format", "json")
    assert [f["rule"] for f in run.findings] == ["E9501"] and run.code == 1
