"""Registrations written on the target's side, the same in every front end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from linter.model import Location, Reference, Target, TargetAttachment, as_items


def registrations(target: Target, entries: Any, field_name: str, at: Callable[[str, int], Location],
                  target_group_of: Callable[[Any], Any]) -> Iterator[TargetAttachment]:
    """One attachment per entry of a target's list of target groups (an Auto Scaling group's
    ``TargetGroupARNs``, an ECS service's load balancers), located at the entry."""
    for index, entry in enumerate(as_items(entries)):
        yield TargetAttachment(key=f"{target.key}/{field_name}/{index}", name=target.name, loc=at(field_name, index),
                               condition=target.condition, ignored=target.ignored,
                               target_group=target_group_of(entry), target=Reference(target.key, "id"))
