"""What a module's blocks declare, and how override files change them -- as Terraform loads a module.

Terraform rejects a module that declares the same resource, data source, module call, variable, output,
local value or provider configuration twice outside override files, and an override block with nothing to
override. tlspath reports both as input errors that name both places, and goes on with the first
declaration, so the rest of the module is still checked.

Override files (``override.tf``, ``*_override.tf`` and their ``.tf.json`` forms) are applied after the
module's other files, in lexical order of their names and then block by block ("Override Files" in
Terraform's documentation):

* a block merges into the block with the same header (type and labels; a provider configuration by name and
  ``alias``), and local values one by one, whichever ``locals`` block holds them;
* each argument of the override replaces the argument of the same name; ``count`` and ``for_each`` replace
  each other;
* each nested block type the override writes (``default_action``, or ``dynamic "default_action"``)
  replaces *all* blocks of that type, except a resource's ``lifecycle``, which merges argument by argument;
* ``terraform`` blocks change nothing tlspath reads.

The merged block keeps the base block's place (the resource is still declared where it was), and every
argument keeps its own -- a finding about an argument the override set points into the override file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.parse.terraform.hcl import Attribute, Block, Body, string_parts, subtrees

if TYPE_CHECKING:
    from lark import Tree

CONFIGURATION_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")  # a module's files: Terraform's, OpenTofu's
OVERRIDE_NAMES = tuple(f"override{suffix}" for suffix in CONFIGURATION_SUFFIXES)
OVERRIDE_SUFFIXES = tuple(f"_override{suffix}" for suffix in CONFIGURATION_SUFFIXES)
_TOFU_FORMS = ((".tf.json", ".tofu.json"), (".tf", ".tofu"))


def is_override(name: str) -> bool:
    """Whether a module's file is an override file (by its name, as Terraform and OpenTofu decide)."""
    return name in OVERRIDE_NAMES or name.endswith(OVERRIDE_SUFFIXES)


def loaded(names: list[str]) -> list[str]:
    """The configuration files of a folder that are read: OpenTofu (1.8 on) reads ``.tofu``/``.tofu.json``
    files like ``.tf``/``.tf.json`` ones, and ignores ``x.tf`` when ``x.tofu`` is there (``x.tf.json`` when
    ``x.tofu.json`` is) -- so a module can hold an OpenTofu form of a file beside the Terraform one. Terraform
    ignores ``.tofu`` files; tlspath reads a folder as OpenTofu does, which is Terraform's reading whenever the
    folder has no ``.tofu`` file."""
    present = set(names)
    return [name for name in names
            if not any(name.endswith(tf) and name[:-len(tf)] + tofu in present for tf, tofu in _TOFU_FORMS)]


@dataclass(frozen=True)
class Kind:
    """A kind of declaration: the :class:`~linter.parse.terraform.modules.Module` table it goes to and the
    labels its block takes."""

    table: str
    labels: int


KINDS = {"variable": Kind("variables", 1), "output": Kind("outputs", 1), "module": Kind("calls", 1),
         "resource": Kind("resources", 2), "data": Kind("data", 2), "provider": Kind("providers", 1)}
LOCAL = Kind("locals", 0)


def key_of(block: Block) -> Hashable:
    """How a declaration is told apart: its labels (a name, or a type and a name), and for a provider
    configuration its name and ``alias``."""
    if block.type == "provider":
        return block.labels[0], literal_argument(block, "alias")
    return block.labels[0] if len(block.labels) == 1 else block.labels


def header(block_type: str, key: Hashable) -> str:
    """A declaration as people recognise it: ``resource "aws_lb" "main"``, ``local value "name"``."""
    if block_type == "locals":
        return f'local value "{key}"'
    if block_type == "provider" and isinstance(key, tuple):
        name, alias = key
        return f'provider "{name}"' + (f' with alias "{alias}"' if alias is not None else " (without alias)")
    labels = key if isinstance(key, tuple) else (key,)
    return " ".join([block_type, *(f'"{label}"' for label in labels)])


def literal_argument(block: Block, name: str) -> str | None:
    """An argument written as a plain string (a module's ``source``, a provider's ``alias``); ``None`` when
    it is absent or computed."""
    attribute = block.body.attributes.get(name)
    return None if attribute is None else literal_text(attribute.expr)


def literal_text(node: Tree) -> str | None:
    """An expression written as a plain string, without interpolations."""
    inner = subtrees(node)
    if node.data == "expr_term" and len(inner) == 1 and inner[0].data == "string":
        parts = string_parts(inner[0])
        if all(isinstance(p, str) for p in parts):
            return "".join(parts)  # type: ignore[arg-type]
    return None


_COUNTING = ("count", "for_each")
_COUNTED = ("resource", "data", "module")


def merge(base: Block, override: Block) -> Block:
    """``base`` with an override block applied (see the module docstring)."""
    attributes: dict[str, Attribute] = dict(base.body.attributes)
    if base.type in _COUNTED and any(name in override.body.attributes for name in _COUNTING):
        for name in _COUNTING:
            attributes.pop(name, None)
    attributes.update(override.body.attributes)
    replaced = {_nested_type(block) for block in override.body.blocks}
    kept = [block for block in base.body.blocks if _nested_type(block) not in replaced]
    added = [_lifecycle(base, block) for block in override.body.blocks]
    return dataclasses.replace(base, body=Body(attributes, tuple(kept + added)),
                               suppressions=(*base.suppressions, *override.suppressions))


def _nested_type(block: Block) -> str:
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


def _lifecycle(base: Block, block: Block) -> Block:
    """A resource's ``lifecycle`` override merges into the base's ``lifecycle`` argument by argument."""
    if base.type not in ("resource", "data") or block.type != "lifecycle":
        return block
    original = next((b for b in base.body.blocks if b.type == "lifecycle"), None)
    return block if original is None else merge(original, block)
