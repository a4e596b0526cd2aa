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
    assert '"--format", "sarif"' in scan["run"]


needs_bash = pytest.mark.skipif(
    BASH is None or shutil.which("tlspath", path=str(Path(sys.executable).parent)) is None,
    reason="needs bash and tlspath next to this Python")


def run_scan_step(folder: Path, paths: str, args: str) -> tuple[str, list[str], str]:
    """The action's scan step run with bash in ``folder`` as GitHub runs it (``-e``; inputs in env, the
    tlspath installed next to this Python first on PATH): its exit-code output, the files of the SARIF
    results, and what it printed on stderr."""
    scan = next(step for step in STEPS if step.get("id") == "scan")
    output, sarif = folder / "github-output", folder / "tlspath.sarif"
    output.unlink(missing_ok=True)
    sarif.unlink(missing_ok=True)
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(output),
           "TLSPATH_PATHS": paths, "TLSPATH_ARGS": args, "TLSPATH_SARIF": "tlspath.sarif"}
    done = subprocess.run([BASH, "-e", "-c", scan["run"]], cwd=folder, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr  # the step itself succeeds; the exit code is its output
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"] if sarif.exists() else []
    files = sorted(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results)
    return output.read_text(encoding="utf-8"), files, done.stderr


@needs_bash
@pytest.mark.parametrize(("paths", "code"), [(str(SAMPLES / "cloudformation" / "good"), "0"),
                                             (str(SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml"),
                                              "1")])
def test_the_scan_step_runs_and_reports_the_exit_code(tmp_path, paths, code):
    output, files, _ = run_scan_step(tmp_path, paths, "--fail-level warning")
    assert output == f"exit-code={code}\n"
    assert len(files) == int(code)


@pytest.fixture
def legacy(tmp_path):
    """infra/ (clean) and legacy/ (E9508 in a.yaml, E9501 in b.yaml), which a team leaves out with --exclude."""
    bad = SAMPLES / "cloudformation" / "bad"
    for name, source in (("legacy/a.yaml", bad / "e9508-tls13-only-policy.yaml"),
                         ("legacy/b.yaml", bad / "e9501-tcp-to-self-signed-backend.yaml"),
                         ("infra/ok yaml/api.yaml", SAMPLES / "cloudformation" / "good" / "rest-api-nlb-tls-listener.yaml")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, tmp_path / name)
    return tmp_path


@needs_bash
@pytest.mark.parametrize("args", ["--exclude legacy/*", '--exclude "legacy/*"', "--exclude 'legacy/*'",
                                  "--fail-level warning\n--exclude legacy/*\n"])
def test_a_glob_in_args_reaches_tlspath_as_written(legacy, args):
    """bash's word splitting would expand legacy/* to legacy/a.yaml legacy/b.yaml (b.yaml then a PATH, always
    read), and keep the quotes YAML users write literal (a pattern matching nothing)."""
    assert run_scan_step(legacy, ".", args)[:2] == ("exit-code=0\n", [])


@needs_bash
def test_paths_are_split_as_a_shell_splits_them_and_nothing_in_them_runs(legacy):
    assert run_scan_step(legacy, "'infra/ok yaml' legacy/b.yaml", "")[:2] == ("exit-code=1\n", ["legacy/b.yaml"])
    assert run_scan_step(legacy, "infra/*", "$(touch ran) `touch ran`")[0] == "exit-code=2\n"
    assert not (legacy / "ran").exists()
    output, files, err = run_scan_step(legacy, ".", '--exclude "legacy/*')
    assert (output, files) == ("exit-code=2\n", [])
    assert err == "tlspath action: cannot split the args input: No closing quotation\n"


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
