"""Graphviz DOT of every path (``tlspath --format dot . | dot -Tsvg > paths.svg``).

Nodes are shaped by role and clustered by file; the hop where API Gateway's TLS session ends is drawn
thick, the certificate it validates double-lined, hops with findings filled by level, and what the files
leave open dashed. Text from the files is made inert and then quoted for DOT (backslashes and quotes
escaped), so no name can end a label or smuggle in a Graphviz escape such as ``\\N``.
"""

from __future__ import annotations

from linter.findings import ScanResult
from linter.report import ReportSettings
from linter.report.escape import visible
from linter.report.graph import Node, build

_SHAPES = {"integration": "oval", "vpc_link": "cds", "load_balancer": "hexagon", "listener": "parallelogram",
           "target_group": "box", "target": "cylinder", "certificate": "note", "dns_record": "invtrapezium",
           "elastic_ip": "circle", "endpoint": "box3d"}
_FILL = {"error": ("#fde2e2", "#b91c1c"), "warning": ("#fef3c7", "#b45309"), "info": ("#dbeafe", "#1d4ed8")}


def quoted(text: str) -> str:
    """Text as a DOT quoted string."""
    return '"' + visible(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _node(node: Node, indent: str) -> str:
    attributes = {"label": "\\n".join(quoted(line)[1:-1] for line in node.lines()),
                  "shape": _SHAPES.get(node.role, "box")}
    styles = ["dashed"] if node.role == "gap" else []
    if node.level is not None:
        attributes["fillcolor"], attributes["color"] = _FILL[node.level]
        styles.append("filled")
    if node.tls_ends:
        attributes["penwidth"] = "3"
    if node.validated:
        attributes["peripheries"] = "2"
    if styles:
        attributes["style"] = ",".join(styles)
    listed = ", ".join(f'{key}="{value}"' for key, value in attributes.items())
    return f"{indent}{node.id} [{listed}];"


def _cluster(number: int, file: str) -> list[str]:
    return [f"  subgraph cluster_{number} {{", f"    label={quoted(file)};", '    style="rounded";']


def render(result: ScanResult, settings: ReportSettings) -> str:
    graph = build(result)
    lines = ["digraph tlspath {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=10];']
    lines += graph.grouped(_node, _cluster, "  }")
    lines += [f"  {source} -> {target};" for source, target in graph.edges]
    return "\n".join([*lines, "}"]) + "\n"
