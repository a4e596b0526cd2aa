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

# module (or package) -> what it must never import, because it sits above it
FORBIDDEN = {
    "linter.parse": ("linter.scan", "linter.cli", "linter.report", "linter.engine", "linter.frontends"),
    "linter.invocation": ("linter.cli", "linter.report"),
    "linter.scan": ("linter.invocation", "linter.cli", "linter.report"),
    "linter.config": ("linter.invocation", "linter.scan", "linter.cli", "linter.report"),
    "linter.acm": ("linter.scan", "linter.cli", "linter.report"),
    "linter.engine": ("linter.scan", "linter.cli", "linter.report", "linter.parse", "linter.frontends"),
    "linter.report": ("linter.scan", "linter.cli", "linter.engine", "linter.parse", "linter.frontends"),
    "linter.findings": ("linter.",),
    "linter.path": ("linter.walk", "linter.conditions", "linter.engine", "linter.scan", "linter.cli", "linter.report",
                    "linter.parse", "linter.frontends"),
    "linter.walk": ("linter.engine", "linter.scan", "linter.cli", "linter.report", "linter.parse", "linter.frontends"),
    "linter.conditions": ("linter.path", "linter.walk", "linter.engine", "linter.scan", "linter.cli", "linter.report",
                          "linter.parse", "linter.frontends"),
    "linter.names": ("linter.path", "linter.walk", "linter.conditions", "linter.engine", "linter.scan", "linter.cli",
                     "linter.report", "linter.parse", "linter.frontends"),
    "linter.frontend": ("linter.scan", "linter.cli", "linter.report", "linter.parse", "linter.frontends"),
    "linter.discover": ("linter.scan", "linter.cli", "linter.report", "linter.parse", "linter.frontends"),
}


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
    upward = sorted(i for i in imports(path) if any(is_within(i, f) for f in forbidden))
    assert upward == [], f"{name} imports {upward}"


def test_the_rule_covers_the_front_ends_and_acm():
    """The test above proves something only if it reads the modules the layering is about."""
    names = {module_name(path) for path in MODULES}
    assert {"linter.acm", "linter.parse.cloudformation", "linter.parse.terraform", "linter.parse.terraform.plan",
            "linter.report.text", "linter.engine", "linter.findings"} <= names
