"""The CI recipes: the composite GitHub Action (``action.yml``) checked against what GitHub requires of one --
and its scan step run for real with bash -- and the install instructions in the docs, which must never send
anyone to a package index tlspath is not on."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
BASH = shutil.which("bash")


def expressions(node: object) -> list[str]:
    """Every ``${{ ... }}`` expression anywhere in a YAML node, and every ``if:`` (an expression without them)."""
    if isinstance(node, dict):
        found = [text for key, value in node.items() for text in expressions(value)]
        condition = node.get("if")
        return found + ([condition] if isinstance(condition, str) and "${{" not in condition else [])
    if isinstance(node, list):
        return [text for item in node for text in expressions(item)]
    return [match.strip() for match in EXPRESSION.findall(node)] if isinstance(node, str) else []


def test_the_action_has_what_github_requires():
    assert {"name", "description", "runs"} <= set(ACTION)
    assert ACTION["runs"]["using"] == "composite"
    assert len(ACTION["description"]) <= 125  # the marketplace's limit
    for name, spec in ACTION["inputs"].items():
        assert spec.get("description") and isinstance(spec.get("default", ""), str), name
    for name, spec in ACTION["outputs"].items():
        assert spec.get("description") and spec.get("value"), name  # composite outputs need a value


def test_every_step_is_a_run_with_a_shell_or_a_pinned_action():
    for step in STEPS:
        assert ("run" in step) != ("uses" in step), step
        assert step.get("name"), step
        if "run" in step:
            assert step.get("shell") == "bash", step  # composite run steps must name their shell
            assert "${{" not in step["run"], f"{step['name']}: inputs go through env, never into the script"
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), step


def test_every_input_and_step_output_used_exists():
    ids = {step["id"] for step in STEPS if "id" in step}
    used = " ".join(expressions(ACTION))
    inputs = set(re.findall(r"inputs\.([\w-]+)", used))
    assert inputs and inputs <= set(ACTION["inputs"]), inputs - set(ACTION["inputs"])
    assert set(ACTION["inputs"]) <= inputs, "an input nothing uses"
    for step_id in re.findall(r"steps\.([\w-]+)\.outputs", used):
        assert step_id in ids


def test_it_installs_tlspath_from_its_own_repository_and_uploads_sarif():
    install = next(step for step in STEPS if "pip install" in step.get("run", ""))
    assert install["env"]["TLSPATH_SOURCE"] == "${{ github.action_path }}"
    assert "$TLSPATH_SOURCE" in install["run"]
    upload = next(step for step in STEPS if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "always()" in upload["if"]  # findings fail the scan step's tlspath, and are uploaded all the same
    scan = next(step for step in STEPS if step.get("id") == "scan")
    assert "--format sarif" in scan["run"]


@pytest.mark.skipif(BASH is None or shutil.which("tlspath", path=str(Path(sys.executable).parent)) is None,
                    reason="needs bash and tlspath next to this Python")
@pytest.mark.parametrize(("paths", "code"), [(str(SAMPLES / "cloudformation" / "good"), "0"),
                                             (str(SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml"),
                                              "1")])
def test_the_scan_step_runs_and_reports_the_exit_code(tmp_path, paths, code):
    scan = next(step for step in STEPS if step.get("id") == "scan")
    output = tmp_path / "github-output"
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(output),
           "TLSPATH_PATHS": paths, "TLSPATH_ARGS": "--fail-level warning", "TLSPATH_SARIF": "tlspath.sarif"}
    done = subprocess.run([BASH, "-e", "-c", scan["run"]], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr  # the step itself succeeds; the exit code is its output
    assert output.read_text(encoding="utf-8") == f"exit-code={code}\n"
    sarif = json.loads((tmp_path / "tlspath.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == int(code)


DOCS = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / ".pre-commit-hooks.yaml", ROOT / "action.yml"]


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.name)
def test_no_doc_sends_anyone_to_a_package_index_tlspath_is_not_on(path):
    text = path.read_text(encoding="utf-8")
    claims = re.findall(r"pip install(?: +-\S+)* +[\"']?tlspath(?![\w/.-]| *@|\[[\w,-]*\] *@)", text)  # not a URL
    assert not claims, f"{path.name}: tlspath is not on a package index; install it from the repository"
    assert not re.search(r"additional_dependencies: *\[[\"']tlspath[\"']\]", text)


def test_quick_start_and_ci_install_what_they_use():
    """The test command installs the test extra, which pulls in the extras the tests use (acm, cfn-lint)."""
    quick_start = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    commands = re.search(r"```sh\n(.*?)```", quick_start, re.DOTALL).group(1).splitlines()
    assert commands[0].startswith("python -m pip install . && tlspath ")
    assert commands[1] == 'python -m pip install -e ".[test]" && python -m pytest -q'
    assert 'python -m pip install -e ".[test]"' in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
