"""The command line as users meet it: discovery, output formats, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import SAMPLES, column_of, edit, line_of
from linter import __version__
from linter.report import FORMATS
from linter.rules import catalogue

BAD = SAMPLES / "cloudformation" / "bad"
HEADLINE = BAD / "e9501-tcp-to-self-signed-backend.yaml"
WARNING_ONLY = BAD / "w9502-tls-pass-through-to-ecs.json"
INFO_ONLY = BAD / "i9513-parameter-without-default.yaml"
CLEAN = SAMPLES / "cloudformation" / "good" / "rest-api-nlb-tls-listener.yaml"


def test_version(tlspath):
    run = tlspath("--version")
    assert run.code == 0 and run.out.strip() == f"tlspath {__version__}"


def test_list_rules_prints_the_catalogue(tlspath):
    run = tlspath("--list-rules")
    lines = run.out.splitlines()
    assert run.code == 0 and len(lines) == len(catalogue())
    assert lines[0].split()[:2] == ["E9501", "error"]
    assert any(line.split()[:2] == ["I9513", "info"] for line in lines)


def test_explain_prints_the_whole_rule_doc(tlspath):
    run = tlspath("--explain", "e9501")
    assert run.code == 0
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## How to fix", "## Sources"):
        assert heading in run.out
    assert "aws-tls-path.md" in run.out and "https://docs.aws.amazon.com/" in run.out


def test_explain_unknown_rule_is_a_usage_error(tlspath):
    run = tlspath("--explain", "E0000")
    assert run.code == 2 and "no rule 'E0000'" in run.err


@pytest.mark.parametrize("args", [("--format", "xml", "."), ("--fail-level", "fatal", "."),
                                  ("--at", "yesterday", "."), ("--expiry-days", "-1", ".")])
def test_usage_errors_exit_2(tlspath, args):
    run = tlspath(*args)
    assert run.code == 2 and "tlspath: error:" in run.err


def test_format_offers_every_format_of_the_table_and_each_renders(tlspath):
    """One table serves ``--format`` and rendering: a format in it is offered, and renders the run's finding."""
    usage = tlspath("--format", "nosuch", HEADLINE).err
    assert f"(choose from {', '.join(map(repr, FORMATS))})" in usage
    for fmt in FORMATS:
        run = tlspath("--format", fmt, HEADLINE)
        assert run.code == 1 and "E9501" in run.out, fmt
    assert tlspath(HEADLINE).out == tlspath("--format", "text", HEADLINE).out


def test_a_folder_named_rules_is_scannable(tlspath, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "t.yaml").write_text(HEADLINE.read_text())
    run = tlspath(folder, "--format", "json")
    assert run.ids() == ["E9501"]


@pytest.mark.parametrize("sample,fail_level,code", [
    (HEADLINE, None, 1), (WARNING_ONLY, None, 1), (INFO_ONLY, None, 0), (CLEAN, None, 0),
    (WARNING_ONLY, "error", 0), (HEADLINE, "error", 1), (INFO_ONLY, "info", 1), (HEADLINE, "none", 0),
])
def test_exit_code_follows_the_fail_level(tlspath, sample, fail_level, code):
    args = [sample] + (["--fail-level", fail_level] if fail_level else [])
    assert tlspath(*args).code == code


def test_text_report_starts_each_finding_with_a_clickable_place_and_draws_the_path(tlspath):
    run = tlspath(HEADLINE, CLEAN)
    lines = run.out.splitlines()
    command = "openssl req -x509"
    assert lines[0].split()[:3] == [f"{HEADLINE}:{line_of(HEADLINE, command)}:{column_of(HEADLINE, command)}:", "E9501",
                                    "error"]
    assert lines[1] == f"    path: integration OrdersGet (line {line_of(HEADLINE, '  OrdersGet:')})"
    assert "      ->  target OrdersFleet" in run.out
    assert "    fix:  Set Protocol: TLS on listener 'OrdersListener'" in run.out
    assert lines[-2:] == ["", "2 files, 2 paths: 1 error, 0 warnings, 0 info"]


def test_json_report_is_the_documented_contract(tlspath):
    report = tlspath(HEADLINE, INFO_ONLY, "--format", "json").report
    assert report["tool"] == {"name": "tlspath", "version": __version__}
    assert report["errors"] == []
    assert report["summary"] == {"files": 2, "paths": 2, "error": 1, "warning": 0, "info": 1, "unchecked_endpoints": 0}
    assert report["unchecked_endpoints"] == []
    keys = {"rule", "level", "title", "message", "fix", "file", "line", "column", "resource", "trace", "identity"}
    for finding in report["findings"]:
        assert set(finding) == keys
        assert set(finding["identity"]) == {"integration", "listener", "certificate", "subject", "field", "conditions"}
        for step in finding["trace"]:
            assert set(step) == {"role", "resource", "file", "line", "column", "seen_at"}


def test_broken_template_is_reported_and_others_still_analysed(tlspath, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: [\n")
    (tmp_path / "good.yaml").write_text(HEADLINE.read_text())
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2
    assert run.ids() == ["E9501"]
    error, = run.report["errors"]
    assert error["file"] == str(broken) and error["line"] == 5 and error["message"].startswith("YAML syntax error")
    assert run.err.strip().splitlines() == [f"{broken}:5: {error['message']}"]


def test_broken_json_names_file_and_line(tlspath, tmp_path):
    broken = tmp_path / "stack.template.json"
    broken.write_text('{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "A": {"Type" "AWS::SNS::Topic"}\n  }\n}\n')
    run = tlspath(broken)
    assert run.code == 2 and run.err.startswith(f"{broken}:4: JSON syntax error")


def test_a_control_character_names_its_line_and_no_message_is_cut(tlspath, tmp_path):
    yaml_file, json_file = tmp_path / "c.yaml", tmp_path / "f.json"
    yaml_file.write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::SNS::Topic\n'
                         '    Properties: {TopicName: "a\x1bb"}\n')
    json_file.write_text('{\n "AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {"A": {"Type": "a\tb"}}\n}\n')
    run = tlspath(yaml_file, json_file)
    assert run.code == 2 and run.err.splitlines() == [
        f"{yaml_file}:5: YAML syntax error: unacceptable character #x001b: control characters are not allowed",
        f"{json_file}:3: JSON syntax error: Invalid control character"]


def test_duplicate_keys_are_input_errors(tlspath, tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SNS::Topic\n")
    run = tlspath(template)
    assert run.code == 2 and f"{template}:4: duplicate key 'A'" in run.err


def test_missing_path_is_an_input_error(tlspath, tmp_path):
    run = tlspath(tmp_path / "nope.yaml", HEADLINE, "--format", "json")
    assert run.code == 2 and run.ids() == ["E9501"]
    assert run.report["errors"] == [{"file": str(tmp_path / "nope.yaml"), "line": None,
                                     "message": "no such file or directory"}]


def test_non_templates_are_skipped_silently(tlspath, tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n")
    (tmp_path / "deploy.yaml").write_text("apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Pod\n")
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "chart.yaml").write_text("replicas: {{ .Values.replicas }}\n  bad: [\n")
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 0 and run.report["errors"] == [] and run.report["summary"]["files"] == 0


def test_skipped_folders_and_cdk_out(tlspath, tmp_path):
    for folder in (".git", "node_modules", ".terraform", "venv"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "t.yaml").write_text(HEADLINE.read_text())
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "Orders.template.json").write_text(json.dumps(_as_json(HEADLINE)))
    run = tlspath(tmp_path, "--format", "json")
    assert run.report["summary"]["files"] == 1 and run.ids() == ["E9501"]
    assert run.findings[0]["file"].endswith(os.path.join("cdk.out", "Orders.template.json"))


def _as_json(path):
    from linter.parse.documents import load_yaml

    return load_yaml(path.read_text())


def test_symlink_loop_does_not_hang(tlspath, tmp_path):
    (tmp_path / "a").mkdir()
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    (tmp_path / "a" / "t.yaml").write_text(HEADLINE.read_text())
    run = tlspath(tmp_path, "--format", "json")
    assert run.ids() == ["E9501"]


def _nested(top, length: int, name: str) -> str:
    """Folders under ``top`` whose path is ``length`` characters long, names of at most 200 characters each, made
    through folder descriptors (the whole path may be past the system's length limit), holding a template
    ``name``; the first folder's name."""
    names = []
    while len(os.path.join(str(top), *names)) < length:
        names.append("x" * min(200, length - len(os.path.join(str(top), *names)) - 1))
    folder = os.open(top, os.O_RDONLY)
    for step in names:
        os.mkdir(step, dir_fd=folder)
        inner = os.open(step, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = inner
    template = os.open(name, os.O_CREAT | os.O_WRONLY, dir_fd=folder)
    os.write(template, HEADLINE.read_bytes())
    os.close(template)
    os.close(folder)
    return names[0]


@pytest.mark.parametrize("length, name, said", [
    (6000, "t.yaml", "cannot list folder: File name too long"),
    (4092, "t.yaml", "cannot read file: File name too long"),  # + "/t.yaml": 4,099
    (4092, "main.tf", "cannot read file: File name too long"),  # a file that marks a folder for Terraform
])
def test_a_path_past_the_length_limit_is_an_input_error_not_silence(tlspath, tmp_path, length, name, said):
    """os.walk passed over a folder it could not list without a word ("0 files"); a file whose whole path is
    past PATH_MAX (4,096 on Linux) was dropped the same way. Each is one input error naming the path (exit 2),
    and the other files are reported."""
    (tmp_path / "ok.yaml").write_text(HEADLINE.read_text())
    first = _nested(tmp_path, length, name)
    run = tlspath(tmp_path, "--format", "json")
    error, = run.report["errors"]
    assert error["message"] == said and error["file"].startswith(os.path.join(str(tmp_path), first))
    assert run.code == 2 and run.ids() == ["E9501"]


@pytest.mark.parametrize("parts", [["x" * 200] * 25 + ["t.yaml"], ["a" * 300 + ".yaml"]])
def test_a_named_path_past_the_length_limit_says_so(tlspath, tmp_path, parts):
    """Not "no such file or directory": the system refuses the path before it looks -- a whole path past
    PATH_MAX, or one name past NAME_MAX (255 bytes: a 300-character file name, review7 item 13)."""
    named = os.path.join(str(tmp_path), *parts)
    run = tlspath(named, "--format", "json")
    assert run.report["errors"] == [{"file": named, "line": None, "message": "cannot read file: File name too long"}]
    assert run.code == 2


def test_alias_bomb_and_deep_nesting_are_refused_or_survived(tlspath, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Metadata:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
              for i in range(1, 10)]
    lines += ["Resources:", "  Key:", "    Type: AWS::IAM::ServerCertificate", "    Properties:",
              "      CertificateBody: *a9"]
    bomb.write_text("\n".join(lines) + "\n")
    deep = tmp_path / "deep.yaml"
    deep.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: " + "[" * 30000 + "]" * 30000 + "\n")
    run = tlspath(tmp_path, "--format", "json")
    assert run.code == 2
    errors = {e["file"]: e["message"] for e in run.report["errors"]}
    assert "aliases expand to more than" in errors.pop(str(bomb))
    assert "nesting" in errors.pop(str(deep)) and errors == {}


@pytest.mark.parametrize("name, text", [
    ("deep.json", '{"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {"A": ' + '{"a": ' * 3000 + "1"
     + "}" * 3001 + "}\n"),
    ("deep.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: " + "[" * 3000 + "]" * 3000 + "\n"),
])
def test_nesting_too_deep_is_an_error_at_its_line_in_json_as_in_yaml(tlspath, tmp_path, name, text):
    (tmp_path / name).write_text(text)
    run = tlspath(tmp_path / name)
    assert run.code == 2 and f"{tmp_path / name}:" + ("2" if name.endswith(".json") else "3") in run.err, run.err
    assert "nesting" in run.err


@pytest.mark.parametrize("given, said", [
    ([os.devnull], f"{os.devnull}: not a regular file"),
    (["missing.yaml"], "missing.yaml: no such file or directory"),
    ([".", "--var-file", os.devnull], f"{os.devnull}: --var-file: not a regular file"),
    ([".", "--var-file", "."], ".: --var-file: a folder"),
])
def test_a_path_that_is_no_file_says_what_it_is(tlspath, tmp_path, given, said):
    """A device or a folder named as a file exists: it is not called missing."""
    (tmp_path / "main.tf").write_text("")
    run = tlspath(*given, cwd=tmp_path)
    assert run.code == 2 and said in run.err, run.err


def test_binary_and_oversized_files(tlspath, tmp_path, monkeypatch):
    binary = tmp_path / "blob.json"
    binary.write_bytes(b"\x00\x01\x02AWSTemplateFormatVersion")
    run = tlspath(binary)
    assert run.code == 2 and "binary" in run.err
    import linter.parse.documents as documents

    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    big = tmp_path / "big.yaml"
    big.write_text("AWSTemplateFormatVersion: '2010-09-09'\n" + "# padding\n" * 50)
    run = tlspath(big)
    assert run.code == 2 and "larger than" in run.err


def test_python_tags_are_never_executed(tlspath, tmp_path):
    evil = tmp_path / "evil.yaml"
    marker = tmp_path / "pwned"
    evil.write_text(f"AWSTemplateFormatVersion: '2010-09-09'\nResources: !!python/object/apply:os.system ['touch {marker}']\n")
    run = tlspath(evil)
    assert run.code == 2 and not marker.exists()


def test_module_entry_point(tmp_path):
    done = subprocess.run([sys.executable, "-m", "linter", str(HEADLINE), "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and json.loads(done.stdout)["findings"][0]["rule"] == "E9501"


@pytest.mark.parametrize("args", [[str(HEADLINE)], ["--explain", "E9501"]])
def test_a_reader_that_leaves_early_gets_no_traceback(args):
    """`tlspath . | head -1`: the reader is gone before tlspath writes (a pipe whose read end is closed)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "linter", *args], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == (1 if args[0] == str(HEADLINE) else 0)  # the verdict survives the closed pipe


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [[str(HEADLINE)], ["--explain", "E9501"], ["--list-rules"]])
def test_stdout_on_a_full_disk_is_one_line_not_a_traceback(args):
    """`tlspath . > report.txt` on a full disk: the write fails; one line says so, exit 2."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "linter", *args], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    assert done.stderr == "tlspath: error: cannot write to stdout: No space left on device\n"
    assert done.returncode == 2


def test_ignore_rules_by_id_or_prefix(tlspath):
    assert tlspath(HEADLINE, "--ignore", "E9501", "--format", "json").findings == []
    assert tlspath(BAD, "--ignore", "E95,W95", "--ignore", "i95", "--format", "json").findings == []
    kept = tlspath(BAD, "--ignore", "W", "--format", "json", "--fail-level", "none").ids()
    assert kept and not [rule for rule in kept if rule.startswith("W")]
    run = tlspath(HEADLINE, "--ignore", "X1")
    assert run.code == 2 and "--ignore X1: no rule id starts with that" in run.err


def test_cfn_lint_ignore_checks_metadata_silences_one_resource(tlspath, tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(edit(HEADLINE.read_text(), {
        "  OrdersFleet:\n    Type: AWS::AutoScaling::AutoScalingGroup\n":
        "  OrdersFleet:\n    Type: AWS::AutoScaling::AutoScalingGroup\n"
        "    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [E9501]\n"}))
    assert tlspath(template, "--format", "json").findings == []


def test_a_rule_that_breaks_is_one_bounded_input_error_and_hides_no_other_finding(tlspath, monkeypatch):
    """A bug in one rule (its exception may quote input at any length) costs that rule, not the run."""
    def broken(self, path, settings):
        raise ValueError("a value\nfrom the template " + "x" * 5000)

    rule = next(rule for rule in catalogue() if rule.id == "W9502")
    monkeypatch.setattr(rule, "check_path", broken)
    run = tlspath(str(HEADLINE), "--format", "json")
    assert run.code == 2 and "E9501" in run.ids() and "W9502" not in run.ids()
    error, = run.report["errors"]
    assert error["message"].startswith("internal error in rule W9502 (ValueError: a value from the template xxx")
    assert "\n" not in error["message"] and len(error["message"]) < 400


def test_paths_may_come_after_options(tlspath):
    """As ruff, cfn-lint and checkov take them -- and as the GitHub Action builds its command line (paths, then
    the user's args, which may hold a path)."""
    good, bad = "samples/cloudformation/good", "samples/cloudformation/bad/e9508-tls13-only-policy.yaml"
    first = tlspath(good, bad, "--format", "json")
    for argv in ((good, "--format", "json", bad), ("--format", "json", good, bad), (good, "--format", "json", "--", bad)):
        run = tlspath(*argv)
        assert (run.code, run.err, run.report["summary"]) == (first.code, "", first.report["summary"])
    assert first.code == 1 and "E9508" in first.ids()
