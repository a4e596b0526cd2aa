"""Where and how the report is written: --output-file, --quiet, colour (a real pseudo-terminal, NO_COLOR,
--color), --list-rules --format json, and text from the files made inert on stdout and stderr."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from linter.rules import catalogue

from linter.report.escape import visible

HEADLINE = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"
CLEAN = SAMPLES / "cloudformation" / "good" / "rest-api-nlb-tls-listener.yaml"
ESC = "\x1b["


def test_output_file_takes_the_report_and_the_exit_code_stays(tlspath, tmp_path):
    target = tmp_path / "report.sarif"
    run = tlspath(HEADLINE, "--format", "sarif", "-o", target)
    assert (run.code, run.out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"] == "E9501"
    run = tlspath(HEADLINE, "--output-file", tmp_path / "missing" / "report.txt")
    assert run.code == 2 and run.err.startswith(f"tlspath: error: cannot write {tmp_path / 'missing'}")


@pytest.mark.parametrize("flag", ["-o", "--write-baseline"])
def test_a_scanned_file_is_never_overwritten(tlspath, tmp_path, monkeypatch, flag):
    """`-o template.yaml` (a slip for `-o tlspath.sarif`) would replace the template with the report: one line,
    exit 2, nothing written -- for a template found in a folder, one named on the command line (any spelling of
    its path), a Terraform file of a module the run read."""
    template = tmp_path / "template.yaml"
    template.write_bytes(HEADLINE.read_bytes())
    module = tmp_path / "infra" / "variables.tf"
    module.parent.mkdir()
    module.write_text('variable "region" {}\n', encoding="utf-8")
    (module.parent / "main.tf").write_text(
        (SAMPLES / "terraform" / "bad" / "e9525-http-api-quick-create-on-port-22" / "main.tf").read_text())
    monkeypatch.chdir(tmp_path)
    for scanned, target in ((".", "template.yaml"), ("template.yaml", "./template.yaml"), (".", "infra/variables.tf")):
        before = (tmp_path / target).read_bytes()
        run = tlspath(scanned, "--format", "sarif", flag, target, cwd=tmp_path)
        assert (run.code, run.out) == (2, "")
        assert run.err == f"tlspath: error: {flag} {target}: is one of the scanned files; not overwritten\n"
        assert (tmp_path / target).read_bytes() == before
    report = tmp_path / "report.json"  # a file of the tree that is not an input: written, run after run
    for _ in range(2):
        assert tlspath(".", "--format", "json", flag, "report.json", cwd=tmp_path).code in (0, 1)
    assert report.read_text().lstrip().startswith(("{", "["))


def _copy(sample: str, to: Path) -> Path:
    shutil.copytree(SAMPLES / "terraform" / "bad" / sample, to)
    return to


@pytest.mark.parametrize("flag", ["-o", "--write-baseline"])
def test_no_file_a_front_end_read_is_overwritten(tlspath, tmp_path, write, flag):
    """Whatever its name says: an OpenTofu file of a module, a certificate read with file(), a file a Terragrunt
    unit includes, a --var-file, a nested template and an OpenAPI file a template names (scanned by name) --
    each is one of the files the run read, and -o or --write-baseline leaves it as it was."""
    tofu = _copy("e9525-http-api-quick-create-on-port-22", tmp_path / "tofu")
    write("tofu/variables.tofu", 'variable "region" {\n  default = "eu-west-1"\n}\n')
    write("tofu/prod.tfvars", 'region = "eu-west-1"\n')
    _copy("e9501-private-ca-certificate-from-file", tmp_path / "file")
    _copy("e9508-terragrunt-tls13-policy-in-inputs", tmp_path / "grunt")
    write("cfn/parent.yaml", """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Child:
            Type: AWS::CloudFormation::Stack
            Properties:
              TemplateURL: nested/child.yaml
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionUri: openapi.yaml
        """)
    write("cfn/nested/child.yaml", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    write("cfn/openapi.yaml", "openapi: 3.0.1\npaths: {}\n")
    cases = [(("tofu",), "tofu/variables.tofu"), (("tofu", "--var-file", "tofu/prod.tfvars"), "tofu/prod.tfvars"),
             (("file",), "file/tls/shipping.crt"), (("grunt",), "grunt/live/prod/env.hcl"),
             (("cfn/parent.yaml",), "cfn/nested/child.yaml"), (("cfn/parent.yaml",), "cfn/openapi.yaml")]
    for scanned, target in cases:
        before = (tmp_path / target).read_bytes()
        run = tlspath(*scanned, flag, target, cwd=tmp_path)
        assert (run.code, run.out) == (2, ""), target
        assert run.err == f"tlspath: error: {flag} {target}: is one of the scanned files; not overwritten\n"
        assert (tmp_path / target).read_bytes() == before
    notes = write("tofu/notes.txt", "not read\n")  # a file of a module's folder that no front end reads
    assert tlspath("tofu", "--format", "json", flag, "tofu/notes.txt", cwd=tmp_path).code in (0, 1)
    assert notes.read_text().lstrip().startswith(("{", "["))
    assert tofu.is_dir()


def test_check_certificate_does_not_overwrite_the_certificate(tlspath, tmp_path):
    from pki import issue

    pem = tmp_path / "server.pem"
    pem.write_text(issue("api.example.com", sans=("api.example.com",)).pem)
    before = pem.read_text()
    run = tlspath("--check-certificate", pem, "-o", pem)
    assert run.code == 2 and run.err == f"tlspath: error: -o {pem}: is the certificate file being checked; not overwritten\n"
    assert pem.read_text() == before


def test_quiet_prints_findings_only(tlspath):
    loud, quiet = tlspath(HEADLINE), tlspath(HEADLINE, "--quiet")
    assert loud.out == quiet.out + "\n1 file, 1 path: 1 error, 0 warnings, 0 info\n"
    assert quiet.out.startswith(f"{HEADLINE}:") and quiet.out.endswith("certificate\n") and quiet.code == 1
    assert tlspath(CLEAN, "-q").out == ""


def _in_terminal(*args: str, **env: str) -> str:
    """tlspath's stdout when it runs in a pseudo-terminal, as a person at a terminal runs it."""
    controller, terminal = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "TERM")}
    with subprocess.Popen([sys.executable, "-m", "linter", *args], stdout=terminal, stderr=subprocess.DEVNULL,
                          env={**environment, "TERM": "xterm", **env}) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process has written everything
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8")


def test_colour_on_a_terminal_unless_no_color_or_never():
    coloured = _in_terminal(str(HEADLINE))
    assert f"{ESC}1;31mE9501  error  " in coloured and f"{ESC}1m{HEADLINE}:" in coloured
    assert ESC not in _in_terminal(str(HEADLINE), NO_COLOR="1")
    assert ESC not in _in_terminal(str(HEADLINE), "--color", "never")
    assert ESC in _in_terminal(str(HEADLINE), "--color", "always", NO_COLOR="1")  # the flag beats the variable


def test_no_colour_into_a_pipe_or_a_file_unless_asked(tlspath, tmp_path):
    assert ESC not in tlspath(HEADLINE).out
    assert f"{ESC}1;31mE9501" in tlspath(HEADLINE, "--color", "always").out
    tlspath(HEADLINE, "-o", tmp_path / "report.txt")
    assert ESC not in (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert ESC not in tlspath(HEADLINE, "--format", "json", "--color", "always").out


def test_list_rules_as_json(tlspath):
    run = tlspath("--list-rules", "--format", "json")
    rules = json.loads(run.out)
    assert run.code == 0 and [rule["id"] for rule in rules] == [rule.id for rule in catalogue()]
    e9501 = rules[0]
    assert set(e9501) == {"id", "level", "title", "summary", "fix", "tags", "security_severity", "sources"}
    assert e9501["level"] == "error" and e9501["tags"] and e9501["sources"][0].startswith("https://")
    run = tlspath("--list-rules", "--format", "sarif")
    assert run.code == 2 and "--list-rules prints text or json" in run.err


@pytest.mark.parametrize("text,shown", [
    ("plain name (GET /orders)", "plain name (GET /orders)"),
    ("a\nb\r\tc\x00\x7f\x85", "a\\x0ab\\x0d\\x09c\\x00\\x7f\\x85"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("admin\u202e\u2066txt.exe\u2069\u200f", "admin\\u202e\\u2066txt.exe\\u2069\\u200f"),
    ("line\u2028break\ud800", "line\\u2028break\\ud800"),
    ("::error::x", "\\x3a:error::x"), ("  ::warning::x", "  \\x3a:warning::x"), ("a::b", "a::b"),
    ("x ##[error]y ##vso[task.complete] ##teamcity[msg]", "x ##\\x5berror]y ##vso\\x5btask.complete] ##teamcity\\x5bmsg]"),
    ("## [not a command] #[x]", "## [not a command] #[x]"),
])
def test_visible_makes_input_text_inert(text, shown):
    assert visible(text) == shown


def test_stderr_shows_hostile_names_inert(tlspath, tmp_path):
    broken = tmp_path / "broken.yaml"
    hostile = '"\\e[2J\\u202e::error::x"'
    broken.write_text(f"Resources:\n  {hostile}:\n    Type: AWS::SNS::Topic\n  {hostile}:\n    Type: AWS::SNS::Topic\n")
    run = tlspath(broken)
    assert run.code == 2 and run.err == f"{broken}:4: duplicate key '\\x1b[2J\\u202e::error::x'\n"
