"""Every path of a run as one graph, for the Mermaid and DOT reporters.

A resource on many paths (a load balancer behind ten integrations) is one node; each path adds its hops as a
tree (targets under their target group, certificates under their listener). Nodes are grouped by the file
that defines them; a certificate --probe read is in no file and says where it was seen instead of a line. A
node says what it is (its role), its line, whether API Gateway's TLS session ends there and whether API
Gateway validates its certificate -- "when C" if only some paths through it say so -- and the rules of the
findings about it, coloured by the gravest level. Where the files leave a path open, a node says what is
unknown. Roles are whatever the paths hold: a role without a shape of its own is drawn as a box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from linter.findings import Finding, Route, ScanResult, TraceStep
from linter.path import Role
from linter.rule import SEVERITY

Key = tuple[str, ...]


@dataclass
class Node:
    id: str
    role: str  # a linter.path.Role value, or "gap"
    title: str  # the resource's name, or what is unknown
    file: str  # "" for a gap, or what no file holds
    line: int | None
    seen_at: str = ""  # HOST:PORT of a certificate --probe read
    routes: int = 0  # how many paths pass through it
    tls_ends: list[str] = field(default_factory=list)  # the conditions of each path on which TLS ends here
    validated: list[str] = field(default_factory=list)  # ... on which API Gateway validates its certificate
    level: str | None = None  # the gravest level of the findings about it
    rules: list[str] = field(default_factory=list)  # the rules of those findings

    def marks(self) -> list[str]:
        """What to say about TLS here: "TLS ends here", "validated by API Gateway (when UseTls is true)"."""
        said = []
        for text, conditions in (("TLS ends here", self.tls_ends),
                                 ("certificate validated by API Gateway", self.validated)):
            if conditions:
                partial = len(conditions) < self.routes and any(conditions)
                said.append(f"{text} (when {'; '.join(sorted(set(filter(None, conditions))))})" if partial else text)
        return said

    def lines(self) -> list[str]:
        """The node's text, line by line: what it is, its name, its line, what happens to TLS there."""
        kind = "not in the files" if self.role == "gap" else Role(self.role).label
        found = [", ".join(sorted(set(self.rules)))] if self.rules else []
        where = [f"seen at {self.seen_at}"] if self.seen_at else [f"line {self.line}"] if self.line else []
        return [kind, self.title, *where, *self.marks(), *found]


@dataclass
class Graph:
    nodes: dict[Key, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], None] = field(default_factory=dict)  # insertion-ordered set

    def node(self, key: Key, role: str, title: str, file: str = "", line: int | None = None, seen_at: str = "") -> Node:
        if key not in self.nodes:
            self.nodes[key] = Node(f"n{len(self.nodes) + 1}", role, title, file, line, seen_at)
        return self.nodes[key]

    def grouped(self, node: Callable[[Node, str], str], opening: Callable[[int, str], list[str]],
                closing: str) -> list[str]:
        """The nodes' lines (``node(node, indent)``) in one group per file that defines them -- a Mermaid
        subgraph, a DOT cluster: ``opening(number, file)`` ... ``closing`` -- and gaps outside any."""
        files: dict[str, list[Node]] = {}
        for each in self.nodes.values():
            files.setdefault(each.file, []).append(each)
        lines = []
        for number, (file, nodes) in enumerate(files.items(), 1):
            if not file:
                lines += [node(each, "  ") for each in nodes]
                continue
            lines += [*opening(number, file), *(node(each, "    ") for each in nodes), closing]
        return lines


def _key(step: TraceStep) -> Key:
    return (step.role, step.file, step.resource)


def _add(graph: Graph, route: Route) -> None:
    nodes = [graph.node(_key(hop.step), hop.step.role, hop.step.resource, hop.step.file, hop.step.line,
                        hop.step.seen_at or "") for hop in route.hops]
    for node, hop in zip(nodes, route.hops):
        node.routes += 1
        if hop.tls_ends:
            node.tls_ends.append(route.conditions)
        if hop.validated:
            node.validated.append(route.conditions)
        if hop.parent is not None:
            graph.edges[(nodes[hop.parent].id, node.id)] = None
    for gap in route.gaps:
        parent = nodes[gap.parent] if gap.parent is not None else (nodes[-1] if nodes else None)
        title = f"unknown {Role(gap.role).label}: {gap.reason}"
        node = graph.node(("gap", parent.id if parent else "", title), "gap", title)
        if parent is not None:
            graph.edges[(parent.id, node.id)] = None


def _blame(graph: Graph, finding: Finding) -> None:
    """Mark the hop the finding names (found on the finding's own path) with its rule and level."""
    step = next((step for step in finding.trace if step.resource == finding.resource), None)
    node = graph.nodes.get(_key(step)) if step is not None else None
    if node is None:
        return
    node.rules.append(finding.rule)
    if node.level is None or SEVERITY[finding.level] > SEVERITY[node.level]:
        node.level = finding.level


def build(result: ScanResult) -> Graph:
    graph = Graph()
    for route in result.paths:
        _add(graph, route)
    for finding in result.findings:
        _blame(graph, finding)
    return graph
