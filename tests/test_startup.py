"""What a ``tlspath`` run loads: a pre-commit hook pays every import on every commit, so heavy libraries load
only when the input needs them (cryptography for a PEM, python-hcl2 for Terraform; cfn-lint, boto3, networkx
and sympy never without --acm or the cfn-lint pack) -- and YAML/JSON that cannot be a template or a plan is
not even parsed.

Behavioural, not timed: the installed ``tlspath`` runs in a subprocess with ``PYTHONPROFILEIMPORTTIME=1``
(the environment form of ``-X importtime``), and the modules it lists are checked. Speed itself is measured by
``benchmarks/run.py``.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import linter.scan
from conftest import ROOT, SAMPLES

TLSPATH = shutil.which("tlspath", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(TLSPATH is None, reason=f"no tlspath next to {sys.executable}")

HEAVY = {"cfnlint", "samtranslator", "boto3", "botocore", "hcl2", "lark", "networkx", "sympy", "cryptography"}
PEM_MARK = "-----BEGIN CERTIFICATE-----"
CFN_SAMPLES = sorted(p for p in (SAMPLES / "cloudformation").rglob("*") if p.suffix in (".yaml", ".json"))


def imported(*args: object) -> set[str]:
    """Top-level names of every module ``tlspath ARGS`` imported."""
    return {name.split(".", 1)[0] for name in modules_imported(*args)}


def modules_imported(*args: object) -> set[str]:
    """The full name of every module ``tlspath ARGS`` imported beyond what the interpreter imports on its own
    (a site's ``.pth`` files may load ``certifi`` and ``importlib.resources`` into every process)."""
    names = _import_log([TLSPATH, *map(str, args)])
    assert "linter.cli" in names  # the import log was captured
    return names - _interpreter_alone()


@functools.cache
def _interpreter_alone() -> frozenset[str]:
    return frozenset(_import_log([sys.executable, "-c", "pass"]))


def _import_log(command: list[str]) -> set[str]:
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("args", [["--version"], ["--list-rules"]], ids=" ".join)
def test_metadata_commands_import_nothing_heavy(args):
    assert imported(*args) & HEAVY == set()


@pytest.mark.parametrize("sample", CFN_SAMPLES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_a_template_imports_cryptography_only_for_a_pem(sample):
    modules = imported(sample.relative_to(ROOT))
    has_pem = PEM_MARK in sample.read_text(encoding="utf-8")
    assert modules & HEAVY == ({"cryptography"} if has_pem else set())


def test_the_samples_include_both_kinds():
    """The test above proves something only if both branches run."""
    kinds = {PEM_MARK in p.read_text(encoding="utf-8") for p in CFN_SAMPLES}
    assert kinds == {True, False}


def test_a_template_alone_loads_no_terraform_evaluator_git_runner_or_digests():
    """What the pre-commit case pays for and need not: the Terraform evaluator (only --var and .tf files need
    it), ``subprocess`` (only --changed-since starts git), ``hashlib`` and the shipped trust store's resource
    loader (only baselines, CI formats and certificates need them)."""
    modules = modules_imported(SAMPLES.relative_to(ROOT) / "cloudformation" / "bad" /
                               "e9501-tcp-to-self-signed-backend.yaml")
    unneeded = {"linter.parse.terraform.variables", "linter.parse.terraform.evaluate", "subprocess", "hashlib",
                "importlib.resources"}
    assert modules & unneeded == set()


TERRAFORM_MODULES = sorted({p.parent for p in (SAMPLES / "terraform").rglob("*.tf")})


@pytest.mark.parametrize("module", TERRAFORM_MODULES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_a_terraform_module_imports_the_hcl_parser_and_cryptography_only_for_a_pem(module):
    modules = imported(module.relative_to(ROOT))
    has_pem = any(PEM_MARK in p.read_text(encoding="utf-8", errors="replace") for p in module.rglob("*") if p.is_file())
    assert modules & HEAVY == {"hcl2", "lark"} | ({"cryptography"} if has_pem else set())


def test_yaml_and_json_that_cannot_be_templates_are_not_parsed(tlspath, write, monkeypatch):
    """A hook hands over every changed .json: a package-lock.json is dismissed on a text test."""
    parsed = []
    load_document = linter.scan.load_document
    monkeypatch.setattr(linter.scan, "load_document",
                        lambda text, path: parsed.append(path) or load_document(text, path))
    lock = write("package-lock.json", json.dumps({"name": "orders", "packages": {"node_modules/a": {"version": "1"}}}))
    workflow = write(".github/workflows/ci.yml", "on: [push]\njobs: {test: {runs-on: ubuntu-latest}}\n")
    template = write("stack.yaml", (SAMPLES / "cloudformation" / "good" / "rest-api-nlb-tls-listener.yaml").read_text())
    run = tlspath(lock, workflow, template)
    assert (run.code, run.err) == (0, "")
    assert parsed == [str(template)]
