"""Broken Terraform input: one clear line naming file and line, exit code 2, and every other module still
analysed and reported. Lines of findings survive what real files do (CRLF, BOM, heredocs, blank-padded
markers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit, line_of
from terraform_snippets import (
    SELF_SIGNING_SCRIPT, acm_certificate, clean_rest_path, nlb, pass_through_path, rest_integration, tls_listener, vpc_link,
)


@pytest.mark.parametrize("text, line, message", [
    ('resource "aws_lb" "x" {\n  name = "x"\n', 3, "unexpected end of file (a block, bracket or string is not closed)"),
    ('resource "aws_lb" "x" {\n  name = \n}\n', 2, "HCL syntax error: unexpected"),
    ('locals {\n  a = [1, 2\n}\n', 3, "HCL syntax error: unexpected"),
    ('locals {\n  a = "${"\n}\n', 2, "HCL syntax error: unexpected"),
])
def test_syntax_error_names_file_and_line_and_other_modules_are_reported(tlspath, write, tmp_path, text, line, message):
    broken = write("broken/main.tf", text)
    healthy = write("healthy/main.tf", pass_through_path())
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2
    error, = run.report["errors"]
    assert (error["file"], error["line"]) == (str(broken), line) and message in error["message"]
    assert f"{broken}:{line}: " in run.err and "Traceback" not in run.err
    assert [(f["rule"], f["file"]) for f in run.findings] == [("E9501", str(healthy))]


def test_a_broken_file_does_not_hide_the_other_files_of_its_module(tlspath, write, tmp_path):
    write("extra.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n')
    main = write("main.tf", pass_through_path())
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2 and [f["line"] for f in run.findings] == [line_of(main, "openssl req")]


def test_unreadable_file_is_an_input_error(tlspath, write, tmp_path):
    (tmp_path / "main.tf").write_bytes(b'locals {\n  a = "\xff\xfe"\n}\n')
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2 and run.report["errors"][0]["message"] == "file is not UTF-8 text"


def test_absurdly_nested_expression_is_an_input_error_not_a_crash(tlspath, write, tmp_path):
    main = write("main.tf", "locals {\n  a = " + "[" * 3000 + "]" * 3000 + "\n}\n")
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2 and "Traceback" not in run.err
    assert run.report["errors"] == [{"file": str(main), "line": 2, "message": "HCL nesting is deeper than 400 levels"}]


def test_references_too_deep_to_follow_are_reported(tlspath, write, tmp_path):
    chain = "\n".join(f"  a{i} = local.a{i + 1}" for i in range(300))
    write("main.tf", f'locals {{\n{chain}\n  a300 = "api.example.com"\n}}\n' +
          edit(clean_rest_path(), {'"https://api.example.com/"': "local.a0"}))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["rule"] == "I9513" and "too deeply" in finding["message"]


def test_symlink_stored_as_text_is_followed_inside_the_tree(tlspath, write, tmp_path):
    shared = write("shared/listener.tf", pass_through_path())
    write("app/listener.tf", "../shared/listener.tf")
    run = tlspath(tmp_path, "--format", "json")
    assert run.report["errors"] == []
    finding, = run.findings  # read as two roots, reported once, in the file that holds the text
    assert (finding["file"], finding["line"]) == (str(shared), line_of(shared, "openssl req"))


def test_symlink_stored_as_text_to_a_missing_file(tlspath, write, tmp_path):
    link = write("app/vars.tf", "../../elsewhere/vars.tf")
    run = tlspath(tmp_path / "app", "--format", "json")
    error, = run.report["errors"]
    assert error["file"] == str(link) and "symbolic link stored as text" in error["message"]


def test_crlf_and_bom_keep_lines(tlspath, tmp_path):
    text = "\ufeff" + pass_through_path().lstrip("\n")
    (tmp_path / "main.tf").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    finding, = tlspath(tmp_path, "--format", "json").findings
    expected = next(n for n, line in enumerate(text.splitlines(), 1) if "openssl req" in line)
    assert finding["line"] == expected


def test_heredoc_closing_marker_followed_by_blanks(tlspath, write, tmp_path):
    main = write("main.tf", pass_through_path(SELF_SIGNING_SCRIPT + "   "))
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert finding["line"] == line_of(main, "openssl req")


def test_clean_module_next_to_non_terraform_files(tlspath, write, tmp_path):
    write("main.tf", clean_rest_path())
    write("README.md", "# not terraform\n")
    write("values.json", '{"not": "a plan"}')
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 0 and run.findings == [] and run.report["errors"] == []


def test_symbolic_link_out_of_the_tree_is_not_read(tlspath, write, tmp_path):
    secret = write("outside/secret.txt", "root:x:0:0:root:/root:/bin/bash\n")
    write("scanned/main.tf", clean_rest_path())
    (tmp_path / "scanned" / "extra.tf").symlink_to(secret)
    run = tlspath(tmp_path / "scanned", "--format", "json")
    error, = run.report["errors"]
    assert error["file"].endswith("extra.tf") and "outside the scanned tree" in error["message"]
    assert "root:x" not in run.out + run.err


# ------------------------------------------------------- a module with a file that did not parse is incomplete

_BROKEN = 'locals {\n  owner = \n}\n'  # an HCL syntax error on line 2


def test_listener_in_a_file_that_did_not_parse_is_no_missing_listener(tlspath, write, tmp_path):
    """The listener on the URI's port may be declared in the broken file: no E9507 ("nothing listens"), an I9513
    naming the file instead; the syntax error is still an input error."""
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener(port="8443"))
    broken = write("listeners.tf", _BROKEN)
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2 and run.report["errors"][0]["file"] == str(broken) and run.report["errors"][0]["line"] == 2
    finding, = run.findings
    assert (finding["rule"], finding["level"], finding["line"]) == ("I9513", "info", line_of(main, "uri "))
    assert f"did not parse ({broken}:2) and may declare a listener on port 443 of 'aws_lb.nlb'" in finding["message"]
    assert finding["fix"] == f"fix the syntax error at {broken}:2 and run tlspath again"


def test_the_same_module_without_the_broken_file_is_a_missing_listener(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener(port="8443"))
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 1 and run.ids() == ["E9507"]


def test_validation_in_a_file_that_did_not_parse_is_named(tlspath, write, tmp_path):
    """A reference to what the broken file may declare names that file, not "no resource is declared"."""
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener(
        "aws_acm_certificate_validation.cert.certificate_arn") + acm_certificate().split('resource "aws_acm_certificate_validation"')[0])
    broken = write("validation.tf", _BROKEN)
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("I9513", line_of(main, "certificate_arn"))
    assert "no resource aws_acm_certificate_validation.cert is declared in the files of" in finding["message"]
    assert f"did not parse ({broken}:2)" in finding["message"]
    assert finding["fix"] == f"fix the syntax error at {broken}:2 and run tlspath again"


def test_certificate_validation_is_not_called_missing_when_a_file_did_not_parse(tlspath, write, tmp_path):
    """Without a validation in the files that parse, W9518 (never awaited) would rest on the broken file's
    absence: an I9513 names the file instead."""
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener("aws_acm_certificate.cert.arn") +
                 acm_certificate().split('resource "aws_acm_certificate_validation"')[0])
    assert tlspath(tmp_path, "--format", "json").ids() == ["W9518"]
    broken = write("validation.tf", _BROKEN)
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert run.code == 2 and (finding["rule"], finding["line"]) == ("I9513", line_of(main, "uri "))
    assert f"did not parse ({broken}:2)" in finding["message"]


_PORT = '''
variable "port" {
  type = number
  validation {
    condition     = var.port > 0 && var.port < 65536
    error_message = "port out of range"
  }
}
'''


def _port_path(write) -> Path:
    return write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener(port="var.port")
                 + acm_certificate() + _PORT)


@pytest.mark.parametrize("tfvars", ['port = 443', 'port = "443"', 'port = "+4.43e2"'])
def test_a_variable_value_terraform_converts_is_used(tlspath, write, tmp_path, tfvars):
    _port_path(write)
    write("terraform.tfvars", tfvars + "\n")
    run = tlspath(tmp_path, "--format", "json")
    assert (run.code, run.findings, run.report["errors"]) == (0, [], [])


@pytest.mark.parametrize("tfvars, problem", [
    ('port = "abc"', "the value is not suitable for its type: a number is required"),
    ('port = " 443"', "the value is not suitable for its type: a number is required"),
    ("port = [443]", "the value is not suitable for its type: number required"),
    ("port = true", "the value is not suitable for its type: number required"),
    ("port = 70000", "its validation at main.tf:{condition} fails: port out of range"),
    ("port = null", "its validation at main.tf:{condition} cannot be evaluated for it: a number is needed, got null"),
])
def test_a_variable_value_terraform_refuses_is_an_input_error_and_stops_the_path(tlspath, write, tmp_path, tfvars,
                                                                                    problem):
    """As terraform plan: "Invalid value for input variable" on terraform.tfvars line 1 (checked against
    terraform 1.11), never "only known at deploy time" nor a finding on a value that cannot be deployed."""
    main = _port_path(write)
    write("terraform.tfvars", tfvars + "\n")
    run = tlspath(".", "--format", "json", cwd=tmp_path)
    problem = problem.format(condition=line_of(main, "condition"))
    declared = line_of(main, 'variable "port"')
    assert run.code == 2
    assert run.report["errors"] == [{"file": "terraform.tfvars", "line": 1, "message":
                                     f"terraform refuses the value of variable 'port' (main.tf:{declared}): {problem}"}]
    finding, = run.findings
    assert (finding["rule"], finding["level"], finding["line"]) == ("I9513", "info", line_of(main, "port   "))
    assert f"terraform refuses the value of variable 'port' given at terraform.tfvars:1 ({problem}" \
        in finding["message"]


def test_a_variable_nobody_reads_is_checked_too(tlspath, write, tmp_path):
    write("main.tf", clean_rest_path() + 'variable "replicas" {\n  type = number\n}\n')
    tfvars = write("terraform.tfvars", 'replicas = "two"\n')
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2 and run.findings == []
    assert [(e["file"], e["line"]) for e in run.report["errors"]] == [(str(tfvars), 1)]


def test_an_argument_set_twice_is_an_input_error_as_in_terraform(tlspath, write, tmp_path):
    """terraform: "Attribute redefined ... The argument "port" was already set at terraform.tfvars:1,1-5";
    the path says which file it cannot read instead of asking for a value."""
    main = _port_path(write)
    tfvars = write("terraform.tfvars", "port = 443\nport = 8443\n")
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2
    assert run.report["errors"] == [{"file": str(tfvars), "line": 2, "message":
                                     'the argument "port" was already set at line 1; each argument may be set '
                                     "only once"}]
    finding, = run.findings
    assert (finding["rule"], finding["line"]) == ("I9513", line_of(main, "port   "))
    assert f"terraform refuses {tfvars} (see the input error)" in finding["message"]


def test_a_listener_port_that_is_no_whole_number_says_so(tlspath, write, tmp_path):
    """terraform plan: "Attribute must be a whole number, got 443.5" (the variable's type accepts it)."""
    _port_path(write)
    write("terraform.tfvars", "port = 443.5\n")
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert finding["rule"] == "I9513"
    assert "the listener port 443.5 is not a whole number, which the deployment refuses" in finding["message"]
    assert "deploy time" not in finding["message"]
