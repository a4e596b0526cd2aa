"""Sensitive values are judged and never shown: a Terraform variable declared ``sensitive = true`` (and every value
computed from it, as Terraform marks them) appears as ``(sensitive value)`` in every report format, while the
findings it causes are still reported."""

from __future__ import annotations

import json

import pytest

from terraform_snippets import acm_certificate, nlb, rest_integration, tls_listener, vpc_link

SECRET = "corp-internal-s3cr3t"
HIDDEN = "(sensitive value)"


def sensitive(name: str, value: str, kind: str = "string") -> str:
    return f'variable "{name}" {{\n  type      = {kind}\n  sensitive = true\n  default   = {value}\n}}\n'


def path_with(uri: str, domain: str = "api.example.com") -> str:
    return rest_integration(uri=uri) + vpc_link() + nlb() + tls_listener() + acm_certificate(domain)


@pytest.mark.parametrize("format_", ["text", "json", "sarif", "github", "junit", "gitlab", "mermaid"])
def test_a_mismatch_built_from_a_sensitive_variable_is_reported_without_its_value(tlspath, write, tmp_path, format_):
    write("main.tf", sensitive("domain", f'"{SECRET}.example"') + 'locals {\n  host = "payments.${var.domain}"\n}\n' +
          path_with('"https://${local.host}/charges"', domain="legacy.${var.domain}"))
    run = tlspath(tmp_path, "--format", format_)
    assert run.code == 1 and "E9503" in run.out
    assert SECRET not in run.out + run.err
    if format_ == "json":
        finding, = run.findings
        assert finding["message"] == (f"aws_api_gateway_integration.get (GET /) verifies host '{HIDDEN}', but listener "
                                      f"'aws_lb_listener.tls' presents certificates for {HIDDEN}")


@pytest.mark.parametrize("expression", [
    '"https://${var.domain}/"',
    '"https://api.${var.domain}/"',
    '"https://${upper(var.domain)}/"',
    '"https://${replace(var.domain, "s3cr3t", "public")}/"',
    '"https://${format("%s.example", var.domain)}/"',
    '"https://${base64decode(base64encode(var.domain))}/"',
    '"https://${split(".", var.domain)[0]}/"',
    '"https://${[for part in split(".", var.domain) : part][0]}/"',
    '"https://${jsondecode(jsonencode({ host = var.domain })).host}/"',
    '"https://${local.wrapped.host}/"',
    '"https://${lookup(local.wrapped, "host", "x")}/"',
    '"https://${var.domain == "x" ? "yes.example" : "no.example"}/"',
    '"https://${sensitive("public.example")}/"',
])
def test_every_value_computed_from_a_sensitive_one_is_hidden(tlspath, write, tmp_path, expression):
    write("main.tf", sensitive("domain", f'"{SECRET}.example"') +
          'locals {\n  wrapped = { host = var.domain, port = 443 }\n}\n' + path_with(expression))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9503" and f"verifies host '{HIDDEN}'" in finding["message"]
    assert "public" not in finding["message"] and "yes.example" not in finding["message"]


def test_values_next_to_a_sensitive_one_are_still_shown(tlspath, write, tmp_path):
    """An object holding a sensitive value is not sensitive as a whole: its other attributes are shown."""
    write("main.tf", sensitive("domain", f'"{SECRET}.example"') +
          'locals {\n  wrapped = { host = var.domain, public = "wrong.example.com" }\n}\n' +
          path_with('"https://${local.wrapped.public}/"'))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert "verifies host 'wrong.example.com'" in finding["message"]


def test_what_is_computed_from_a_nonsensitive_value_is_shown(tlspath, write, tmp_path):
    """nonsensitive() lifts the mark (the text itself stays hidden wherever it is shown: it is sensitive)."""
    write("main.tf", sensitive("domain", f'"{SECRET}.example"') +
          path_with('"https://${nonsensitive(var.domain) == "x" ? "yes.example" : "wrong.example.com"}/"'))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert "verifies host 'wrong.example.com'" in finding["message"]


def test_a_sensitive_value_given_to_a_module_stays_sensitive_in_it(tlspath, write, tmp_path):
    write("main.tf", sensitive("domain", f'"{SECRET}.example"') +
          'module "api" {\n  source = "./api"\n  host   = "api.${var.domain}"\n}\n')
    write("api/main.tf", 'variable "host" {}\n' + path_with('"https://${var.host}/"'))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9503" and f"verifies host '{HIDDEN}'" in finding["message"]


def test_a_sensitive_value_from_a_tfvars_file_or_the_command_line_is_hidden(tlspath, write, tmp_path, monkeypatch):
    write("main.tf", 'variable "domain" {\n  sensitive = true\n}\n' + path_with('"https://api.${var.domain}/"'))
    write("terraform.tfvars", f'domain = "{SECRET}.example"\n')
    assert SECRET not in tlspath(tmp_path, "--format", "json").out
    assert SECRET not in tlspath(tmp_path, "--format", "json", "--var", f"domain=other-{SECRET}").out
    monkeypatch.setenv("TF_VAR_domain", f"env-{SECRET}")
    (tmp_path / "terraform.tfvars").unlink()
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings and SECRET not in run.out


def test_a_sensitive_port_is_judged_and_hidden_where_it_stands_whole(tlspath, write, tmp_path):
    """The port is the E9507's subject; the listener's own port 443 and ports that merely contain the digits
    stay readable."""
    write("main.tf", sensitive("port", "1443", "number") + path_with('"https://api.example.com:${var.port}/"'))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "E9507"
    assert "1443" not in finding["message"] + finding["fix"] and HIDDEN in finding["message"]
    assert "443" in finding["message"] + finding["fix"]


def test_a_gap_that_quotes_a_sensitive_value_hides_it(tlspath, write, tmp_path):
    write("main.tf", sensitive("port", f'"{SECRET}"') + path_with('"https://api.example.com:${var.port}/"'))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert finding["rule"] == "I9513" and HIDDEN in finding["message"] and SECRET not in run.out


def test_a_type_error_in_a_sensitive_value_does_not_quote_it(tlspath, write, tmp_path):
    write("main.tf", 'variable "port" {\n  type      = number\n  sensitive = true\n}\n' +
          path_with('"https://api.example.com:${var.port}/"'))
    write("terraform.tfvars", f'port = "{SECRET}"\n')
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings and SECRET not in run.out + run.err


def test_sarif_properties_and_fingerprint_inputs_hold_no_sensitive_text(tlspath, write, tmp_path):
    write("main.tf", sensitive("arn", f'"arn:aws:acm:eu-west-1:123456789012:certificate/{SECRET}"') +
          rest_integration(uri='"https://api.example.com/"') + vpc_link() + nlb() + tls_listener("var.arn"))
    run = tlspath(tmp_path, "--format", "sarif")
    document = json.loads(run.out)
    assert document["runs"][0]["results"] and SECRET not in run.out


# ------------------------------------------------------------------------------------------ CloudFormation


def test_a_noecho_parameter_is_judged_and_never_shown(tlspath, write, tmp_path):
    """CloudFormation masks a NoEcho parameter's value; a URI built from one is hidden with it."""
    from test_cloudformation_intrinsics import rest_path

    path = write("template.yaml", rest_path(
        parameters=f"Domain: {{Type: String, NoEcho: true, Default: {SECRET}.example}}",
        uri='!Sub "https://payments.${Domain}/charges"'))
    for format_ in ("text", "json", "sarif"):
        run = tlspath(path, "--format", format_)
        assert run.code == 1 and "E9503" in run.out and SECRET not in run.out
    finding, = tlspath(path, "--format", "json").findings
    assert f"verifies host '{HIDDEN}'" in finding["message"]


def test_the_cfn_lint_pack_hides_a_noecho_parameter_too(write, tmp_path):
    """Read from a file or from standard input."""
    from test_cfn_lint_pack import CFN_LINT, cfn_lint
    from test_cloudformation_intrinsics import rest_path

    if CFN_LINT is None:
        pytest.skip("no cfn-lint in this environment")
    path = write("template.yaml", rest_path(
        parameters=f"Domain: {{Type: String, NoEcho: true, Default: {SECRET}.example}}",
        uri='!Sub "https://${Domain}/"'))
    for done in (cfn_lint("-a", "linter.rules", "--", path, home=tmp_path),
                 cfn_lint("-a", "linter.rules", stdin=path.read_text(encoding="utf-8"), home=tmp_path)):
        assert "E9503" in done.stdout and SECRET not in done.stdout + done.stderr
