"""Terraform plan JSON (``terraform show -json plan.out``) to the neutral model.

Values come from ``planned_values`` (``count``/``for_each`` expanded, conditionals decided, child modules
included); links come from ``configuration`` references, because ARNs and ids are unknown until apply
(integration-notes.md §5). A reference lists names, not index expressions: ``aws_instance.web[count.index].id``
shows as ``["aws_instance.web", "count.index"]``, so a reference to a resource with several instances is
joined to the instance with the referring instance's own index when it names ``count.index``/``each.key``,
and is otherwise reported as unresolved.

Plan JSON has no source lines. When the configuration sits next to the plan in the scanned tree, each
resource points at its ``.tf`` block and arguments; otherwise at the plan file, with the address as the name.
Sensitive values are never read into the model.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.evidence import find_evidence
from linter.findings import InputError
from linter.model import (
    InlinePrivateKey, Location, Model, Placement, Reference, Suppression, TlsEvidence, Unknown, as_items, known_str,
    step_into,
)
from linter.parse.documents import position_in
from linter.parse.terraform import ordering
from linter.parse.terraform.declarations import CONFIGURATION_SUFFIXES
from linter.parse.terraform.embedded import as_document
from linter.frontend import inside
from linter.parse.terraform.hcl import Attribute, Block
from linter.parse.terraform.modules import Module, Sources, arn_account, is_identity, list_dir
from linter.parse.terraform.resources import BUILDERS, in_region, part_offset, tls_evidence, value_evidence
from linter.parse.terraform.values import index_text
from linter.secrets import private_key_offset

if TYPE_CHECKING:
    from linter.frontend import Candidate

_REFERENCE = re.compile(r'([A-Za-z_][\w-]*)|\[(\d+|"(?:[^"\\]|\\.)*")\]|\.')
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_SUPPLY = "scan the .tf configuration (tlspath evaluates it) together with or instead of the plan"


def is_plan(document: object) -> bool:
    """Whether a loaded JSON document is ``terraform show -json`` output."""
    return isinstance(document, dict) and "format_version" in document and "planned_values" in document


def build_plan_model(candidate: Candidate, document: dict, sources: Sources,
                     judged: frozenset[str] = frozenset()) -> tuple[Model, list[InputError]]:
    """The plan's model; empty when ``judged`` (the real paths of the root modules the run reads from their
    ``.tf`` files) holds the configuration the plan was made from and the plan gives its variables no value
    of its own: that scan judges the same resources with values followed to the lines they are written on,
    and the plan would only repeat its findings at other lines -- or, where plan JSON keeps no value (a local,
    the output behind ``module.x[each.key]``), contradict them with an I9513."""
    version = str(document.get("format_version", ""))
    if version.split(".", 1)[0] != "1":
        return Model(candidate.path), [InputError(candidate.path, None, f"plan JSON format_version {version or '?'} "
                                                  "is not supported (tlspath reads 1.x)")]
    plan = Plan(candidate.path, document, sources, candidate.root)
    model = Model(candidate.path)
    if plan.folder is not None and os.path.realpath(plan.folder) in judged and plan.uses_defaults():
        return model, []
    for resource in plan.resources.values():
        builder = BUILDERS.get(resource.type)
        if builder is not None:
            for built in builder(resource, plan):
                model.add(built)
    for key in plan.private_keys():
        model.add(key)
    return model, []


@dataclass(frozen=True)
class _Index:
    value: int | str


def _parse_reference(text: str) -> list[str | _Index]:
    """``module.app.aws_lb.main[0].arn`` -> ["module", "app", "aws_lb", "main", _Index(0), "arn"]."""
    steps: list[str | _Index] = []
    for match in _REFERENCE.finditer(text):
        if match.group(1):
            steps.append(match.group(1))
        elif match.group(2):
            index = match.group(2)
            steps.append(_Index(int(index) if index.isdigit() else json.loads(index)))
    return steps


def _get(node: Any, *keys: str, default: Any = None) -> Any:
    """A nested member of the plan document, or ``default`` when the document has another shape there."""
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    if default is None:
        return node
    return node if isinstance(node, type(default)) else default


def _is_expression(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= {"references", "constant_value"}


class Plan:
    """A plan document, indexed for following references (implements the builders' ``Lookup``)."""

    def __init__(self, file: str, document: dict, sources: Sources, root: str):
        self.file, self.sources, self.root = file, sources, root
        self.variables = _get(document, "variables", default={})
        self.config_root = _get(document, "configuration", "root_module", default={})
        self.provider_config = _get(document, "configuration", "provider_config", default={})
        self.changes = {c["address"]: _get(c, "change", default={})
                        for c in _get(document, "resource_changes", default=[])
                        if isinstance(c, dict) and isinstance(c.get("address"), str)}
        self.resources: dict[str, PlanResource] = {}
        self.instances: dict[str, list[PlanResource]] = {}  # address without index -> instances
        self.module_instances: set[str] = set()  # module.a["x"].module.b
        self._config_resources: dict[tuple[str, ...], dict[tuple[str, str, str], dict]] = {}  # per module: by mode, type, name
        self._read_module(_get(document, "planned_values", "root_module", default={}), "")
        self.folder = self._configuration_folder()

    def _read_module(self, module: Any, prefix: str, depth: int = 0) -> None:
        if not isinstance(module, dict) or depth > 32:
            return
        for entry in _get(module, "resources", default=[]):
            if isinstance(entry, dict) and entry.get("mode") == "managed" and isinstance(entry.get("address"), str):
                resource = PlanResource(self, entry, prefix)
                self.resources[resource.name] = resource
                self.instances.setdefault(resource.base, []).append(resource)
        for child in _get(module, "child_modules", default=[]):
            if isinstance(child, dict) and isinstance(child.get("address"), str):
                self.module_instances.add(child["address"])
                self._read_module(child, child["address"] + ".", depth + 1)

    def uses_defaults(self) -> bool:
        """Whether every root variable the plan records has the default its declaration gives."""
        declared = _get(self.config_root, "variables", default={})
        return all(isinstance(entry, dict) and "default" in _get(declared, name, default={})
                   and entry.get("value") == declared[name]["default"] for name, entry in self.variables.items())

    # ------------------------------------------------------------------------------- configuration

    def config_module(self, prefix: str) -> dict:
        """The configuration of a module instance (``module.a["x"].`` -> module_calls.a.module)."""
        module = self.config_root
        for name in _module_names(prefix):
            module = _get(module, "module_calls", name, "module", default={})
        return module

    def config_resource(self, prefix: str, kind: str, name: str, mode: str = "managed") -> dict:
        """A resource's (or, with ``mode="data"``, a data source's) configuration entry, from an index of its
        module's entries made once (a scan per resource would make reading a plan quadratic in its resources)."""
        module = tuple(_module_names(prefix))
        if module not in self._config_resources:
            entries: dict[tuple[str, str, str], dict] = {}
            for entry in _get(self.config_module(prefix), "resources", default=[]):
                if isinstance(entry, dict) and isinstance(entry.get("type"), str) and isinstance(entry.get("name"), str):
                    entries.setdefault((str(entry.get("mode", "managed")), entry["type"], entry["name"]), entry)
            self._config_resources[module] = entries
        return self._config_resources[module].get((mode, kind, name), {})

    def _configuration_folder(self) -> str | None:
        """The root module the plan was made from, when its ``.tf`` files sit next to the plan."""
        folder = os.path.dirname(self.file) or "."
        if not any(n.endswith(CONFIGURATION_SUFFIXES) for n in list_dir(folder)):
            return None
        module = self.sources.module(folder, self.root)
        wanted = {(r.type, r.label) for r in self.resources.values() if not r.prefix}
        return folder if wanted and wanted <= set(module.resources) else None

    def hcl_module(self, prefix: str) -> Module | None:
        """The ``.tf`` files of a module instance of the plan, when they are in the scanned tree."""
        if self.folder is None:
            return None
        folder, config = self.folder, self.config_root
        for name in _module_names(prefix):
            source = _get(config, "module_calls", name, "source", default="")
            if not source.startswith(("./", "../")):
                return None
            folder = os.path.normpath(os.path.join(folder, source))
            config = _get(config, "module_calls", name, "module", default={})
        return self.sources.module(folder, self.root) if inside(folder, self.root) else None

    def call_suppressions(self, prefix: str) -> tuple[Suppression, ...]:
        """The suppressions on the ``module`` blocks a module instance is called through, innermost first."""
        found: list[Suppression] = []
        while prefix:
            parent, name, _ = _parent(prefix)
            module = self.hcl_module(parent)
            call = module.calls.get(name) if module is not None else None
            found.extend(call.suppressions if call is not None else ())
            prefix = parent
        return tuple(found)

    # ----------------------------------------------------------------------------------- references

    def follow(self, expression: Any, prefix: str, index: Any, depth: int = 0) -> Any:
        """The value an expression of the configuration stands for, in module instance ``prefix``."""
        if not _is_expression(expression) or depth > 32:
            return None
        if "constant_value" in expression:
            return expression["constant_value"]
        references = _outermost([r for r in _get(expression, "references", default=[]) if isinstance(r, str)])
        own_index = index if any(r in ("count.index", "each.key", "each.value") for r in references) else None
        own_key = index if any(r in ("count.index", "each.key") for r in references) else None
        for reference in references:
            steps = _parse_reference(reference)
            value = self._module_instance_output(steps, prefix, own_key, depth) if steps[:1] == ["module"] \
                and len(steps) == 2 else self._reference(steps, prefix, own_index, depth)
            if value is not None:
                return value
        if not references:
            return None
        return Unknown(f"the value comes from {', '.join(references)}, which plan JSON does not resolve", _SUPPLY)

    def follow_each(self, expression: dict, prefix: str, index: Any, depth: int) -> Any:
        """A list written from references: one value per resource named -- every instance of a resource
        named without an index (``[for g in aws_lb_target_group.x : g.arn]``, ``aws_instance.web[*].id``)."""
        references = _outermost([r for r in _get(expression, "references", default=[]) if isinstance(r, str)])
        values: dict[str, Any] = {}
        for reference in references:
            steps = _parse_reference(reference)
            value = self.follow({"references": [reference]}, prefix, index, depth)
            if isinstance(value, Unknown) and len(steps) >= 2 and steps[0] not in ordering.NOT_RESOURCES | {"var", "local",
                                                                                                   "module", "data"}:
                instances = self.instances.get(f"{prefix}{steps[0]}.{steps[1]}", [])
                if len(instances) > 1 and not any(isinstance(s, _Index) for s in steps):
                    attribute = next((s for s in steps[2:] if isinstance(s, str)), "id")
                    value = [instance.attribute(attribute, depth + 1) for instance in instances]
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    values.setdefault(item.key if isinstance(item, Reference) else f"{reference}#{len(values)}", item)
        return list(values.values()) or self.follow(expression, prefix, index, depth)

    def _reference(self, steps: list, prefix: str, index: Any, depth: int) -> Any:
        if len(steps) < 2 or not isinstance(steps[0], str) or steps[0] in ordering.NOT_RESOURCES:
            return None
        head = steps[0]
        if head == "var":
            return self._variable(str(steps[1]), prefix, depth)
        if head == "module":
            return self._module_output(steps, prefix, depth)
        if head == "data":
            return Unknown(f"{'.'.join(map(str, steps[:3]))} is read from the cloud account at plan time", _SUPPLY)
        if head == "local":
            return None  # plan JSON does not expand local values; another reference may say more
        kind, name, rest = head, steps[1], steps[2:]
        explicit = None
        if rest and isinstance(rest[0], _Index):
            explicit, rest = rest[0].value, rest[1:]
        target = self._instance(f"{prefix}{kind}.{name}", explicit, index)
        if isinstance(target, Unknown) or target is None:
            return target
        attribute = next((s for s in rest if isinstance(s, str)), "id")
        return target.attribute(attribute, depth + 1)

    def _instance(self, base: str, explicit: Any, own_index: Any) -> PlanResource | Unknown | None:
        instances = self.instances.get(base)
        if not instances:
            return Unknown(f"{base} is not in the plan", _SUPPLY) if self.instances else None
        if explicit is not None:
            return self.resources.get(base + index_text(explicit)) or Unknown(
                f"{base}{index_text(explicit)} is not in the plan", "plan the configuration that declares it")
        if len(instances) == 1 and instances[0].index is None:
            return instances[0]
        if own_index is not None and base + index_text(own_index) in self.resources:
            return self.resources[base + index_text(own_index)]
        return Unknown(f"the reference names one of the {len(instances)} instances of {base}, and plan JSON does not "
                       "say which", _SUPPLY)

    def _variable(self, name: str, prefix: str, depth: int) -> Any:
        if not prefix:
            if _get(self.config_root, "variables", name, "sensitive") is True:
                return Unknown(f"variable '{name}' is sensitive; tlspath does not read it",
                               "scan the configuration with the value in a .tfvars file instead of the plan")
            entry = self.variables.get(name)
            return entry.get("value") if isinstance(entry, dict) else None
        parent, call, index = _parent(prefix)
        expression = _get(self.config_module(parent), "module_calls", call, "expressions", name)
        return self.follow(expression, parent, index, depth + 1)

    def _module_instance_output(self, steps: list, prefix: str, key: Any, depth: int) -> Any:
        """``module.svc[each.key].vpc_link_id``, which plan JSON lists as ``module.svc`` and ``each.key``: a
        computed index drops the rest of the reference. The referring instance's own key names the module
        instance; the output is the module's only one, or -- with several -- unknown (the plan does not say
        which, and picking one would be a guess)."""
        name = str(steps[1])
        call = _get(self.config_module(prefix), "module_calls", name, default={})
        if key is None or not ({"for_each_expression", "count_expression"} & set(call)):
            return None
        child = f"{prefix}module.{name}{index_text(key)}"
        if child not in self.module_instances:
            return Unknown(f"{child} is not in the plan", "plan the configuration that declares it")
        outputs = sorted(_get(call, "module", "outputs", default={}))
        if len(outputs) != 1:
            return Unknown(f"the value is {'one of the outputs ' + ', '.join(outputs) if outputs else 'an output'} "
                           f"of {child}, and plan JSON does not say which (it drops the output's name after a "
                           f"computed index such as module.{name}[each.key])", _SUPPLY)
        return self._module_output(["module", name, _Index(key), outputs[0]], prefix, depth)

    def _module_output(self, steps: list, prefix: str, depth: int) -> Any:
        name, rest = str(steps[1]), steps[2:]
        child = f"{prefix}module.{name}"
        if rest and isinstance(rest[0], _Index):
            child, rest = child + index_text(rest[0].value), rest[1:]
        if not rest:
            return None
        output = _get(self.config_module(child + "."), "outputs", str(rest[0]), "expression")
        return self.follow(output, child + ".", None, depth + 1)

    # -------------------------------------------------------------------------------------- Lookup

    def view(self, value: Any) -> PlanResource | None:
        if isinstance(value, Reference) and value.key.startswith(self.file + "#"):
            return self.resources.get(value.key[len(self.file) + 1:])
        return None

    def named(self, kind: str, name: Any) -> PlanResource | None:
        return self._by_name.get((kind, name)) if isinstance(name, str) else None

    def of_type(self, kind: str) -> list[PlanResource]:
        return self._by_type.get(kind, [])

    @functools.cached_property
    def _by_name(self) -> dict[tuple[str, str], PlanResource]:
        index: dict[tuple[str, str], PlanResource] = {}
        for resource in self.resources.values():
            if isinstance(name := resource.get("name"), str):
                index.setdefault((resource.type, name), resource)
        return index

    @functools.cached_property
    def _by_type(self) -> dict[str, list[PlanResource]]:
        index: dict[str, list[PlanResource]] = {}
        for resource in self.resources.values():
            index.setdefault(resource.type, []).append(resource)
        return index

    def written_from(self, kind: str, view: Any) -> list[PlanResource]:
        if not isinstance(view, PlanResource):
            return []
        read = f"{view.type}.{view.label}"
        return [resource for resource in self.of_type(kind)
                if resource.prefix == view.prefix and read in _references(resource.config)]

    def source_of(self, view: Any, argument: str) -> PlanResource | None:
        return self.view(view.get(argument))

    def waits_for(self, view: Any, others: Sequence[Any]) -> bool | None:
        """Whether terraform creates ``view`` after one of ``others`` (see ``Lookup`` and :mod:`ordering`), from
        the references and ``depends_on`` of the configuration's resources and data sources. A plan does not
        hold what a local or a module's output reads, nor the ``depends_on`` of a module call: reaching one, or
        starting inside a module, is unknown."""
        if not isinstance(view, PlanResource):
            return None
        wanted = {f"{other.type}.{other.label}" for other in others
                  if isinstance(other, PlanResource) and other.prefix == view.prefix}
        if not wanted:
            return None
        return ordering.waits_for(f"{view.type}.{view.label}", lambda name: self._reads(view.prefix, name),
                                  wanted.__contains__)

    def _reads(self, prefix: str, name: str) -> Iterator[str | None]:
        """What the configuration entry of a resource or data source (``name``, in the module at ``prefix``)
        waits for: the objects it reads and names in ``depends_on``; ``None`` for what a plan does not hold (a
        local's or an output's expression, a module variable's argument, a module call's ``depends_on``)."""
        if prefix:
            yield None
        parts = name.split(".")
        config = self.config_resource(prefix, parts[1], parts[2], "data") if parts[0] == "data" else \
            self.config_resource(prefix, parts[0], parts[1])
        depends = _get(config, "depends_on", default=[])
        for read in _references(config) | {str(d) for d in (depends if isinstance(depends, list) else [])}:
            kind = ordering.kind_of(read)
            if kind in ("resource", "data"):
                yield ordering.object_name(read)
            elif kind in ("local", "module") or (kind == "var" and prefix):
                yield None

    # --------------------------------------------------------------------------------- private keys

    def private_keys(self) -> Iterator[InlinePrivateKey]:
        """Private keys written as literals in the configuration (``constant_value``); never printed. When
        the ``.tf`` files are in the tree, their own scan reports the key at its line instead."""
        seen: set[tuple[str, str]] = set()
        for resource in self.resources.values():
            if resource.block() is not None:
                continue
            for name, expression in _get(resource.config, "expressions", default={}).items():
                text = expression.get("constant_value") if _is_expression(expression) else None
                if isinstance(text, str) and private_key_offset(text) is not None and (resource.base, name) not in seen:
                    seen.add((resource.base, name))
                    yield InlinePrivateKey(key=f"{resource.key}/{name}", name=resource.base, loc=resource.at(name),
                                           field_name=name)


def _references(node: Any, depth: int = 0) -> set[str]:
    """Every reference an entry of the configuration makes (its arguments, ``for_each``, ``count``), without
    indexes: ``aws_acm_certificate.api[0].arn`` is read as ``aws_acm_certificate.api.arn`` and its prefixes."""
    if depth > 32:
        return set()
    if isinstance(node, list):
        return set().union(*(_references(item, depth + 1) for item in node))
    if not isinstance(node, dict):
        return set()
    found = set().union(*(_references(value, depth + 1) for key, value in node.items() if key != "references"))
    for reference in node.get("references", []) if isinstance(node.get("references"), list) else []:
        steps = [step for step in _parse_reference(str(reference)) if isinstance(step, str)]
        found.update(".".join(steps[:end]) for end in range(1, len(steps) + 1))
    return found


def _outermost(references: list[str]) -> list[str]:
    """Terraform lists ``aws_lb.x.arn`` and also ``aws_lb.x``; the container adds nothing."""
    return [r for r in references if not any(o != r and o.startswith((r + ".", r + "[")) for o in references)]


def _module_names(prefix: str) -> list[str]:
    steps = _parse_reference(prefix)
    return [str(steps[i + 1]) for i, s in enumerate(steps[:-1]) if s == "module" and isinstance(steps[i + 1], str)]


def _parent(prefix: str) -> tuple[str, str, Any]:
    """``module.a.module.b["x"].`` -> (``module.a.``, ``b``, ``"x"``)."""
    position = prefix.rstrip(".").rfind("module.")
    parent, own = prefix[:position], prefix[position:].rstrip(".")
    steps = _parse_reference(own)
    return parent, str(steps[1]), steps[2].value if len(steps) > 2 and isinstance(steps[2], _Index) else None


class PlanResource:
    """One planned resource instance, as builders read it (implements the builders' ``View``)."""

    condition = None

    def __init__(self, plan: Plan, entry: dict, prefix: str):
        self.plan, self.prefix = plan, prefix
        self.name: str = entry["address"]
        self.type = str(entry.get("type"))
        self.label = str(entry.get("name"))
        self.index = entry.get("index")
        self.base = f"{prefix}{self.type}.{self.label}"
        self.key = f"{plan.file}#{self.name}"
        self.values = _get(entry, "values", default={})
        self.sensitive = _get(entry, "sensitive_values", default={})
        self.unknown = _get(plan.changes.get(self.name), "after_unknown", default={})
        self.config = plan.config_resource(prefix, self.type, self.label)
        self._block: Block | None | bool = False

    @property
    def loc(self) -> Location:
        block = self.block()
        return Location(block.file, *block.position) if block is not None else Location(self.plan.file)

    @property
    def suppressions(self) -> tuple[Suppression, ...]:
        """Those on the ``.tf`` block it was planned from and on the ``module`` blocks it was made through: a
        plan itself has no comments."""
        block = self.block()
        return (*(block.suppressions if block is not None else ()), *self.plan.call_suppressions(self.prefix))

    def block(self) -> Block | None:
        """The ``.tf`` block this instance was planned from, when it is in the scanned tree."""
        if self._block is False:
            module = self.plan.hcl_module(self.prefix)
            self._block = module.resources.get((self.type, self.label)) if module is not None else None
        return self._block  # type: ignore[return-value]

    def attribute(self, name: str, depth: int = 0) -> Any:
        """``type.name.attribute`` as another resource reads it."""
        if is_identity(self.type, name):
            return Reference(self.key, name)
        value = self._merged(name, depth)
        return Reference(self.key, name) if value is None or isinstance(value, Unknown) else value

    def get(self, *path: Any) -> Any:
        if self.values.get(path[0]) is None and path[0] not in _get(self.config, "expressions", default={}):
            return None  # not written: the provider's default, even where the plan leaves its value to apply
        value = self._merged(path[0], 0)
        for key in path[1:]:
            value = step_into(value, key)
        return value

    def _merged(self, name: str, depth: int) -> Any:
        expressions = _get(self.config, "expressions", default={})
        return self._merge(self.values.get(name), expressions.get(name), self.unknown.get(name),
                           self.sensitive.get(name), name, depth)

    def _merge(self, value: Any, expression: Any, unknown: Any, sensitive: Any, what: str, depth: int) -> Any:
        """A planned value with the configuration's references filled in where the plan does not know it."""
        if sensitive is True:
            return Unknown(f"{self.name}.{what} is sensitive; tlspath does not read it",
                           "scan the configuration instead of the plan")
        if depth > 40:
            return Unknown(f"{self.name}.{what} is nested too deeply")
        if isinstance(value, dict) and not _is_expression(expression):
            keys = [*value, *(k for k in (expression if isinstance(expression, dict) else {}) if k not in value),
                    *(k for k in (unknown if isinstance(unknown, dict) else {}) if k not in value)]
            return {k: self._merge(value.get(k), _at(expression, k), _at(unknown, k), _at(sensitive, k),
                                   f"{what}.{k}", depth + 1) for k in keys}
        if isinstance(value, list) and isinstance(expression, list):
            return [self._merge(v, _at(expression, i), _at(unknown, i), _at(sensitive, i), f"{what}[{i}]", depth + 1)
                    for i, v in enumerate(value)]
        if value is not None:
            return value
        if _is_expression(expression) and isinstance(sensitive, list) and "references" in expression:
            # a list argument (sensitive_values shows the shape) built from references: one element each
            return self.plan.follow_each(expression, self.prefix, self.index, depth)
        if _is_expression(expression):
            found = self.plan.follow(expression, self.prefix, self.index, depth)
            if found is not None:
                return found
        if unknown is True:
            return Unknown(f"{self.name}.{what} is only known after apply", _SUPPLY)
        return None

    def at(self, *path: Any) -> Location:
        block = self.block()
        if block is None:
            return Location(self.plan.file)
        body, place = block.body, Location(block.file, *block.position)
        for key in path:
            if isinstance(key, int):
                continue
            attribute = body.attributes.get(key)
            if attribute is not None:
                return Location(attribute.file, *attribute.position)
            nested = body.blocks_of(str(key))
            if not nested:
                break
            body, place = nested[0].body, Location(nested[0].file, *nested[0].position)
        return place

    def placement(self) -> Placement:
        """Its ``region`` argument's region when the configuration writes one (the planned value: a provider v6
        plan fills the ``region`` attribute of every resource in), else the provider configuration's."""
        provider = self._provider_placement()
        written = self.type.startswith("aws_") and "region" in _get(self.config, "expressions", default={})
        return in_region(provider, self.get("region") if written else None, self.at("region"))

    def _provider_placement(self) -> Placement:
        """The region and account of the provider configuration the plan resolved for this resource."""
        key = str(self.config.get("provider_config_key", ""))
        entry = _get(self.plan.provider_config, key, default={})
        if not entry:
            return Placement()
        module, _, name = key.rpartition(":")
        prefix = f"{module}." if module else ""
        expressions = _get(entry, "expressions", default={})
        roles = [role for role in _get(expressions, "assume_role", default=[]) if isinstance(role, dict)]
        role = known_str(self.plan.follow(roles[0].get("role_arn"), prefix, None)) if roles else None
        accounts = as_items(self.plan.follow(expressions.get("allowed_account_ids"), prefix, None))
        account = arn_account(role) if roles else known_str(accounts[0]) if len(accounts) == 1 else None
        module_files = self.plan.hcl_module(prefix)
        block = module_files.provider_block(name) if module_files is not None else None
        region = block.body.attributes.get("region") if block is not None else None
        where = Location(block.file, *(region.position if region is not None else block.position)) if block is not None \
            else Location(self.plan.file)
        return Placement(known_str(self.plan.follow(expressions.get("region"), prefix, None)), account,
                         f"provider {name}", where)

    def document(self, name: str) -> Any:
        value = self.get(name)
        return None if value is None else as_document(value)

    def script(self, name: str, part: Callable[[Any], Any] | None = None) -> TlsEvidence | None:
        """A certificate-making command in a script: in the ``.tf`` text when it is in the tree (the plan
        only holds a hash of ``aws_instance.user_data``), else in the planned text; or a ``tls_*``
        certificate the configuration hands to it. ``part``: only what that part of the planned value holds
        (one container's commands), located where the ``.tf`` text writes that part."""
        block = self.block()
        attribute = block.body.attributes.get(name) if block is not None else None
        source = self.plan.sources.by_path.get(attribute.file) if attribute is not None else None
        written = source.source(attribute.expr) if source is not None and attribute is not None else ""
        if part is not None:
            return self._part_evidence(name, part, written, attribute)
        if attribute is not None:
            found = find_evidence(written)
            if found:
                return TlsEvidence(found[0], Location(attribute.file,
                                                      *position_in(written, found[1], attribute.value_position)))
        planned = self.values.get(name)
        if isinstance(planned, str) and not _SHA1.match(planned):
            evidence = value_evidence(_decoded(planned), self.at(name))
            if evidence is not None:
                return evidence
        expression = _get(self.config, "expressions", name)
        for reference in _get(expression, "references", default=[]):
            steps = _parse_reference(reference)
            if len(steps) >= 3 and steps[-1] == "cert_pem":
                found_tls = tls_evidence(Reference(f"{self.plan.file}#{self.prefix}{steps[0]}.{steps[1]}",
                                                   "cert_pem"), self.at(name))
                if found_tls is not None:
                    return found_tls
        return None

    def _part_evidence(self, name: str, part: Callable[[Any], Any], written: str,
                       attribute: Attribute | None) -> TlsEvidence | None:
        """What ``part`` of a planned script argument shows, at the line the ``.tf`` text writes it."""
        planned = self.values.get(name)
        piece = part(planned)
        evidence = value_evidence(piece, self.at(name))
        offset = None if evidence is None or attribute is None else part_offset(evidence.sign, written, piece)
        if evidence is None or offset is None or attribute is None:
            return evidence
        return TlsEvidence(evidence.sign,
                           Location(attribute.file, *position_in(written, offset, attribute.value_position)))


def _at(container: Any, key: Any) -> Any:
    if isinstance(container, dict):
        return container.get(key)
    if isinstance(container, list) and isinstance(key, int) and key < len(container):
        return container[key]
    return None


def _decoded(text: str) -> str:
    """User data is often planned base64-encoded (launch templates); read what the instance runs."""
    compact = "".join(text.split())
    if len(compact) >= 16 and re.fullmatch(r"[A-Za-z0-9+/=]+", compact):
        try:
            return base64.b64decode(compact, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return text
    return text
