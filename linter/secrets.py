"""Private key material written into infrastructure code (E9512), whatever the format.

A key committed to a repository is compromised whether or not an API Gateway path uses it; only generated
keys (``tls_private_key``) and references to secret stores are fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from linter.parse.documents import line_of

PRIVATE_KEY = re.compile(r"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----")


def private_key_offset(text: str) -> int | None:
    """Where PEM private key material starts in ``text``, if anywhere."""
    match = PRIVATE_KEY.search(text)
    return None if match is None else match.start()


@dataclass(frozen=True)
class FoundKey:
    owner: str  # the resource (or Parameters/Outputs entry) the key is written in
    field: str  # the property path inside it, dotted
    line: int | None


_SECTIONS = ("Resources", "Parameters", "Outputs", "Mappings", "Globals")


def find_private_keys(template: dict) -> Iterator[FoundKey]:
    """Every string of a decoded template that holds private key material, with its line."""
    for section in _SECTIONS:
        entries = template.get(section)
        if not isinstance(entries, dict):
            continue
        for name, node in entries.items():
            owner = str(name) if section == "Resources" else f"{section}/{name}"
            yield from _walk(node, owner, [], set(), 0)


def _walk(node: Any, owner: str, path: list[str], seen: set[int], depth: int) -> Iterator[FoundKey]:
    if depth > 100 or id(node) in seen:  # YAML aliases share nodes: visit each once
        return
    if isinstance(node, str):
        offset = private_key_offset(node)
        if offset is not None:
            line = line_of(node)
            if line is not None:
                line += (1 if getattr(node, "block", False) else 0) + node.count("\n", 0, offset)
            field = ".".join(p for p in path if p != "Properties") or owner
            yield FoundKey(owner, field, line)
        return
    if isinstance(node, (dict, list)):
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from _walk(value, owner, [*path, str(key)], seen, depth + 1)
