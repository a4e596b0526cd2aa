"""Dependencies point down: cli -> invocation -> scan -> front ends / engine -> model and findings.

A front end or the ACM lookup that imported the scan (even for a type) would tie every front end to every
other and to the command line; a reporter that imported the engine would load the whole analysis to print a
result. Read from the source with ``ast``: imports inside functions and ``TYPE_CHECKING`` blocks count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "linter"

COMMAND = ("linter.scan", "linter.invocation", "linter.cli")  # the run and the command line, at the top
FRONT_ENDS = ("linter.parse", "linter.frontends")

# module (or package) -> what it must never import, because it sits above it
FORBIDDEN = {
    "linter.invocation": ("linter.cli", "linter.report"),
    "linter.scan": ("linter.invocation", "linter.cli", "linter.report"),
    "linter.config": (*COMMAND, "linter.report"),
    "linter.acm": (*COMMAND, "linter.report"),
    "linter.parse": (*COMMAND, "linter.report", "linter.engine", "linter.frontends"),
    "linter.report": (*COMMAND, "linter.engine", *FRONT_ENDS),
    "linter.engine": (*COMMAND, "linter.report", *FRONT_ENDS),
    "linter.rule": (*COMMAND, "linter.report", "linter.engine", "linter.walk", *FRONT_ENDS),
    "linter.walk": (*COMMAND, "linter.report", "linter.engine", *FRONT_ENDS),
    "linter.path": (*COMMAND, "linter.report", "linter.engine", "linter.walk", "linter.conditions", *FRONT_ENDS),
    "linter.conditions": (*COMMAND, "linter.report", "linter.engine", "linter.walk", "linter.path", *FRONT_ENDS),
    "linter.names": (*COMMAND, "linter.report", "linter.engine", "linter.walk", "linter.path", "linter.conditions",
                     *FRONT_ENDS),
    "linter.frontend": (*COMMAND, "linter.report", *FRONT_ENDS),
    "linter.discover": (*COMMAND, "linter.report", *FRONT_ENDS),
    "linter.model": (*COMMAND, "linter.report", "linter.engine", "linter.rule", "linter.walk", "linter.path",
                     "linter.conditions", *FRONT_ENDS),
    "linter.findings": ("linter.",),
}
LEAVES = ("linter.memory",)  # imported anywhere: they import nothing of tlspath


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever the import statement stands."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from linter import scan`
    return found


def governed(name: str) -> list[str]:
    return [prefix for prefix in FORBIDDEN if name == prefix or name.startswith(prefix + ".")]


MODULES = sorted(path for path in PACKAGE.rglob("*.py") if governed(module_name(path)))


def is_within(name: str, forbidden: str) -> bool:
    return name.startswith(forbidden) if forbidden.endswith(".") else name == forbidden or name.startswith(forbidden + ".")


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_module_imports_a_layer_above_it(path):
    name = module_name(path)
    forbidden = [f for prefix in governed(name) for f in FORBIDDEN[prefix]]
    upward = sorted(i for i in imports(path)
                    if any(is_within(i, f) for f in forbidden) and not any(is_within(i, leaf) for leaf in LEAVES))
    assert upward == [], f"{name} imports {upward}"


def test_the_rule_covers_the_front_ends_and_acm():
    """The test above proves something only if it reads the modules the layering is about."""
    names = {module_name(path) for path in MODULES}
    assert {"linter.acm", "linter.parse.cloudformation", "linter.parse.terraform", "linter.parse.terraform.plan",
            "linter.report.text", "linter.engine", "linter.findings"} <= names


@pytest.mark.parametrize("leaf", LEAVES)
def test_a_leaf_imports_nothing_of_tlspath(leaf):
    path = ROOT / (leaf.replace(".", "/") + ".py")
    assert not [name for name in imports(path) if name == "linter" or name.startswith("linter.")]
