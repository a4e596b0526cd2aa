"""The distribution ships every package of the engine (an editable install would hide a missing one)."""

from __future__ import annotations

import pytest

from conftest import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def test_every_engine_package_is_in_the_distribution():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "linter").rglob("__init__.py")}
    assert on_disk | {"linter.rules"} == set(config["packages"])
    assert config["package-dir"] == {"linter.rules": "rules"}
