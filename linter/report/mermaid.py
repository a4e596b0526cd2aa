"""Mermaid flowchart of every path (GitHub, GitLab and most Markdown viewers render it in place).

Nodes are shaped by role and grouped in a subgraph per file; the hop where API Gateway's TLS session
ends is drawn thick, the certificate it validates in bold, hops with findings filled by level, and what the
files leave open dashed. Text from the files is made inert and then written as Mermaid entity codes
(``#35;``) wherever it is not plain, so no name can close a label or open a directive.
"""

from __future__ import annotations

import re

from linter.findings import ScanResult
from linter.report import ReportSettings
from linter.report.escape import visible
from linter.report.graph import Node, build

_SHAPES = {  # role: (opening, closing) around the quoted label
    "integration": ('(["', '"])'), "vpc_link": ('[["', '"]]'), "load_balancer": ('{{"', '"}}'),
    "listener": ('[/"', '"/]'), "target_group": ('("', '")'), "target": ('[("', '")]'), "certificate": ('>"', '"]'),
    "dns_record": ('[\\"', '"/]'), "elastic_ip": ('(("', '"))'), "endpoint": ('[\\"', '"\\]'),
}
_CLASSES = {
    "error": "fill:#fde2e2,stroke:#b91c1c,color:#7f1d1d", "warning": "fill:#fef3c7,stroke:#b45309,color:#78350f",
    "info": "fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a", "tlsEnds": "stroke-width:4px",
    "validated": "font-weight:bold", "gap": "stroke-dasharray:6 4,color:#555",
}
_PLAIN = re.compile(r"[^A-Za-z0-9 .,:;/()_+=@'!?*-]")


def label(text: str) -> str:
    """Text as it may stand inside a quoted Mermaid label: anything but plain characters as ``#code;``."""
    return _PLAIN.sub(lambda match: f"#{ord(match.group())};", visible(text))


def _node(node: Node, indent: str) -> str:
    opening, closing = _SHAPES.get(node.role, ('["', '"]'))
    return f"{indent}{node.id}{opening}{'<br/>'.join(label(line) for line in node.lines())}{closing}"


def _subgraph(number: int, file: str) -> list[str]:
    return [f'  subgraph f{number}["{label(file)}"]']


def _classes(node: Node) -> list[str]:
    return [name for name, on in ((node.level or "", node.level), ("tlsEnds", node.tls_ends),
                                  ("validated", node.validated), ("gap", node.role == "gap")) if on]


def render(result: ScanResult, settings: ReportSettings) -> str:
    graph = build(result)
    lines = ["flowchart LR", f"  %% tlspath: {len(result.paths)} path{'s' if len(result.paths) != 1 else ''}"]
    lines += graph.grouped(_node, _subgraph, "  end")
    lines += [f"  {source} --> {target}" for source, target in graph.edges]
    classes = [(node.id, name) for node in graph.nodes.values() for name in _classes(node)]
    used = {name for _, name in classes}
    lines += [f"  classDef {name} {style}" for name, style in _CLASSES.items() if name in used]
    lines += [f"  class {node_id} {name}" for node_id, name in classes]
    return "\n".join(lines) + "\n"
