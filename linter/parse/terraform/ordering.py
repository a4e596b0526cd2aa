"""Terraform's creation order, as W9518 asks it: does terraform create a resource only after another one?

Terraform orders an object after everything its arguments and ``depends_on`` read -- resources, data
sources, locals, variables, module outputs -- and after what those wait for. Both readers of a configuration
(the ``.tf`` modules, and a plan's ``configuration``) answer the question with :func:`waits_for`; they differ
only in what a name reads there, and in what they cannot see.

Data sources are followed in both: a data source whose arguments read a resource is read once that resource
exists (during apply), so whatever reads the data source waits for the resource too. Calling every ``data.*``
unknown would only silence the rule for a listener that reads, say, ``data.aws_subnet.x``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

NOT_RESOURCES = frozenset({"count", "each", "path", "terraform", "self"})  # names no object is behind

Node = TypeVar("Node", bound=Hashable)


def kind_of(name: str) -> str | None:
    """What a dotted name a configuration reads is: ``"local"``, ``"var"``, ``"module"``, ``"data"`` (three
    parts: ``data.TYPE.LABEL``) or ``"resource"`` (``TYPE.LABEL``) -- ``None`` for what terraform orders
    nothing by (``each.key``, ``count.index``, ``path.module``, ``self``) and for a name too short to be one."""
    parts = name.split(".")
    if parts[0] in NOT_RESOURCES or len(parts) < (3 if parts[0] == "data" else 2):
        return None
    return parts[0] if parts[0] in ("local", "var", "module", "data") else "resource"


def object_name(name: str) -> str:
    """The object a name reads from: ``aws_lb.x`` of ``aws_lb.x.arn``, ``data.http.x`` of
    ``data.http.x.response_body`` -- one node per object, however many of its attributes are read."""
    parts = name.split(".")
    return ".".join(parts[:3 if parts[0] == "data" else 2])


def waits_for(start: Node, reads: Callable[[Node], Iterable[Node | None]], wanted: Callable[[Node], bool]) -> bool | None:
    """Whether a ``wanted`` object is among what ``start`` reads, directly or through what those read:
    ``True`` when one is; ``None`` when none is found but ``reads`` could not tell everything (it yielded
    ``None``: a module tlspath cannot read, what a plan does not hold); else ``False``. Each object is read
    once, so reference cycles end."""
    unknown = False
    seen = {start}
    waiting = [start]
    while waiting:
        for node in reads(waiting.pop()):
            if node is None:
                unknown = True
            elif wanted(node):
                return True
            elif node not in seen:
                seen.add(node)
                waiting.append(node)
    return None if unknown else False
