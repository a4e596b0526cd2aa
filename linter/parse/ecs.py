"""ECS task definitions as both front ends read them: which container a service's load balancers send traffic
to. Only that container's commands show the certificate API Gateway meets; a sidecar's never do. CloudFormation
spells the keys ``Name``/``ContainerName``, Terraform (the ECS API's JSON) ``name``/``container_name``: the caller
says which."""

from __future__ import annotations

from linter.model import Value, as_items, known_str


def load_balanced_container(containers: Value, entries: Value, name_key: str, entry_key: str) -> int | None:
    """The position of the container an ECS service's load balancers send traffic to -- the only container of
    the task, or the one every load balancer entry names (``ContainerName``, ``container_name``); ``None`` when
    that cannot be told (names unknown, entries naming different containers, no container of that name)."""
    if not isinstance(containers, list):
        return None
    if len(containers) == 1:
        return 0
    names = {known_str(entry.get(entry_key)) if isinstance(entry, dict) else None for entry in as_items(entries)}
    name = next(iter(names)) if len(names) == 1 else None
    named = [index for index, container in enumerate(containers)
             if name is not None and isinstance(container, dict) and known_str(container.get(name_key)) == name]
    return named[0] if len(named) == 1 else None

