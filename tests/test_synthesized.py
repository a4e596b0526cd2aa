"""Projects whose deployable templates a tool synthesizes (redteam R6-7): a Serverless Framework service
(``serverless.yml`` -> ``sls package`` -> ``.serverless/``) and a CDK app (``cdk.json`` -> ``cdk synth`` ->
``cdk.out/``) are never passed in silence. The configuration named on the command line says it is not read and
what to scan instead; a folder scan that meets it without its output says to synthesize first; the output is
scanned (where git ignores it too: tests/test_config.py)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import SAMPLES, line_of

TLS13 = SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml"  # E9508
SERVERLESS = "service: orders\nprovider: {name: aws, region: eu-west-1}\nfunctions:\n  proxy: {handler: h.main}\n"


def warnings(run) -> list[str]:
    return [line for line in run.err.splitlines() if line.startswith("tlspath: warning:")]


def test_a_serverless_service_is_judged_from_what_sls_package_writes(tlspath, write, tmp_path):
    write("svc/serverless.yml", SERVERLESS)
    compiled = write("svc/.serverless/cloudformation-template-update-stack.yml", TLS13.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--select", "E9508", ".", cwd=tmp_path)
    finding, = run.findings
    assert (finding["rule"], finding["level"], finding["file"], finding["line"]) == (
        "E9508", "error", "svc/.serverless/cloudformation-template-update-stack.yml", line_of(compiled, "SslPolicy"))
    assert run.code == 1 and warnings(run) == []


@pytest.mark.parametrize("configuration,output,command,project", [
    ("serverless.yml", ".serverless", "sls package", "a Serverless Framework service"),
    ("cdk.json", "cdk.out", "cdk synth", "a CDK app")])
def test_a_configuration_named_on_the_command_line_says_it_is_not_read(tlspath, write, tmp_path, configuration,
                                                                       output, command, project):
    write(f"app/{configuration}", SERVERLESS if configuration.endswith(".yml") else '{"app": "node bin/app.js"}')
    run = tlspath("--format", "json", f"app/{configuration}", cwd=tmp_path)
    assert warnings(run) == [f"tlspath: warning: app/{configuration}: the configuration of {project}, not read; "
                             f"scan what `{command}` writes to app/{output}/ instead"]
    assert run.code == 0 and run.report["summary"]["files"] == 0


@pytest.mark.parametrize("configuration,output,command,project", [
    ("serverless.yml", ".serverless", "sls package", "a Serverless Framework service"),
    ("cdk.json", "cdk.out", "cdk synth", "a CDK app")])
def test_a_folder_scan_of_a_project_not_synthesized_says_so(tlspath, write, tmp_path, configuration, output,
                                                            command, project):
    write(f"app/{configuration}", SERVERLESS if configuration.endswith(".yml") else '{"app": "node bin/app.js"}')
    run = tlspath("--format", "json", ".", cwd=tmp_path)
    assert warnings(run) == [f"tlspath: warning: app/{configuration}: {project} whose output is not there "
                             f"(app/{output}/), so its stacks are not scanned; run `{command}` and scan again"]
    assert run.code == 0 and run.report["summary"]["files"] == 0


def test_a_cdk_app_writing_its_output_elsewhere_is_read_there(tlspath, write, tmp_path):
    write("app/cdk.json", json.dumps({"app": "node bin/app.js", "output": "build/assembly"}))
    write("app/build/assembly/Stack.template.yaml", TLS13.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--select", "E9508", ".", cwd=tmp_path)
    assert warnings(run) == [] and run.ids() == ["E9508"]
    named = tlspath("--format", "json", "app/cdk.json", cwd=tmp_path)
    assert warnings(named) == ["tlspath: warning: app/cdk.json: the configuration of a CDK app, not read; scan what "
                               "`cdk synth` writes to app/build/assembly/ instead"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_cdk_app_output_elsewhere_is_scanned_where_git_ignores_it(tlspath, write, tmp_path):
    """The common layout: cdk.json's "output": "build/assembly", build/ in .gitignore. The assembly is what is
    deployed, so it is scanned as cdk.out would be -- never a silent '0 files' -- while the rest of build/ stays
    left out, and --exclude still leaves the assembly out (review7 item 5)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(".gitignore", "build/\n")
    write("app/cdk.json", json.dumps({"app": "node bin/app.js", "output": "build/assembly"}))
    write("app/build/assembly/Stack.template.yaml", TLS13.read_text(encoding="utf-8"))
    write("app/build/stale/Old.template.yaml", TLS13.read_text(encoding="utf-8"))
    write("app/build/Copied.template.yaml", TLS13.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--select", "E9508", ".", cwd=tmp_path)
    assert [f["file"] for f in run.findings] == ["app/build/assembly/Stack.template.yaml"]
    assert run.code == 1 and warnings(run) == [] and run.report["summary"]["files"] == 1
    excluded = tlspath("--format", "json", "--exclude", "app/build/assembly/", ".", cwd=tmp_path)
    assert excluded.findings == [] and excluded.report["summary"]["files"] == 0


@pytest.mark.parametrize("output", ["/etc", "../../.."])
def test_an_output_setting_outside_the_scanned_tree_is_said_not_looked_at(tlspath, write, tmp_path, output):
    """cdk.json's "output" naming a folder outside the scanned tree: the run says so and goes no further -- it
    does not look whether that folder exists, nor name it (review7 item 12)."""
    write("app/cdk.json", json.dumps({"app": "node bin/app.js", "output": output}))
    run = tlspath("--format", "json", "app", cwd=tmp_path)
    assert warnings(run) == ["tlspath: warning: app/cdk.json: a CDK app whose output setting names a folder outside "
                             "the scanned tree, so its stacks are not scanned; scan that folder"]
    assert run.code == 0 and run.report["summary"]["files"] == 0
