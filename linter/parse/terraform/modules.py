"""Terraform configurations: root modules, module calls, variables, locals, and resource instances.

A folder of ``.tf`` files is one module (:class:`Module`, parsed once per run). A root module with its
variable values is a :class:`Configuration`; every module call in it becomes a :class:`ModuleInstance`
(expanded per ``count``/``for_each`` instance, nested), and every resource block a :class:`ResourceGroup`
whose instances are read attribute by attribute. Local modules (``source = "./..."``) are followed inside the
scanned tree; registry and git modules only when ``terraform init`` left them under ``.terraform/modules``;
anything else is an unresolved hop. ``file()`` and ``templatefile()`` never read outside the scanned tree.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from linter.evidence import offset_of
from linter.conditions import concat
from linter.findings import InputError, reported
from linter.files import tidy
from linter.model import (
    VALUE_FROM, AllOf, Choice, Formula, InlinePrivateKey, Is, Location, Model, Not, Placement, Reference, Suppression,
    TlsEvidence, Unknown, as_items, define, known_int, known_str, opaque, step_into, unread_files,
)
from linter.frontend import inside
from linter.parse.documents import ParseError, position_in, read_text
from linter.parse.terraform import ordering
from linter.parse.terraform.conditions import bool_inputs
from linter.parse.terraform.declarations import (
    CONFIGURATION_SUFFIXES, KINDS, header, is_override, key_of, literal_argument, literal_text, loaded, merge,
)
from linter.parse.terraform.embedded import Unparsed, as_document
from linter.parse.terraform.evaluate import TEMPLATE, Evaluator, Scope, iterate, names_read
from linter.parse.terraform.hcl import (
    Attribute, Block, Body, SourceFile, load_source, name_of, private_keys, subtrees, template_parts,
)
from linter.parse.terraform.installed import Installed, staleness
from linter.parse.terraform.resources import in_region, part_offset, value_evidence
from linter.parse.terraform.types import convert, mismatch, parse_type
from linter.parse.terraform.variables import GivenText, Written, given_at
from linter.parse.terraform.values import (
    CYCLE, EvalError, Located, index_text, Object, SourcedText, StaticError, is_sensitive, origin_of, pending, to_model,
)

if TYPE_CHECKING:
    from lark import Tree

    from linter.parse.terraform.evaluate import Context

MAX_INSTANCES = 256  # count/for_each instances of one block followed; more is not a path anyone reads
MAX_MODULE_DEPTH = 16

# Attributes that identify a resource: always a reference, even where the block writes an argument of the
# same name (``name = "orders"`` on a target group is still followed as the group itself).
IDENTITY = frozenset({"id", "arn", "name", "dns_name", "arn_suffix", "zone_id"})
_AS_WRITTEN = frozenset({("aws_route53_zone", "name")})  # a hosted zone's name is the domain itself


def is_identity(kind: str, name: str) -> bool:
    """Whether ``kind.x.name`` is read as a reference to the resource rather than as its argument: a hosted
    zone's name is read as written, since host names and certificate names are built from it."""
    return name in IDENTITY and (kind, name) not in _AS_WRITTEN
_READERS = ("file", "templatefile", "filebase64")
_TLS_CERTIFICATE = re.compile(r"tls_(?:self|locally)_signed_cert\.[\w-]+")


# ------------------------------------------------------------------------------------------- sources


@dataclass
class Module:
    """The declarations of one folder, override files applied (:mod:`~linter.parse.terraform.declarations`).
    ``errors``: what Terraform would refuse to load (a declaration made twice, an override of nothing)."""

    folder: str
    files: list[SourceFile]
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    calls: dict[str, Block] = field(default_factory=dict)
    providers: dict[tuple[str, str | None], Block] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    unread: list[Location] = field(default_factory=list)  # its files that did not parse: it is incomplete

    @classmethod
    def of(cls, folder: str, files: Sequence[SourceFile], overrides: Sequence[SourceFile] = ()) -> Module:
        """A module from its primary files and its override files (in the order Terraform applies them)."""
        module = cls(folder, [*files, *overrides])
        for source in files:
            for block in source.body.blocks:
                module._declare(block, override=False)
        for source in overrides:
            for block in source.body.blocks:
                module._declare(block, override=True)
        return module

    def provider_block(self, name: str) -> Block | None:
        """The ``provider`` block of configuration ``aws`` or ``aws.use1`` in this module, if it has one."""
        local, _, alias = name.partition(".")
        return self.providers.get((local, alias or None))

    def _declare(self, block: Block, override: bool) -> None:
        if block.type == "locals":
            for name, attribute in block.body.attributes.items():
                self._enter(self.locals, "locals", name, attribute, override)
            return
        kind = KINDS.get(block.type)
        if kind is not None and len(block.labels) == kind.labels:
            self._enter(getattr(self, kind.table), block.type, key_of(block), block, override)

    def _enter(self, table: dict, block_type: str, key: Any, declared: Any, override: bool) -> None:
        first = table.get(key)
        if first is None and override:
            self.errors.append(InputError(declared.file, declared.line, f"{header(block_type, key)} is in an override "
                                          "file, but no other file of the module declares it: there is nothing to "
                                          "override (terraform rejects the module)"))
        elif first is None:
            table[key] = declared
        elif override:
            table[key] = declared if block_type == "locals" else merge(first, declared)
        else:
            self.errors.append(InputError(declared.file, declared.line, f"{header(block_type, key)} is declared twice: "
                                          f"first at {first.file}:{first.line} (terraform rejects the module; "
                                          "tlspath reads the first)"))

    @property
    def runs_remotely(self) -> bool:
        """Whether it runs in HCP Terraform (a ``cloud`` block, ``backend "remote"``): its workspace is chosen
        there."""
        settings = [block for source in self.files for block in source.body.blocks_of("terraform")]
        return any(block.body.blocks_of("cloud") or any(backend.labels[:1] == ("remote",)
                                                        for backend in block.body.blocks_of("backend"))
                   for block in settings)

    def backend(self) -> tuple[str, dict[str, str]] | None:
        """The type and literal settings of its ``terraform { backend "TYPE" { ... } }`` block: where a root
        module keeps its state (``None`` without one, or when its settings are not literal strings)."""
        for source in self.files:
            for settings in source.body.blocks_of("terraform"):
                for block in settings.body.blocks_of("backend"):
                    written = {name: literal_argument(block, name) for name in block.body.attributes}
                    if block.labels and all(value is not None for value in written.values()):
                        return block.labels[0], cast(dict[str, str], written)
        return None

    def local_sources(self) -> Iterator[str]:
        """Folders this module calls with a literal local ``source`` (for telling root modules apart)."""
        for call in self.calls.values():
            source = literal_argument(call, "source")
            if source is not None and _is_local(source):
                yield os.path.normpath(os.path.join(self.folder, source))


def _symbol(node: Tree) -> str | None:
    """A provider configuration as written where one is named: ``aws.use1`` (a bare reference in HCL, a
    string in JSON syntax), ``aws``."""
    inner = subtrees(node)
    if node.data == "expr_term" and len(inner) == 1 and inner[0].data == "identifier":
        return name_of(inner[0])
    return literal_text(node) or max(names_read(node), key=len, default=None)


def _providers_passed(call: Block) -> dict[str, str | None] | None:
    """A module call's ``providers = { aws = aws.use1 }``: the child's name -> the caller's; ``None`` when the
    call passes none (then the child inherits the caller's default configurations)."""
    attribute = call.body.attributes.get("providers")
    if attribute is None:
        return None
    elements = [element for node in attribute.expr.iter_subtrees_topdown() if node.data == "object"
                for element in subtrees(node) if element.data == "object_elem"]
    return {key: _symbol(subtrees(element)[-1]) for element in elements
            for key in [_symbol(subtrees(subtrees(element)[0])[0])] if key is not None}


def _is_local(source: str) -> bool:
    return source in (".", "..") or source.startswith(("./", "../"))


class Sources:
    """The Terraform files of the run, parsed once while they are needed, with the errors met on the way
    (each reported once) and what each file says on its own (private keys, suppressions: :attr:`file_models`,
    found when the file is first parsed).

    A root module's files are let go once its model is built (:meth:`release`): the parse trees of a large
    repository are far more than its models, so a run holds only what later modules may still read."""

    def __init__(self) -> None:
        self._modules: dict[str, Module] = {}
        self._texts: dict[str, str] = {}
        self.errors: list[InputError] = []
        self.file_models: list[Model] = []  # per file read that has private keys or suppressions
        self.parsed_files: set[str] = set()  # every file parsed, by the path findings name
        self.opened: set[str] = set()  # every file opened, parsed or not, as named (-o never overwrites one)
        self.by_path: dict[str, SourceFile] = {}  # by the path findings name (a link's target)
        self._parsed: dict[str, SourceFile | None] = {}
        self._failed: dict[str, Location] = {}  # a file that did not parse -> where it failed
        self._reported: set[InputError] = set()

    def report(self, error: InputError) -> None:
        """Record an input error once, however often its file is parsed again after a release."""
        if error not in self._reported:
            self._reported.add(error)
            self.errors.append(error)

    def release(self, folder: str) -> None:
        """Let go of a folder's module and parsed files; read again, they are parsed again."""
        real = os.path.realpath(folder)
        self._modules.pop(real, None)
        for path in [p for p in self._parsed if os.path.realpath(os.path.dirname(p)) == real]:
            source = self._parsed.pop(path)
            if source is not None and os.path.realpath(os.path.dirname(source.path)) == real:
                self.by_path.pop(source.path, None)

    def module(self, folder: str, root: str) -> Module:
        real = os.path.realpath(folder)
        if real not in self._modules:
            names = loaded(sorted(n for n in list_dir(folder)
                                  if n.endswith(CONFIGURATION_SUFFIXES) and os.path.isfile(os.path.join(folder, n))))
            parsed = [(name, self.parse(tidy(os.path.join(folder, name)), root)) for name in names]
            primary = [source for name, source in parsed if source is not None and not is_override(name)]
            overrides = [source for name, source in parsed if source is not None and is_override(name)]
            module = Module.of(folder, primary, overrides)
            module.unread = [self._failed[path] for path in (tidy(os.path.join(folder, name))
                                                             for name, source in parsed if source is None)
                             if path in self._failed]
            for error in module.errors:
                self.report(error)
            self._modules[real] = module
        return self._modules[real]

    def parse(self, path: str, root: str) -> SourceFile | None:
        """A parsed file, or ``None`` after recording why it cannot be read."""
        if path in self._parsed:
            return self._parsed[path]
        self.opened.add(path)
        source: SourceFile | None = None
        failures: list[InputError] = []
        with reported(failures, path):  # a file that breaks the parser never takes its module down
            try:
                source = load_source(path, root)
            except ParseError as exc:
                failures.append(InputError(path, exc.line, exc.message))
        if source is not None and source.path in self.by_path:  # a link stored as text to a file already read
            source = self.by_path[source.path]
        elif source is not None:
            self.by_path[source.path] = source
            if source.path not in self.parsed_files:
                self.parsed_files.add(source.path)
                with reported(failures, source.path):
                    self._file_model(source)
        for failure in failures:
            self.report(failure)
        if source is None and failures:
            self._failed[path] = Location(failures[0].file, failures[0].line)
        self._parsed[path] = source
        return source

    def _file_model(self, source: SourceFile) -> None:
        """What a file says whoever reads it: the private keys written in it, and its suppressions."""
        model = Model(source.path)
        if "PRIVATE KEY" in source.text:  # what every PEM header says: the other files need no walk
            for owner, field_name, (line, column) in private_keys(source):
                model.add(InlinePrivateKey(key=f"{source.path}#{line}", name=owner,
                                           loc=Location(source.path, line, column), field_name=field_name))
        model.suppressions.extend(source.suppressions)  # judged once per file, whoever reads it
        if model.resources or model.suppressions:
            self.file_models.append(model)

    def text(self, path: str) -> str:
        if path not in self._texts:
            self.opened.add(path)
            self._texts[path] = read_text(path)
        return self._texts[path]

    def read(self, path: Any, base: str, scanned_root: str, function: str) -> SourcedText | Unknown:
        """A file's text for ``file()`` and its kin: ``path`` relative to ``base``, inside the scanned tree only
        (a path out of it is never opened)."""
        full = path_inside(path, base, scanned_root, f"{function}()")
        if isinstance(full, Unknown):
            return full
        if not os.path.isfile(full):
            raise EvalError(f"{function}(): no file '{path}'")
        try:
            return SourcedText(self.text(full), Location(full, 1, 1))
        except ParseError as exc:
            raise EvalError(f"{function}('{path}'): {exc.message}") from None


def path_inside(value: Any, base: str, scanned_root: str, what: str) -> str | Unknown:
    """The path an expression names (relative to ``base``), or why it cannot be read: unknown, or outside the
    scanned tree -- which tlspath never reads (``file()``, module sources, Terragrunt's files and units)."""
    gap = pending(value)
    if gap is not None:
        return gap
    text = known_str(value)
    if text is None:
        raise EvalError(f"{what} needs a path")
    full = os.path.normpath(text if os.path.isabs(text) else os.path.join(base, text))
    if not inside(full, scanned_root):
        return Unknown(f"{what} names '{text}', outside the scanned tree, which tlspath never reads",
                       "scan a folder that contains it too")
    return full


def list_dir(folder: str) -> list[str]:
    """A folder's entries (none when it cannot be listed)."""
    try:
        return os.listdir(folder)
    except OSError:
        return []


# ------------------------------------------------------------------------------------ configuration


class Configuration:
    """One root module with its variable values: everything an expression in it can reach."""

    def __init__(self, module: Module, scanned_root: str, inputs: dict[str, Any], sources: Sources,
                 evaluator: Evaluator, name: str | None = None, unread_var_files: tuple[str, ...] = (),
                 workspace: str | Unknown = "default", remote_state: RemoteStates | None = None):
        self.folder = module.folder
        self.workspace = workspace  # terraform.workspace
        self.remote_state = remote_state  # the scanned root module a terraform_remote_state reads
        self.unread_var_files = unread_var_files  # .tfvars files terraform would load that cannot be read
        self.name = name or module.folder  # a Terragrunt unit runs a module of another folder: keys are the unit's
        self.scanned_root = scanned_root
        self.inputs = inputs
        self.sources = sources
        self.evaluator = evaluator
        self.condition_names: dict[Unknown, str] = {}  # a root variable's unknown value -> "var.NAME"
        self.condition_formulas: dict[str, Formula] = {}  # every undecided condition -> what it stands for
        self.files_read: dict[str, SourcedText] = {}
        self._installed: dict[str, Installed] | None = None
        self._index: dict[str, ResourceInstance] | None = None
        self._by_name: dict[tuple[str, str], ResourceInstance] | None = None
        self.root = ModuleInstance(self, module, "", None, None, ())

    def key(self, address: str) -> str:
        return f"{self.name}#{address}"

    @property
    def unread(self) -> list[Location]:
        """The files of its modules that did not parse."""
        return list(dict.fromkeys(place for instance in self.instances() for place in instance.module.unread))

    def instances(self) -> Iterator[ModuleInstance]:
        """Every module instance of the configuration, the root first."""
        stack = [self.root]
        while stack:
            instance = stack.pop(0)
            yield instance
            for call in instance.calls().values():
                expansion = call.expansion()
                if isinstance(expansion, list):
                    stack.extend(expansion)

    def resources(self) -> Iterator[ResourceInstance]:
        for module in self.instances():
            for group in module.groups().values():
                expansion = group.expansion()
                if isinstance(expansion, list):
                    yield from expansion

    def view(self, value: Any) -> ResourceInstance | None:
        """The resource instance a reference names (for following launch templates, task definitions ...)."""
        if not isinstance(value, Reference):
            return None
        if self._index is None:
            self._index = {resource.key: resource for resource in self.resources()}
        return self._index.get(value.key)

    def named(self, kind: str, name: Any) -> ResourceInstance | None:
        """The resource of a kind whose ``name`` argument is ``name`` (a launch template named by name)."""
        wanted = known_str(name)
        if wanted is None:
            return None
        if self._by_name is None:
            self._by_name = {}
            for resource in self.resources():
                written = known_str(resource.get("name"))
                if written is not None:
                    self._by_name.setdefault((resource.type, written), resource)
        return self._by_name.get((kind, wanted))

    def of_type(self, kind: str) -> list[ResourceInstance] | Unknown:
        """Every instance of a resource type in the configuration (see ``Lookup``): unknown where a file of
        it did not parse, which may declare more."""
        found: list[ResourceInstance] = []
        unread = self.unread
        if unread:
            return unread_files(unread)
        for module in self.instances():
            for group in module.groups().values():
                if group.kind == kind:
                    expansion = group.expansion()
                    if isinstance(expansion, Unknown):
                        return expansion
                    found.extend(expansion)
        return found

    def written_from(self, kind: str, view: Any) -> list[ResourceInstance]:
        """Resources of a type in ``view``'s module whose arguments read ``view``'s block (see ``Lookup``)."""
        if not isinstance(view, ResourceInstance):
            return []
        read = f"{view.type}.{view.group.label}"
        found: list[ResourceInstance] = []
        for group in view.group.module.groups().values():
            if group.kind == kind and read in _names_read(group.block.body):
                expansion = group.expansion()
                found.extend(expansion if isinstance(expansion, list)
                             else [ResourceInstance(group, None, {}, group.module.condition)])
        return found

    def source_of(self, view: Any, argument: str) -> ResourceInstance | None:
        """The resource or data source an argument reads (see ``Lookup``)."""
        value = view.get(argument)
        if isinstance(value, Reference):
            return self.view(value)
        attribute = view.body.attributes.get(argument) if isinstance(view, ResourceInstance) else None
        if attribute is None:
            return None
        data = {tuple(name.split(".")[1:3]) for name in names_read(attribute.expr)
                if name.startswith("data.") and name.count(".") >= 2}
        if len(data) != 1:
            return None
        kind, label = data.pop()
        try:
            source = view.group.module.data(kind, label)
        except EvalError:
            return None
        return source if isinstance(source, ResourceInstance) else None

    def waits_for(self, view: Any, others: Sequence[Any]) -> bool | None:
        """Whether terraform creates ``view`` after one of ``others`` (see ``Lookup``): a walk of what its
        block reads, resource by resource, across locals, module variables, outputs and ``depends_on``."""
        wanted = {(id(other.group.module), f"{other.type}.{other.group.label}") for other in others
                  if isinstance(other, ResourceInstance)}
        if not isinstance(view, ResourceInstance) or not wanted:
            return None
        return ordering.waits_for((view.group.module, f"{view.type}.{view.group.label}"), _reads,
                                  lambda node: (id(node[0]), node[1]) in wanted)

    def installed_module(self, path: str) -> Installed | None:
        """The module ``terraform init`` downloaded for a call (``.terraform/modules/modules.json``)."""
        if self._installed is None:
            self._installed = {}
            manifest = os.path.join(self.folder, ".terraform", "modules", "modules.json")
            try:
                text = read_text(manifest)
                self.sources.opened.add(manifest)
                entries = json.loads(text).get("Modules", [])
            except (ParseError, ValueError, AttributeError):
                entries = []
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(entry.get("Dir"), str):
                    self._installed[entry["Key"]] = Installed(
                        os.path.normpath(os.path.join(self.folder, entry["Dir"])),
                        *(entry.get(name) if isinstance(entry.get(name), str) else None for name in ("Source", "Version")))
        return self._installed.get(path)


class ModuleInstance:
    """One instance of a module: the root, or a call's instance (``module.app``, ``module.app["a"]``)."""

    def __init__(self, config: Configuration, module: Module, address: str, parent: ModuleInstance | None,
                 call: Block | None, names: tuple[tuple[str, Any], ...], condition: str | None = None,
                 path: tuple[str, ...] = (), index: Any = None):
        self.config, self.module, self.address, self.index = config, module, address, index
        self.parent, self.call, self.call_names = parent, call, dict(names)
        self.condition, self.path_names = condition, path
        self._values: dict[tuple[str, str], Any] = {}
        self._evaluating: set[tuple[str, str]] = set()
        self._groups: dict[tuple[str, str], ResourceGroup] | None = None
        self._data: dict[tuple[str, str], ResourceGroup] = {}
        self._calls: dict[str, ModuleCall] | None = None
        self._written_at: dict[str, Location] = {}  # a root variable's .tfvars line, for a value that has none

    def scope(self, file: str, names: dict[str, Any] | None = None) -> Scope:
        return Scope(self, file, names or {})

    def _memo(self, kind: str, name: str, compute: Any) -> Any:
        key = (kind, name)
        if key in self._values:
            return self._values[key]
        if key in self._evaluating:
            raise StaticError(f"{kind} '{name}' refers to itself", CYCLE)
        self._evaluating.add(key)
        try:
            value = self.config.evaluator.kept(compute())
        finally:
            self._evaluating.discard(key)
        self._values[key] = value
        return value

    # ----------------------------------------------------------------------------------- context API

    def _undeclared(self, what: str) -> StaticError:
        """A reference to something the module does not declare -- or may declare in a file that did not parse,
        which is then what the gap names."""
        if not self.module.unread:
            return StaticError(f"no {what} is declared in {self.module.folder}")
        unread = unread_files(self.module.unread)
        return StaticError(f"no {what} is declared in the files of {self.module.folder} that parse; {unread.reason}",
                           unread.supply)

    def variable(self, name: str) -> Any:
        declared = self.module.variables.get(name)
        if declared is None:
            raise self._undeclared(f"variable '{name}'")
        return self._memo("variable", name, lambda: self._variable(name, declared))

    def _variable(self, name: str, declared: Block) -> Any:
        value = self._given(name, declared)
        evaluator = self.config.evaluator
        sensitive = declared.body.attributes.get("sensitive")
        secret = sensitive is not None and evaluator.value(sensitive.expr, self.scope(sensitive.file)) is True
        if secret:  # judged like any other value, never shown (the text as given, too: a conversion may quote it)
            value = evaluator.mark(value)
        constraint = declared.body.attributes.get("type")
        if constraint is not None:
            kind = parse_type(constraint.expr)
            value = convert(value, kind, evaluator, self.scope(constraint.file))
            problem = mismatch(value, kind)
            if problem is not None:
                value = self._refused(declared, value, f"the value is not suitable for its type: {problem}")
        if pending(value) is None and not isinstance(value, Unknown):
            value = self._validated(declared, value)
        return evaluator.mark(value) if secret else value

    def _validated(self, declared: Block, value: Any) -> Any:
        """The value, or -- when a ``validation`` block's condition is false for it -- the refusal terraform
        stops the plan with (a condition not known yet, or not computed, refuses nothing)."""
        scope = Scope(cast("Context", _Validating(self, declared.labels[0], value)), declared.file)
        evaluator = self.config.evaluator
        for validation in declared.body.blocks_of("validation"):
            condition = validation.body.attributes.get("condition")
            if condition is None:
                continue
            at = f"its validation at {tidy(condition.file)}:{condition.line}"
            try:
                holds = evaluator.evaluate(condition.expr, scope.at(condition.file))
            except StaticError:  # a name tlspath did not find (a file it could not read declares it): not known
                continue
            except EvalError as exc:  # terraform stops the plan on a condition it cannot evaluate (var.port > 0 on null)
                return self._refused(declared, value, f"{at} cannot be evaluated for it: {exc}")
            if holds is False:
                message = validation.body.attributes.get("error_message")
                said = evaluator.value(message.expr, scope.at(message.file)) if message else None
                return self._refused(declared, value, f"{at} fails" + (
                    f": {said}" if isinstance(said, str) and not is_sensitive(said) else ""))
        return value

    def _refused(self, declared: Block, value: Any, problem: str) -> Unknown:
        """A value terraform refuses for a variable: an input error where the value is given (terraform stops
        there before planning), and -- so no finding is claimed on it -- an unknown that says why."""
        name = declared.labels[0]
        where = given_at(value) or self._written_at.get(name) or Location(declared.file, declared.line)
        self.config.sources.report(InputError(tidy(where.file), where.line, f"terraform refuses the value of variable "
                                              f"'{name}' ({tidy(declared.file)}:{declared.line}): {problem}"))
        return Unknown(f"terraform refuses the value of variable '{name}' given at {tidy(where.file)}:{where.line} "
                       f"({problem})", f"give variable '{name}' a value its declaration accepts")

    def given_where(self, name: str) -> str | None:
        """Where a root variable's value was given from outside the module, for people (``set in
        terraform.tfvars:1``, ``given as --var port=...``); ``None`` for a default, a caller's argument or no value."""
        given = self.config.inputs.get(name) if self.parent is None else None
        if isinstance(given, GivenText):
            return f"given as {given.source}"
        where = given.origin if isinstance(given, Written) else given_at(given) if given is not None else None
        return None if where is None else f"set in {tidy(where.file)}:{where.line}"

    def _given(self, name: str, declared: Block) -> Any:
        """The value before type conversion: the caller's, the root inputs', or the default."""
        default = declared.body.attributes.get("default")
        if self.parent is None:
            if name in self.config.inputs:
                given = self.config.inputs[name]
                if isinstance(given, Written):
                    self._written_at[name] = given.origin
                    return given.value
                return given.value(declared, self.config.evaluator) if isinstance(given, GivenText) else given
            if default is not None:
                return self.config.evaluator.value(default.expr, self.scope(default.file))
            unknown = Unknown(f"variable '{name}' has no value", f"set it in terraform.tfvars, pass "
                              f"--var {name}=... or set TF_VAR_{name}", identity=self.config.key(f"var.{name}")) \
                if not self.config.unread_var_files else \
                Unknown(f"variable '{name}' has no value tlspath can read: terraform refuses "
                        f"{', '.join(map(tidy, self.config.unread_var_files))} (see the input error)", "fix that file",
                        identity=self.config.key(f"var.{name}"))
            self.config.condition_names[unknown] = f"var.{name}"
            return unknown
        given = self.call.body.attributes.get(name) if self.call else None
        if given is not None:
            return self.config.evaluator.value(given.expr, self.parent.scope(given.file, self.call_names))
        if default is not None:
            return self.config.evaluator.value(default.expr, self.scope(default.file))
        return Unknown(f"module '{self.address.rstrip('.')}' does not set input '{name}', which has no default",
                       f"set {name} in the module block")

    def local(self, name: str) -> Any:
        attribute = self.module.locals.get(name)
        if attribute is None:
            raise self._undeclared(f"local value '{name}'")
        return self._memo("local", name, lambda: self.config.evaluator.value(attribute.expr, self.scope(attribute.file)))

    def output(self, name: str) -> Any:
        block = self.module.outputs.get(name)
        if block is None or "value" not in block.body.attributes:
            raise StaticError(f"module '{self.address.rstrip('.')}' has no output '{name}'")
        value = block.body.attributes["value"]
        return self._memo("output", name, lambda: self.config.evaluator.value(value.expr, self.scope(value.file)))

    def resource(self, kind: str, name: str) -> Any:
        group = self.groups().get((kind, name))
        if group is None:
            raise self._undeclared(f"resource {kind}.{name}")
        return group.value()

    def data(self, kind: str, name: str) -> Any:
        block = self.module.data.get((kind, name))
        if block is None:
            raise self._undeclared(f"data source data.{kind}.{name}")
        if (kind, name) not in self._data:
            self._data[(kind, name)] = ResourceGroup(self, block, "data")
        return self._data[(kind, name)].value()

    def module_call(self, name: str) -> Any:
        call = self.calls().get(name)
        if call is None:
            raise StaticError(f"no module '{name}' is called in {self.module.folder}")
        return call.value()

    def path(self, kind: str) -> Any:
        if kind == "module":
            relative = os.path.relpath(self.module.folder, self.config.folder)
            return relative.replace(os.sep, "/")
        if kind in ("root", "cwd"):
            return "."
        raise StaticError(f"path.{kind} does not exist")

    def terraform(self, attribute: str) -> Any:
        """``terraform.workspace``: the configuration's (:func:`selected_workspace`)."""
        if attribute == "workspace":
            return self.config.workspace
        return Unknown(f"terraform.{attribute} is only known when terraform runs",
                       "set the value through a variable instead")

    def read_file(self, path: Any, function: str) -> Any:
        """A file's text for ``file()``/``templatefile()``: relative to the root module (Terraform's working
        directory), inside the scanned tree only."""
        content = self.config.sources.read(path, self.config.folder, self.config.scanned_root, function)
        if isinstance(content, SourcedText) and content.origin is not None:
            return self.config.files_read.setdefault(content.origin.file, content)
        return content

    def input_name(self, value: Unknown) -> str | None:
        return self.config.condition_names.get(value)

    def condition_name(self, formula: Formula, text: str) -> str:
        """A root variable tested as a bool keeps its name (``var.tls``) through every module; any other
        condition is its text where it is written (``!var.tls``, ``module.app.local.enabled``). Every bool
        input the condition tests is a condition of that name too, so findings can state it plainly
        (``var.tls=false`` rather than ``!var.tls=true``)."""
        for test in bool_inputs(formula):
            define(self.config.condition_formulas, test.input, test)
        bare = isinstance(formula, Is) and formula in bool_inputs(formula)
        name = formula.input if isinstance(formula, Is) and bare else f"{self.address}{text}"
        define(self.config.condition_formulas, name, formula)
        return name

    def provider(self, name: str) -> Placement:
        """Where provider configuration ``name`` (``aws``, ``aws.use1``) of this module instance creates
        resources: its own ``provider`` block, else the configuration the caller passes -- explicitly
        (``providers = {...}``), or its default one when it passes none."""
        return self._memo("provider", name, lambda: self._provider(name))

    def _provider(self, name: str) -> Placement:
        block = self.module.provider_block(name)
        if block is not None:
            return self._placement(block, name)
        if self.parent is None or self.call is None:
            return Placement()
        passed = _providers_passed(self.call)
        if passed is None:
            return Placement() if "." in name else self.parent.provider(name)
        given = passed.get(name)
        return self.parent.provider(given) if given else Placement()

    def _placement(self, block: Block, name: str) -> Placement:
        """A provider block's ``region`` and the account of its assumed role (or its one allowed account)."""
        def argument(body: Body, key: str) -> Any:
            attribute = body.attributes.get(key)
            return None if attribute is None else self.config.evaluator.value(attribute.expr, self.scope(block.file))

        roles = [known_str(argument(role.body, "role_arn")) for role in block.body.blocks_of("assume_role")]
        accounts = [known_str(a) for a in as_items(argument(block.body, "allowed_account_ids"))]
        account = (arn_account(roles[0]) if roles else accounts[0] if len(accounts) == 1 else None)
        region = block.body.attributes.get("region")
        return Placement(known_str(argument(block.body, "region")), account, f"provider {name}",
                         Location(block.file, *(region.position if region is not None else block.position)))

    # ------------------------------------------------------------------------------------ structure

    def groups(self) -> dict[tuple[str, str], ResourceGroup]:
        if self._groups is None:
            self._groups = {key: ResourceGroup(self, block, "resource") for key, block in self.module.resources.items()}
        return self._groups

    def calls(self) -> dict[str, ModuleCall]:
        if self._calls is None:
            self._calls = {name: ModuleCall(self, name, block) for name, block in self.module.calls.items()}
        return self._calls


_Object = tuple["ModuleInstance", str]  # a name as a module instance reads it: (instance, "aws_lb.x")


def _reads(node: _Object) -> Iterator[_Object | None]:
    """What terraform orders an object of a module instance after (see :mod:`ordering`): what a resource's or
    data source's block reads, a local's expression, a variable's argument in its module's call, a module's
    outputs and call arguments -- and the ``depends_on`` of every call around the instance. ``None`` for a
    module whose instances cannot be told."""
    instance, name = node
    around = instance
    while around.parent is not None and around.call is not None:
        depends = around.call.body.attributes.get("depends_on")
        if depends is not None:
            yield from _objects(around.parent, names_read(depends.expr))
        around = around.parent
    module, parts, kind = instance.module, name.split("."), ordering.kind_of(name)
    block = module.resources.get((parts[0], parts[1])) if kind == "resource" else \
        module.data.get((parts[1], parts[2])) if kind == "data" else None
    if block is not None:
        yield from _objects(instance, _names_read(block.body))
    elif kind == "local" and parts[1] in module.locals:
        yield from _objects(instance, names_read(module.locals[parts[1]].expr))
    elif kind == "var" and instance.parent is not None and instance.call is not None:
        argument = instance.call.body.attributes.get(parts[1])
        if argument is not None:
            yield from _objects(instance.parent, names_read(argument.expr))
    elif kind == "module" and parts[1] in module.calls:
        yield from _module_reads(instance.calls()[parts[1]], parts[2] if len(parts) >= 3 else None)


def _module_reads(call: ModuleCall, output: str | None) -> Iterator[_Object | None]:
    """What ``module.NAME`` (or ``module.NAME.OUTPUT``) waits for: the call's arguments, and what the output
    (every output, for the whole module) reads in each instance; ``None`` when its instances cannot be told."""
    yield from _objects(call.parent, _names_read(call.block.body))
    expansion = call.expansion()
    if isinstance(expansion, Unknown):
        yield None
        return
    for child in expansion:
        for name in [output] if output is not None else list(child.module.outputs):
            block = child.module.outputs.get(name)
            if block is not None:
                yield from _objects(child, _names_read(block.body))


def _objects(instance: ModuleInstance, names: set[str]) -> Iterator[_Object]:
    """The objects names read: one per resource or data source (``aws_lb.x`` of ``aws_lb.x.arn``), the
    longest of other names (``module.a.b`` says more than ``module.a``)."""
    for name in names:
        kind = ordering.kind_of(name)
        if kind in ("resource", "data"):
            yield instance, ordering.object_name(name)
        elif kind is not None and not any(other.startswith(name + ".") for other in names):
            yield instance, name


def _names_read(body: Any) -> set[str]:
    """Every dotted name the arguments of a block (and of its nested blocks) read."""
    names = set().union(*(names_read(attribute.expr) for attribute in body.attributes.values()))
    return names.union(*(_names_read(block.body) for block in body.blocks))


def arn_account(arn: str | None) -> str | None:
    """The account of an ARN (``arn:aws:iam::111122223333:role/deploy``)."""
    parts = (arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" and parts[4] else None


def _at_offset(text: str, offset: int, start: Location) -> Location:
    """Where an offset into text written from ``start`` is (a whole file read starts at line 1, column 1)."""
    return Location(start.file, *position_in(text, offset, (start.line or 1, start.column)))


def _offset_of(evidence: TlsEvidence, text: str) -> int | None:
    """Where the evidence shows in script text: the same command, or the ``tls_*`` resource named."""
    found = offset_of(evidence.sign, text)
    if found is not None:
        return found
    named = _TLS_CERTIFICATE.search(evidence.sign.what)
    position = text.find(named.group(0)) if named else -1
    return position if position >= 0 else None


# -------------------------------------------------------------------------------------- expansion

Spec = tuple[Any, dict[str, Any], "str | None"]  # (index, names bound in the instance, condition)


def _expand(config: Configuration, scope: Scope, block: Block, what: str) -> list[Spec] | Unknown:
    """The instances ``count``/``for_each`` make of a block. An undecided condition that only adds or removes
    instances (``count = var.enabled ? 1 : 0``, ``count = var.legacy ? 0 : 1``) marks each with the condition
    under which it exists; other unknowns leave the number of instances unknown."""
    attributes = block.body.attributes
    if "count" in attributes:
        meta, expand = attributes["count"], _count
    elif "for_each" in attributes:
        meta, expand = attributes["for_each"], _for_each
    else:
        return [(None, {}, None)]
    value = config.evaluator.value(meta.expr, scope.at(meta.file))
    if not isinstance(value, Choice):
        found = expand(value)
        return _unknown_count(found, what, meta.name) if isinstance(found, Unknown) else [(i, n, None) for i, n in found]
    when_true, when_false = expand(value.if_true), expand(value.if_false)
    if isinstance(when_true, Unknown):
        return _unknown_count(when_true, what, meta.name)
    if isinstance(when_false, Unknown):
        return _unknown_count(when_false, what, meta.name)
    in_true, in_false = {i for i, _ in when_true}, {i for i, _ in when_false}
    negated = _negation(config, value.condition) if in_false - in_true else None
    return [*((i, n, None if i in in_false else value.condition) for i, n in when_true),
            *((i, n, negated) for i, n in when_false if i not in in_true)]


def _negation(config: Configuration, name: str) -> str:
    """The condition that holds when ``name`` does not: ``!(var.legacy)``."""
    negated = f"!({name})"
    define(config.condition_formulas, negated, Not(config.condition_formulas.get(name, opaque(name))))
    return negated


def _unknown_count(unknown: Unknown, what: str, meta: str) -> Unknown:
    return Unknown(f"the instances of {what} cannot be told ({meta}: {unknown.reason})", unknown.supply)


def _count(value: Any) -> list[tuple[Any, dict]] | Unknown:
    gap = pending(value)
    if gap is not None:
        return gap
    number = known_int(value) if not isinstance(value, float) else int(value)
    if number is None or number < 0:
        return Unknown(f"count is not a whole number ({value!r})", "make count a whole number")
    if number > MAX_INSTANCES:
        return Unknown(f"count is {number}; tlspath follows at most {MAX_INSTANCES} instances",
                       "scan with a smaller count (a .tfvars file or --var)")
    return [(i, {"count": Located({"index": i})}) for i in range(number)]


def _for_each(value: Any) -> list[tuple[Any, dict]] | Unknown:
    gap = pending(value)
    if gap is not None:
        return gap
    if isinstance(value, dict):
        pairs = [(str(k), v) for k, v in iterate(value)]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        pairs = [(v, v) for v in sorted(set(value))]
    elif isinstance(value, list):
        gaps = [gap for gap in map(pending, value) if gap is not None]
        return gaps[0] if gaps else Unknown("for_each needs a map or a set of strings",
                                            "give for_each a map or a set of strings")
    else:
        return Unknown("for_each needs a map or a set of strings", "give for_each a map or a set of strings")
    if len(pairs) > MAX_INSTANCES:
        return Unknown(f"for_each has {len(pairs)} keys; tlspath follows at most {MAX_INSTANCES} instances",
                       "scan with fewer keys (a .tfvars file or --var)")
    return [(k, {"each": Located({"key": k, "value": v})}) for k, v in pairs]


def _both(config: Configuration, first: str | None, second: str | None) -> str | None:
    """The condition of an instance inside a conditional module instance: both must hold."""
    if first and second and first != second:
        name = f"{first} && {second}"
        formulas = config.condition_formulas
        define(formulas, name, AllOf(tuple(formulas.get(part, opaque(part)) for part in (first, second))))
        return name
    return first or second


def _collect(instances: list, block: Block, make: Any) -> Any:
    """What ``kind.name`` / ``module.name`` is as a value: one object, a list (count) or a map (for_each)."""
    if "count" in block.body.attributes:
        return [make(i) for i in instances]
    if "for_each" in block.body.attributes:
        return {str(i.index): make(i) for i in instances}
    return make(instances[0]) if instances else Unknown("the block has no instances")


# -------------------------------------------------------------------------------------- resources


class ResourceGroup:
    """A ``resource`` (or ``data``) block of a module instance and the instances it expands to."""

    def __init__(self, module: ModuleInstance, block: Block, mode: str):
        self.module, self.block, self.mode = module, block, mode
        self.kind, self.label = block.labels
        prefix = "data." if mode == "data" else ""
        self.address = f"{module.address}{prefix}{self.kind}.{self.label}"
        self._expansion: list[ResourceInstance] | Unknown | None = None

    def expansion(self) -> list[ResourceInstance] | Unknown:
        if self._expansion is None:
            config = self.module.config
            specs = _expand(config, self.module.scope(self.block.file), self.block, self.address)
            self._expansion = specs if isinstance(specs, Unknown) else [
                ResourceInstance(self, index, names, _both(config, self.module.condition, condition))
                for index, names, condition in specs]
        return self._expansion

    def value(self) -> Any:
        expansion = self.expansion()
        if isinstance(expansion, Unknown):
            return expansion
        return _collect(expansion, self.block, lambda instance: instance)


class ResourceInstance(Object):
    """One resource instance, read argument by argument as rules and references need them."""

    def __init__(self, group: ResourceGroup, index: Any, names: dict[str, Any], condition: str | None):
        self.group, self.index, self.condition = group, index, condition
        self.type, self.label = group.kind, group.label
        self.name = group.address + index_text(index)
        config = group.module.config
        self.key = config.key(self.name)
        self.loc = Location(group.block.file, *group.block.position)
        self.scope = group.module.scope(group.block.file, names)
        self._arguments: dict[str, Any] = {}
        self._evaluating: set[str] = set()

    @property
    def body(self) -> Any:
        return self.group.block.body

    @property
    def suppressions(self) -> tuple[Suppression, ...]:
        """Those on its block, and on the ``module`` blocks it is made through: a suppression above
        ``module "svc"`` accepts the findings of every resource that call makes (and no other caller's)."""
        calls: list[Suppression] = []
        instance: ModuleInstance | None = self.group.module
        while instance is not None:
            calls.extend(instance.call.suppressions if instance.call is not None else ())
            instance = instance.parent
        return (*self.group.block.suppressions, *calls)

    def written(self, name: str) -> bool:
        return name in self.body.attributes or any(
            b.type == name or (b.type == "dynamic" and b.labels[:1] == (name,)) for b in self.body.blocks)

    def argument(self, name: str) -> Any:
        """An argument or nested blocks as written (evaluated); ``None`` when absent."""
        if name in self._arguments:
            return self._arguments[name]
        if name in self._evaluating:
            raise StaticError(f"{self.name}.{name} refers to itself", CYCLE)
        if not self.written(name):
            return None
        self._evaluating.add(name)
        try:
            evaluator = self.group.module.config.evaluator
            attribute = self.body.attributes.get(name)
            value = evaluator.kept(evaluator.value(attribute.expr, self.scope.at(attribute.file)) if attribute is not None
                                   else evaluator.blocks(self.body, name, self.scope))
        finally:
            self._evaluating.discard(name)
        self._arguments[name] = value
        return value

    # ------------------------------------------------------------------------- as a builder's view

    def get(self, *path: Any) -> Any:
        try:
            value = self.argument(path[0])
        except EvalError as exc:
            return Unknown(str(exc), exc.supply)
        for key in path[1:]:
            value = step_into(value, key)
        return to_model(value)

    def at(self, *path: Any) -> Location:
        block = self.group.block
        attribute = self.body.attributes.get(path[0])
        nested = [Location(b.file, *b.position) for b in self.body.blocks
                  if b.type == path[0] or b.labels[:1] == (path[0],)]
        location = (Location(attribute.file, *attribute.position) if attribute is not None else nested[0] if nested
                    else Location(block.file, *block.position))
        value = self._arguments.get(path[0])
        for key in path[1:]:
            if isinstance(value, Located) and key in value:
                location = value.location(key) if value.file else location
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
                if isinstance(value, Located) and value.line is not None:
                    location = Location(value.file or block.file, value.line, value.column)
            else:
                return self._given_into(location, attribute)
        return self._given_into(self._origin(value) or location, attribute)

    def _given_into(self, location: Location, attribute: Attribute | None) -> Location:
        """``location``, saying which root variables given from outside the module the argument reads
        (``terraform.tfvars``, a Terragrunt unit's ``inputs``, ``--var``): a finding there is fixed in that
        value, not in the module every environment shares."""
        if location.note or attribute is None:
            return location
        module = self.group.module
        names = sorted(name.split(".")[1] for name in names_read(attribute.expr)
                       if name.startswith("var.") and name.count(".") == 1)
        given = [f"variable '{name}', {where}" for name in names if (where := module.given_where(name)) is not None]
        return dataclasses.replace(location, note=VALUE_FROM + " and ".join(given)) if given else location

    def _origin(self, value: Any) -> Location | None:
        """Where a value that came from outside this block was written: a ``terraform.tfvars`` entry, a
        caller's module argument, a ``locals`` entry, a variable's default -- the line the user must edit (the
        path still shows the resource). A value written in the block itself is located by its argument."""
        origin = origin_of(value)
        if not isinstance(origin, Location) or (isinstance(value, SourcedText) and "\n" in value):
            return None  # a script or document read from a file is located where it is used, its lines by evidence
        return None if self.group.block.holds(origin) else origin

    def placement(self) -> Placement:
        attribute = self.body.attributes.get("provider")
        name = _symbol(attribute.expr) if attribute is not None else None
        provider = self.group.module.provider(name or self.type.split("_", 1)[0])
        region = self.get("region") if self.type.startswith("aws_") and self.written("region") else None
        return in_region(provider, region, self.at("region"))

    def document(self, name: str) -> Any:
        try:
            value = self.argument(name)
        except EvalError as exc:
            return Unknown(str(exc))
        document = None if value is None else as_document(value)
        if isinstance(document, Unparsed):  # broken input, like a broken .tf file: an input error at its line
            failed = document.failed
            self.group.module.config.sources.report(InputError(tidy(failed.file), failed.line, document.reason))
        return document

    def script(self, name: str, part: Callable[[Any], Any] | None = None) -> TlsEvidence | None:
        """A certificate-making command in the evaluated script argument (so a conditional or a
        ``count.index`` picks its own branch), or a ``tls_*`` certificate handed to it -- located at the
        command's line as written, in the file it was read from, or else at the argument (``part``: only
        what that part of the value holds, located only where the part is written)."""
        attribute = self.body.attributes.get(name)
        if attribute is None:
            return None
        value = self.argument(name) if part is None else part(self.argument(name))
        evidence = value_evidence(value, Location(attribute.file, *attribute.position))
        if evidence is None:
            return None
        config = self.group.module.config
        source = config.sources.by_path.get(attribute.file)
        written = source.source(attribute.expr) if source is not None else ""
        if part is not None:
            offset = part_offset(evidence.sign, written, value)
            first = Location(attribute.file, *attribute.value_position)
            return evidence if offset is None else TlsEvidence(evidence.sign, _at_offset(written, offset, first))
        for text, first in ((written, Location(attribute.file, *attribute.value_position)),
                            *((t, t.origin) for t in self._files_read(attribute.expr) if t.origin is not None)):
            offset = _offset_of(evidence, text)
            if offset is not None:
                return TlsEvidence(evidence.sign, _at_offset(text, offset, first))
        # read on the way (a data "template_file", a local): the one file read that shows it, if only one does
        showing = [(t, t.origin, offset) for t in config.files_read.values() if t.origin is not None
                   for offset in [_offset_of(evidence, t)] if offset is not None]
        if len(showing) == 1:
            text, origin, offset = showing[0]
            return TlsEvidence(evidence.sign, _at_offset(text, offset, origin))
        return evidence

    def _files_read(self, expr: Any) -> Iterator[SourcedText]:
        """The files a script argument reads with ``file()``/``templatefile()`` written in it."""
        from lark import Tree

        evaluator, module = self.group.module.config.evaluator, self.group.module
        for node in expr.iter_subtrees_topdown():
            if node.data != "function_call":
                continue
            parts = subtrees(node)
            function = name_of(parts[0])
            arguments = next((p for p in parts if p.data == "arguments"), None)
            if function not in _READERS or not isinstance(arguments, Tree) or not subtrees(arguments):
                continue
            try:
                text = module.read_file(evaluator.value(subtrees(arguments)[0], self.scope), function)
            except EvalError:
                continue
            if isinstance(text, SourcedText):
                yield text

    # -------------------------------------------------------------------------------- as a value

    def attribute(self, name: str) -> Any:
        if self.group.mode == "data":
            return self._data_attribute(name)
        if is_identity(self.type, name) or not self.written(name):
            return Reference(self.key, name)
        return self.argument(name)

    def model(self) -> Any:
        return Reference(self.key, "id")

    def _data_attribute(self, name: str) -> Any:
        """Data sources that only compute from their arguments are evaluated (the templates user data is
        often rendered with); every other one is read from the account at plan time."""
        if name == "rendered" and self.type == "template_file":
            template = self.argument("template")
            if not isinstance(template, str):
                return pending(template) or Unknown(f"{self.name}.template is not a string")
            variables = self.argument("vars") or {}
            if not isinstance(variables, dict):
                return pending(variables) or Unknown(f"{self.name}.vars is not a map")
            origin = getattr(template, "origin", None)
            scope = Scope(self.group.module, origin.file if origin else self.loc.file, dict(variables), closed=TEMPLATE)
            return self.group.module.config.evaluator.template(template_parts(str(template)), scope, origin)
        if name == "rendered" and self.type == "cloudinit_config":
            parts = self.argument("part")
            if not isinstance(parts, list):
                return pending(parts) or Unknown(f"{self.name} has no part blocks")
            return concat([p.get("content") for p in parts if isinstance(p, dict)])
        if name == "outputs" and self.type == "terraform_remote_state":
            return self._remote_outputs()
        if self.written(name) and not is_identity(self.type, name):
            return self.argument(name)
        return Unknown(f"data source {self.name} is read from the cloud account at plan time",
                       "reference the resource that creates it in the scanned files, or pass the value as a variable")

    def _remote_outputs(self) -> Any:
        """The outputs of the scanned root module whose backend writes the state this data source reads
        (Terraform's cross-root reference, like CloudFormation's ``Fn::ImportValue``)."""
        backend, settings = self.argument("backend"), self.argument("config") or {}
        workspace = self.argument("workspace") or "default"
        known = [known_str(backend), *(known_str(v) for v in settings.values())] if isinstance(settings, dict) else []
        if not known or None in known or known_str(workspace) is None:
            return Unknown(f"data source {self.name}: which state it reads (backend, config, workspace) is not known",
                           "write its backend and config as literal strings")
        config = self.group.module.config
        state = State(str(backend), tuple(sorted((k, str(v)) for k, v in settings.items())), str(workspace),
                      config.folder)
        if config.remote_state is None:  # a configuration made outside a run: no other root module to read
            reason, supply = ("which no scanned root module writes",
                              "scan the root module whose backend writes that state together with this one")
        else:
            found = config.remote_state(state)
            if not isinstance(found, Unknown):
                return ModuleOutputs(found.root)
            reason, supply = found.reason, found.supply
        return Unknown(f"data source {self.name} reads the outputs of the Terraform state {state.described()}, "
                       f"{reason}", supply)


@dataclasses.dataclass(frozen=True)
class State:
    """The Terraform state a ``terraform_remote_state`` reads: its backend's type and settings, the workspace,
    and the folder of the root module that reads it (a ``local`` path is relative to it)."""

    backend: str
    settings: tuple[tuple[str, str], ...]  # sorted (name, value) pairs: hashable, and frozen all the way down
    workspace: str
    reader: str

    def described(self) -> str:
        """The state as findings name it: where its backend keeps it (``s3://bucket/key``) when the settings
        that say so are all written, else every setting -- then the backend, and a workspace other than
        ``default``."""
        identity = self._identity(dict(self.settings), self.reader)
        where = _STATE_WHERE.get(self.backend)
        if where is not None and all(name in identity for name in _STATE_NAMES[self.backend]):
            said = where.format(**identity)
        else:
            said = ", ".join(f"{name} = {value!r}" for name, value in self.settings)
        workspace = "" if self.workspace == "default" else f", workspace {self.workspace}"
        return f"'{said}' ({self.backend} backend{workspace})"

    def written_by(self, backend: tuple[str, dict[str, str]] | None, folder: str) -> bool:
        """Whether a root module of ``folder`` whose backend block is ``backend`` writes this state."""
        if backend is None or backend[0] != self.backend:
            return False
        return self._identity(backend[1], folder) == self._identity(dict(self.settings), self.reader)

    def _identity(self, settings: dict[str, str], folder: str) -> dict[str, str]:
        names = _STATE_NAMES.get(self.backend)
        if names is None:
            return dict(settings)
        found = {name: settings[name] for name in names if name in settings}
        if self.backend == "local":
            found = {"path": os.path.normpath(os.path.join(folder, found.get("path", "terraform.tfstate")))}
        return found


_STATE_NAMES = {"s3": ("bucket", "key"), "gcs": ("bucket", "prefix"), "local": ("path",),
                "azurerm": ("storage_account_name", "container_name", "key")}  # the settings that name a state
_STATE_WHERE = {"s3": "s3://{bucket}/{key}", "gcs": "gs://{bucket}/{prefix}", "local": "{path}"}  # as people say it
RemoteStates = Callable[[State], "Configuration | Unknown"]

# ------------------------------------------------------------------------------------------ modules


class ModuleCall:
    """A ``module`` block of a module instance and the instances it expands to."""

    def __init__(self, parent: ModuleInstance, name: str, block: Block):
        self.parent, self.name, self.block = parent, name, block
        self.address = f"{parent.address}module.{name}"
        self._expansion: list[ModuleInstance] | Unknown | None = None

    def expansion(self) -> list[ModuleInstance] | Unknown:
        if self._expansion is None:
            self._expansion = self._expand()
        return self._expansion

    def _expand(self) -> list[ModuleInstance] | Unknown:
        target = self._target()
        if isinstance(target, Unknown):
            return target
        config = self.parent.config
        specs = _expand(config, self.parent.scope(self.block.file), self.block, self.address)
        if isinstance(specs, Unknown):
            return specs
        return [ModuleInstance(config, target, f"{self.address}{index_text(index)}.", self.parent, self.block,
                               tuple(names.items()), _both(config, self.parent.condition, condition),
                               (*self.parent.path_names, self.name), index)
                for index, names, condition in specs]

    def _target(self) -> Module | Unknown:
        config = self.parent.config
        source = literal_argument(self.block, "source")
        if source is None:
            return Unknown(f"module '{self.name}' has no literal source", "write source as a plain string")
        if len(self.parent.path_names) >= MAX_MODULE_DEPTH:
            return Unknown(f"module '{self.name}' is nested more than {MAX_MODULE_DEPTH} levels deep",
                           "scan the deeper module on its own")
        if _is_local(source):
            folder = os.path.normpath(os.path.join(self.parent.module.folder, source))
            if not inside(folder, config.scanned_root):
                return Unknown(f"module '{self.name}' comes from '{source}', outside the scanned tree",
                               "scan a folder that contains both the configuration and its modules")
        else:
            installed = config.installed_module(".".join((*self.parent.path_names, self.name)))
            if installed is None or not inside(installed.folder, config.folder):
                return Unknown(f"module '{self.name}' comes from '{source}', which is not in the scanned files",
                               "run terraform init (tlspath reads .terraform/modules, read-only), or scan the "
                               "module's source together with this configuration")
            stale = staleness(source, literal_argument(self.block, "version"), installed)
            if stale is not None:
                return Unknown(f"module '{self.name}' was downloaded before the configuration changed: "
                               f".terraform/modules {stale}",
                               "run terraform init (or terraform get) again, so .terraform/modules holds the module "
                               "the configuration names")
            folder = installed.folder
        ancestors = []
        instance: ModuleInstance | None = self.parent
        while instance is not None:
            ancestors.append(os.path.realpath(instance.module.folder))
            instance = instance.parent
        if os.path.realpath(folder) in ancestors:
            return Unknown(f"module '{self.name}' calls a module it is part of ('{source}')", CYCLE)
        module = config.sources.module(folder, config.scanned_root)
        if not module.files:
            return Unknown(f"module '{self.name}' comes from '{source}', which holds no readable .tf files",
                           "check the module source path")
        return module

    def value(self) -> Any:
        expansion = self.expansion()
        if isinstance(expansion, Unknown):
            return expansion
        return _collect(expansion, self.block, ModuleOutputs)


class ModuleOutputs(Object):
    """``module.NAME`` as a value: its outputs."""

    def __init__(self, instance: ModuleInstance):
        self.instance = instance

    def attribute(self, name: str) -> Any:
        return self.instance.output(name)

    def model(self) -> Any:
        return Unknown(f"'{self.instance.address.rstrip('.')}' is a whole module, not a value tlspath reads",
                       "refer to one of the module's outputs")


class _Validating:
    """The context of a variable's ``validation`` condition: the module instance, with the variable's own
    value as the one being checked (reading it through the instance would be reading it while it is made)."""

    def __init__(self, instance: ModuleInstance, name: str, value: Any):
        self._instance, self._name, self._value = instance, name, value
        self.address = instance.address

    def variable(self, name: str) -> Any:
        return self._value if name == self._name else self._instance.variable(name)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._instance, attribute)
