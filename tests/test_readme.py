"""The README's rule table is generated from the catalogue: one row per rule (id linking to the rule's file,
level, title), in catalogue order. A rule added, removed or retitled without the README fails here; the table
is rewritten on request, like the snapshots::

    TLSPATH_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_readme.py
"""

from __future__ import annotations

import os
import re

from conftest import ROOT
from linter.rules import catalogue

README = ROOT / "README.md"
UPDATE = os.environ.get("TLSPATH_UPDATE_SNAPSHOTS") == "1"
TABLE = re.compile(r"^\| id \| level \| what \|\n(?:\|.*\n)+", re.MULTILINE)


def rule_table() -> str:
    rows = ["| id | level | what |", "|---|---|---|"]
    for rule in catalogue():
        module = rule.__module__.rsplit(".", 1)[-1]
        rows.append(f"| [{rule.id}](rules/{module}.py) | {rule.level()} | {rule.title} |")
    return "\n".join(rows) + "\n"


def test_the_readme_rule_table_is_the_catalogue():
    text = README.read_text(encoding="utf-8")
    found = TABLE.findall(text)
    assert len(found) == 1, "the README has exactly one rule table (| id | level | what |)"
    if UPDATE:
        README.write_text(text.replace(found[0], rule_table()), encoding="utf-8")
    assert found[0] == rule_table() or UPDATE, ("the README's rule table differs from the catalogue; run "
                                                 "TLSPATH_UPDATE_SNAPSHOTS=1 pytest tests/test_readme.py and review it")
