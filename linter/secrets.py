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
            yield from _walk(node, str(name) if section == "Resources" else f"{section}/{name}")


def _walk(root: Any, owner: str) -> Iterator[FoundKey]:
    """Depth first, without recursion, visiting each shared node (a YAML alias) once; a node's path is only
    spelled out when a key is found there, so the walk costs one step per node of a large template."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple, int]] = [(root, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, str):
            offset = private_key_offset(node) if "PRIVATE KEY" in node else None
            if offset is not None:
                line = line_of(node)
                if line is not None:
                    line += (1 if getattr(node, "block", False) else 0) + node.count("\n", 0, offset)
                field = ".".join(p for p in _spelled(path) if p != "Properties") or owner
                yield FoundKey(owner, field, line)
        elif isinstance(node, (dict, list)) and depth <= 100 and id(node) not in seen:
            seen.add(id(node))
            items = list(node.items() if isinstance(node, dict) else enumerate(node))
            stack.extend((value, (path, key), depth + 1) for key, value in reversed(items))


def _spelled(path: tuple) -> list[str]:
    """``((((), "Properties"), "UserData"), 0)`` -> ``["Properties", "UserData", "0"]``."""
    steps: list[str] = []
    while path:
        path, step = path
        steps.append(str(step))
    return steps[::-1]
