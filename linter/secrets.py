"""Private key material written into infrastructure code (E9512), whatever the format.

A key committed to a repository is compromised whether or not an API Gateway path uses it; only generated
keys (``tls_private_key``) and references to secret stores are fine. Key material is a whole PEM block: the
header, a base64 body as long as a real key's, the matching footer -- in PKCS#1/SEC1 (``RSA``/``EC``/``DSA``),
PKCS#8 (plain or ``ENCRYPTED``), OpenSSH and legacy encrypted PEM (``Proc-Type``/``DEK-Info`` lines) forms,
its lines broken by newlines or written as ``\\n`` escapes in a quoted string. The header alone is not a key:
a description that says what the secret looks like, a boot script that checks a key it fetched at boot
(``grep -q -- "-----BEGIN PRIVATE KEY-----"``) -- the practice E9512's fix recommends -- are not findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from linter.parse.documents import written_at

_HEADER = re.compile(r"-----BEGIN ((?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY)-----")
_ENCRYPTION = re.compile(r"(?:Proc-Type|DEK-Info):[^\r\n\\]*")  # legacy encrypted PEM: lines before the body
_BODY = re.compile(r"(?:\s|\\[rn]|[A-Za-z0-9+/=])*")  # base64 and line breaks (newlines, or \n escapes)
_NOT_BASE64 = re.compile(r"\\[rn]|[^A-Za-z0-9+/=]")
SHORTEST_KEY = 60  # base64 characters: the shortest real private key (Ed25519 in PKCS#8) has 64
LONGEST_KEY = 20_000  # characters from header to footer: an RSA key of 16,384 bits takes about 12,700


def private_key_offset(text: str) -> int | None:
    """Where PEM private key material starts in ``text``, if anywhere."""
    footers: dict[str, int] = {}  # the next footer of each kind: looked for once per footer, not per header
    for header in _HEADER.finditer(text):
        label, start = header.group(1), header.end()
        if footers.get(label, -1) < start and footers.get(label) != len(text):
            found = text.find(f"-----END {label}-----", start)
            footers[label] = len(text) if found < 0 else found
        footer = footers[label]
        if footer - start > LONGEST_KEY:
            continue
        body = _ENCRYPTION.sub("", text[start:footer])
        if _BODY.fullmatch(body) and len(_NOT_BASE64.sub("", body)) >= SHORTEST_KEY:
            return header.start()
    return None


@dataclass(frozen=True)
class FoundKey:
    """Private key material written in a template, and where."""

    owner: str  # the resource (or Parameters/Outputs entry) the key is written in
    field: str  # the property path inside it, dotted
    line: int | None
    column: int | None


_SECTIONS = ("Resources", "Parameters", "Outputs", "Mappings", "Globals")


def find_private_keys(template: dict) -> Iterator[FoundKey]:
    """Every string of a decoded template that holds private key material, with its line and column."""
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
                field = ".".join(p for p in _spelled(path) if p != "Properties") or owner
                yield FoundKey(owner, field, *written_at(node, offset))
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
