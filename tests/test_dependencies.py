"""Every module tlspath imports is a declared dependency, and only what a run needs is installed by default.

A module that is imported but only present because something else pulls it in (``lark``, through
python-hcl2) breaks the day that something stops; one declared but needed by few runs (boto3 for ``--acm``,
cfn-lint for the rule pack) makes every install heavier. The imports are read from the source with ``ast``,
wherever the import statement stands (inside functions too), and mapped to the distributions that provide
them as installed in this environment.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys

import pytest

from conftest import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

# The imports that may come from an extra, and which: everything else must be installed by default.
FROM_EXTRAS = {"boto3": "acm", "botocore": "acm", "cfnlint": "cfn-lint"}


def distribution(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name is not None, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> the files that import it, for every module that is neither tlspath's nor Python's."""
    found: dict[str, set[str]] = {}
    for path in [*(ROOT / "linter").rglob("*.py"), *(ROOT / "rules").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("linter", "__future__"):
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def providers(module: str) -> set[str]:
    """The distributions that install a top-level module (its own name when none is installed here: tomli on
    Python 3.11+, imported only below it)."""
    installed = importlib.metadata.packages_distributions().get(module, [module])
    return {distribution(name) for name in installed}


IMPORTS = third_party_imports()


def test_the_scan_found_the_imports_it_is_about():
    assert {"yaml", "hcl2", "lark", "cryptography", "certifi", "boto3", "cfnlint"} <= set(IMPORTS)


@pytest.mark.parametrize("module", sorted(IMPORTS))
def test_every_imported_module_is_declared(module):
    default = {distribution(r) for r in PROJECT["dependencies"]}
    extra = FROM_EXTRAS.get(module)
    declared = default | ({distribution(r) for r in PROJECT["optional-dependencies"][extra]} if extra else set())
    where = f"the {extra!r} extra" if extra else "[project] dependencies"
    assert providers(module) & declared, (f"{module} (imported by {', '.join(sorted(IMPORTS[module]))}) is not "
                                          f"declared in {where} of pyproject.toml")


def test_extras_hold_what_few_runs_need():
    """boto3 only for --acm, cfn-lint only for the rule pack; the test extra pulls both in."""
    default = {distribution(r) for r in PROJECT["dependencies"]}
    assert not default & {"boto3", "botocore", "cfn-lint"}
    extras = PROJECT["optional-dependencies"]
    assert {distribution(r) for r in extras["acm"]} == {"boto3", "botocore"}
    assert {distribution(r) for r in extras["cfn-lint"]} == {"cfn-lint"}
    assert any(re.fullmatch(r"tlspath\[(acm,cfn-lint|cfn-lint,acm)\]", r) for r in extras["test"])


ACM_WITHOUT_BOTO3 = """
import sys
sys.modules["boto3"] = None  # the import system then fails to import it, as in an install without the extra
from linter.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_acm_without_boto3_says_how_to_install_it(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", ACM_WITHOUT_BOTO3, "--acm", str(template)], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("tlspath: error: --acm needs boto3")
    assert "[acm]" in done.stderr
