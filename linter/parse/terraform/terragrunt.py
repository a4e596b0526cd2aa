"""Terragrunt units: a folder with ``terragrunt.hcl`` runs a Terraform module with the inputs it gives.

What a unit's configuration says is evaluated with the same evaluator as Terraform (plus Terragrunt's own
functions), never run:

* ``terraform { source = "..." }`` names the module: a local path (``../../modules//api``: the part after
  ``//`` is the folder inside the copied tree) inside the scanned tree; without a source, the unit's own ``.tf``
  files. A remote source (``git::``, ``tfr://``, a registry address) is not in the files: the unit's resources
  cannot be read, and what other units take from it is unknown, naming the source -- unless ``terragrunt init``
  left exactly one download of it in the unit's ``.terragrunt-cache``, which is read as Terraform's
  ``.terraform/modules`` is. A unit whose module is not read -- remote, outside the scanned tree, without
  ``.tf`` files -- is reported (I9513 at its source), never passed in silence.
* ``inputs`` become the module's variables, ranked as Terragrunt passes them (as ``TF_VAR_`` variables: below a
  ``TF_VAR_`` set in the environment, the module's ``.tfvars`` files and the command line). Each value keeps
  the line it was written on, so a finding caused by an input points at that input.
* ``terraform { extra_arguments }`` blocks for ``apply`` pass ``-var-file``/``-var`` to terraform: these rank
  above the ``.tfvars`` files (:meth:`Unit.var_arguments`); a var file that cannot be read leaves the variables
  it may set unknown.
* ``include`` blocks merge the included file into the unit (``shallow`` by default: the unit's own inputs,
  source and dependencies win key by key; ``deep`` merges maps and lists; ``no_merge`` only exposes it as
  ``include.NAME``). An included file is evaluated for the unit that includes it, as Terragrunt does:
  ``get_terragrunt_dir()`` and ``find_in_parent_folders()`` start from the unit, ``path_relative_to_include()``
  is the unit's path below the included file.
* ``locals``, ``read_terragrunt_config()`` and the path functions; ``get_env()``, ``run_cmd()``, ``sops_decrypt_file()``
  and the AWS identity functions are known only where Terragrunt runs, and stay unknown.
* ``values.NAME``: from the ``terragrunt.values.hcl`` ``terragrunt stack generate`` wrote beside the unit; a stack's
  source unit read on its own names the ``terragrunt.stack.hcl`` block that gives it (stacks are not read).
* ``dependency "x" { config_path = "../y" }``: ``dependency.x.outputs.NAME`` is unit ``y``'s module output,
  evaluated like any output -- so a VPC link in one unit reaches the load balancer of another. ``mock_outputs``
  are placeholders for plans, never values: an output that cannot be read is unknown and says so.

Nothing outside the scanned tree is read (a path out of it is an unknown, as ``file()``), and a cycle of
dependencies ends in an unknown, not a hang.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from linter.model import Location, Unknown, UnreadableDefinition, known_str
from linter.frontend import inside
from linter.files import from_here
from linter.parse.terraform.declarations import CONFIGURATION_SUFFIXES
from linter.parse.terraform.evaluate import Scope
from linter.parse.terraform.hcl import Attribute, Block, SourceFile
from linter.parse.terraform.modules import list_dir, path_inside
from linter.parse.terraform.values import CYCLE, EvalError, Located, Object, pending

if TYPE_CHECKING:
    from linter.parse.terraform.evaluate import Evaluator
    from linter.parse.terraform.modules import Configuration, Module, Sources

UNIT_FILE = "terragrunt.hcl"
STACK_FILE = "terragrunt.stack.hcl"  # a stack: its unit blocks give units (their source) values
VALUES_FILE = "terragrunt.values.hcl"  # what `terragrunt stack generate` writes beside a unit: the values given
LEGACY_ROOT = "terragrunt.hcl"  # what find_in_parent_folders() looks for without a name
_NO_SOURCE = "scan a folder that contains the module, or check the path"
_REMOTE = re.compile(r"^(?:[a-z0-9]+::)?[a-z0-9+.-]+://", re.IGNORECASE)  # a getter and a scheme (git::https://)


def is_unit(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, UNIT_FILE))


class Terragrunt:
    """The Terragrunt units of a run, each evaluated once. ``configure`` makes the Terraform configuration of a
    unit's module with the unit's inputs (the front end ranks them among the other variable values)."""

    def __init__(self, sources: Sources, functions: dict[str, Callable[..., Any]],
                 configure: Callable[[Unit, Module, dict[str, Any]], Configuration]):
        from linter.parse.terraform.evaluate import Evaluator

        self.sources = sources
        self.evaluator: Evaluator = Evaluator({**functions, **FUNCTIONS})
        self.evaluator.start()
        self.configure = configure
        self._units: dict[str, Unit] = {}
        self._configurations: dict[str, Configuration | Unknown] = {}
        self._opening: list[str] = []  # units whose configuration is being made: a dependency cycle ends here
        self.stacks: list[str] = []  # the stack files of the scanned folders

    def unit(self, folder: str, root: str) -> Unit:
        real = os.path.realpath(folder)
        if real not in self._units:
            self._units[real] = Unit(self, folder, root)
        return self._units[real]

    def configuration(self, unit: Unit) -> Configuration | Unknown:
        """The unit's module with its inputs (the same object for its own model and for units reading its
        outputs)."""
        real = os.path.realpath(unit.folder)
        if real in self._configurations:
            return self._configurations[real]
        if real in self._opening:
            chain = " -> ".join(os.path.basename(f) for f in (*self._opening[self._opening.index(real):], real))
            return Unknown(f"the Terragrunt units depend on each other in a cycle ({chain})",
                           "break the dependency cycle")
        self._opening.append(real)
        try:
            module = unit.module()
            configuration: Configuration | Unknown = module if isinstance(module, Unknown) else \
                self.configure(unit, module, unit.inputs())
        finally:
            self._opening.pop()
        self._configurations[real] = configuration
        return configuration


class Unit:
    """One folder with ``terragrunt.hcl``, inside the scanned tree ``root``."""

    def __init__(self, grunt: Terragrunt, folder: str, root: str):
        self.grunt, self.folder, self.root = grunt, folder, root
        self.read: set[str] = set()  # every file read to evaluate the unit (a pre-commit hook asks)
        self._files: dict[tuple[str, str], ConfigFile | Unknown] = {}
        self._module: Module | Unknown | None = None
        self.source_at: Location | None = None  # where terraform { source } is written (None: not written)
        self.dependencies: dict[str, Unit] = {}  # the units whose outputs it read, by folder: on its paths

    # -------------------------------------------------------------------------------------- configuration

    def file(self, path: Any, role: str, base: str) -> ConfigFile | Unknown:
        """A Terragrunt file evaluated for this unit: ``unit``, ``include`` or ``read`` (see :class:`ConfigFile`)."""
        try:
            full = path_inside(path, base, self.root, "the Terragrunt configuration")
        except EvalError as exc:
            return Unknown(str(exc), "write the path as a string")
        if isinstance(full, Unknown):
            return full
        full = display(full, self.folder)  # find_in_parent_folders() is absolute, as in Terragrunt; reports are not
        if (full, role) not in self._files:
            self._files[(full, role)] = self._open(full, role)
        return self._files[(full, role)]

    def _open(self, path: str, role: str) -> ConfigFile | Unknown:
        if not os.path.isfile(path):
            return Unknown(f"there is no Terragrunt file '{path}'", "check the path")
        source = self.grunt.sources.parse(path, self.root)
        if source is None:
            return Unknown(f"'{path}' cannot be read (see the input error)")
        self.read.add(source.path)
        return ConfigFile(self, source, role)

    def value(self, name: str) -> Any:
        """``values.NAME``: from the terragrunt.values.hcl ``terragrunt stack generate`` wrote beside the unit
        (Terragrunt reads it when it runs the unit there). Without one, the unit is a stack's source, which
        Terragrunt copies and runs with the values of a stack file's ``unit`` block -- copied elsewhere, its
        relative paths mean other folders, so stacks are not read: the value is unknown, naming those blocks."""
        if os.path.isfile(os.path.join(self.folder, VALUES_FILE)):
            return get_part(self.file(VALUES_FILE, "read", self.folder), name)
        givers = [f"{place}{self._given(block, config, name)}" for place, block, config in self._stack_units()]
        how = "run terragrunt stack generate and scan the units it writes (their terragrunt.values.hcl is read)"
        if not givers:
            return Unknown(f"values.{name} is given by the Terragrunt stack that generates this unit, and no "
                           f"{STACK_FILE} among the scanned files names it as a unit's source",
                           f"scan the folder with the {STACK_FILE} too, or {how}")
        return Unknown(f"values.{name} is given by the Terragrunt stack that generates this unit ("
                       f"{'; '.join(givers)}), and tlspath does not read stacks", how)

    def _stack_units(self) -> Iterator[tuple[str, Block, ConfigFile]]:
        """The ``unit`` blocks of the scanned stack files whose local source is this unit's folder."""
        for path in self.grunt.stacks:
            config = self.file(path, "read", self.folder)
            if isinstance(config, Unknown):
                continue
            for block in config.source.body.blocks_of("unit"):
                try:
                    source = known_str(config.argument(block, "source"))
                except EvalError:
                    continue
                if source is None or _REMOTE.match(source):
                    continue
                folder = os.path.join(config.folder, source)
                if os.path.realpath(folder) == os.path.realpath(self.folder):
                    label = block.labels[0] if block.labels else ""
                    yield f"{from_here(config.source.path)}:{block.position[0]}: unit \"{label}\"", block, config

    @staticmethod
    def _given(block: Block, config: ConfigFile, name: str) -> str:
        """`` sets it to 'X'`` when the block's ``values`` says so plainly, so the value is never lost unsaid."""
        try:
            values = config.argument(block, "values")
        except EvalError:
            return ""
        text = known_str(values.get(name)) if isinstance(values, dict) else None
        return "" if text is None else f" sets it to '{text}'"

    @functools.cached_property
    def main(self) -> ConfigFile | Unknown:
        return self.file(UNIT_FILE, "unit", self.folder)

    @functools.cached_property
    def includes(self) -> dict[str, tuple[ConfigFile | Unknown, str]]:
        """Each ``include`` block's file and merge strategy, by label (``""`` for an unlabelled one)."""
        main = self.main
        if isinstance(main, Unknown):
            return {}
        found: dict[str, tuple[ConfigFile | Unknown, str]] = {}
        for block in main.source.body.blocks_of("include"):
            strategy = known_str(main.argument(block, "merge_strategy")) or "shallow"
            label = block.labels[0] if block.labels else ""
            found[label] = (self.file(main.argument(block, "path"), "include", self.folder), strategy)
        return found

    def merged(self) -> Iterator[ConfigFile]:
        """The files whose settings make the unit, the included ones first and the unit's own last (it wins)."""
        for config, strategy in self.includes.values():
            if isinstance(config, ConfigFile) and strategy != "no_merge":
                yield config
        if isinstance(self.main, ConfigFile):
            yield self.main

    # -------------------------------------------------------------------------------------------- module

    def reads_from(self, folders: set[str]) -> bool:
        """Whether evaluating the unit reads a file in one of these folders (real paths)."""
        self.module()
        self.inputs()
        return any(os.path.realpath(os.path.dirname(path) or ".") in folders for path in self.read)

    def module(self) -> Module | Unknown:
        """The module the unit runs (see the module docstring)."""
        if self._module is None:
            self._module = self._find_module()
        return self._module

    def _find_module(self) -> Module | Unknown:
        if isinstance(self.main, Unknown):
            return self.main
        source: Any = None
        for config in self.merged():
            terraform = config.source.body.blocks_of("terraform")
            if terraform and "source" in terraform[0].body.attributes:
                source = config.argument(terraform[0], "source")
                written = terraform[0].body.attributes["source"]
                self.source_at = Location(written.file, *written.position)
        folder = self.folder if source is None else self._local(source)
        if isinstance(folder, Unknown):
            return folder
        module = self.grunt.sources.module(folder, self.root)
        if not module.files:
            return Unknown(f"its module ({folder}) holds no readable .tf files", _NO_SOURCE)
        self.read.update(f.path for f in module.files)
        return module

    def _local(self, source: Any) -> str | Unknown:
        if source is not None and known_str(source) is None and pending(source) is None:
            return Unknown("its terraform.source is not a string", "write the source as a string")
        text = known_str(source)
        if text is not None and (not text.startswith(("/", "./", "../")) or "::" in text):
            return self._downloaded(text)
        base, _, below = (text or "").partition("//")
        folder = path_inside(source if text is None else os.path.join(base, below), self.folder, self.root,
                             "its terraform.source")
        return folder if isinstance(folder, Unknown) else display(folder, self.folder)

    def _downloaded(self, source: str) -> str | Unknown:
        """Where ``terragrunt init`` downloaded a remote source: ``.terragrunt-cache/<hash>/<hash>/`` holds the
        source's tree, the module is the folder after its ``//``. Only one download is read -- several (an
        older version left behind) cannot be told apart."""
        below = _REMOTE.sub("", source).partition("//")[2].partition("?")[0].strip("/")
        cache = os.path.join(self.folder, ".terragrunt-cache")
        downloads = (os.path.normpath(os.path.join(cache, first, second, below))
                     for first in list_dir(cache) for second in list_dir(os.path.join(cache, first)))
        found = [folder for folder in downloads if any(name.endswith(CONFIGURATION_SUFFIXES) for name in list_dir(folder))]
        if len(found) == 1 and inside(found[0], self.root):
            return found[0]
        how = ("scan a checkout of the modules together with the units, with a local source pointing at it; run "
               "terragrunt init, whose download in .terragrunt-cache tlspath reads; or run tlspath on the plan "
               "(terragrunt show -json)")
        if found:
            return Unknown(f"its module '{source}' is remote, and .terragrunt-cache holds {len(found)} downloads of "
                           "it", f"delete .terragrunt-cache and run terragrunt init again, or {how}")
        return Unknown(f"its module '{source}' is remote, not in the scanned files", how)

    def unread(self, unknown: Unknown) -> UnreadableDefinition:
        """The unit as a finding when its module cannot be read: at its ``terraform { source }`` (or its own
        file), saying why and how to let tlspath read it -- a unit no path can be built from is never a clean
        one."""
        at = self.source_at or Location(os.path.join(self.folder, UNIT_FILE), 1)
        return UnreadableDefinition(key=f"{self.folder}#terraform.source", name=f"Terragrunt unit {self.folder}",
                                    loc=at, field_name="source",
                                    unknown=unknown)

    # ------------------------------------------------------------------------------------------- inputs

    def inputs(self) -> dict[str, Any]:
        """The module's variable values from ``inputs``, each included file's merged under the unit's own."""
        own = self.main.inputs if isinstance(self.main, ConfigFile) else {}
        merged: dict[str, Any] = own if isinstance(own, dict) else {}
        for config, strategy in self.includes.values():
            parent = config.inputs if isinstance(config, ConfigFile) and strategy != "no_merge" else None
            if isinstance(parent, dict):
                merged = _deep(parent, merged) if strategy == "deep" else {**parent, **merged}
        return merged

    # ------------------------------------------------------------------------------------ extra arguments

    def var_arguments(self) -> list[tuple[str, str, str] | Unknown]:
        """What ``terraform { extra_arguments }`` adds to ``terraform apply`` to set variables, in the order
        Terragrunt passes it (the later wins): ``("var-file", PATH, WHERE)`` and ``("var", "NAME=VALUE",
        WHERE)`` (``WHERE`` names the block for people), or why
        an argument cannot be read (its file outside the scanned tree, missing, or not known). Blocks of
        included files come first, a block of the unit's own replacing the included one of the same label in
        its place; in a block, ``arguments``, then ``required_var_files``, then the ``optional_var_files``
        that exist. A relative path is relative to the unit's folder (Terragrunt runs terraform in a copy of
        it)."""
        blocks: dict[str, tuple[ConfigFile, Block]] = {}
        for config in self.merged():
            for terraform in config.source.body.blocks_of("terraform"):
                for block in terraform.body.blocks_of("extra_arguments"):
                    blocks[block.labels[0] if block.labels else ""] = (config, block)
        found: list[tuple[str, str, str] | Unknown] = []
        for label, (config, block) in blocks.items():
            found.extend(_var_arguments(config, block, f"extra_arguments \"{label}\" of {display(config.source.path, self.folder)}"))
        return found

    # -------------------------------------------------------------------------------------- dependencies

    def dependency(self, name: str) -> Any:
        """``dependency.NAME``: the block of that name in the unit's own file or a file it merges."""
        block, config = None, None
        for candidate in self.merged():
            for found in candidate.source.body.blocks_of("dependency"):
                if found.labels[:1] == (name,):
                    block, config = found, candidate
        if block is None or config is None:
            raise EvalError(f"there is no dependency \"{name}\" in Terragrunt unit '{self.folder}'")
        return Dependency(self, config, block)


class ConfigFile:
    """A Terragrunt file evaluated for one unit -- the evaluation context of its expressions.

    ``role``: ``unit`` (the unit's own ``terragrunt.hcl``), ``include`` (a file it includes: its functions see
    the unit, as Terragrunt's do) or ``read`` (a file read with ``read_terragrunt_config()``: its functions see
    the file itself, ``get_original_terragrunt_dir()`` the unit)."""

    address = ""

    def __init__(self, unit: Unit, source: SourceFile, role: str):
        self.unit, self.source, self.role = unit, source, role
        self.folder = os.path.dirname(source.path) or "."
        self.terragrunt_dir = self.folder if role == "read" else unit.folder
        self._locals: dict[str, Attribute] = {name: attribute for block in source.body.blocks_of("locals")
                                              for name, attribute in block.body.attributes.items()}
        self._values: dict[str, Any] = {}
        self._evaluating: set[str] = set()

    def scope(self) -> Scope:
        return Scope(self, self.source.path)

    def argument(self, block: Block, name: str) -> Any:
        attribute = block.body.attributes.get(name)
        return None if attribute is None else self.unit.grunt.evaluator.value(attribute.expr, self.scope())

    @functools.cached_property
    def inputs(self) -> Any:
        """The file's own ``inputs`` (a map of values, or why it cannot be read)."""
        attribute = self.source.body.attributes.get("inputs")
        return {} if attribute is None else self.unit.grunt.evaluator.value(attribute.expr, self.scope())

    def parent_dir(self, name: str | None) -> str:
        """The folder of the included file a path function is about (the file itself when it is included)."""
        if self.role != "unit":
            return self.folder
        includes = self.unit.includes
        label = name if name is not None else next(iter(includes), None)
        if label is None or label not in includes:
            raise EvalError(f"there is no include \"{label}\" in Terragrunt unit '{self.unit.folder}'" if label
                            else f"Terragrunt unit '{self.unit.folder}' includes nothing")
        included = includes[label][0]
        if isinstance(included, Unknown):
            raise EvalError(included.reason, included.supply or "fix the include's path")
        return included.folder

    # ----------------------------------------------------------------------------------- context API

    def variable(self, name: str) -> Any:
        raise EvalError(f"var.{name} does not exist in a Terragrunt configuration (use local or inputs)")

    def local(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        attribute = self._locals.get(name)
        if attribute is None:
            raise EvalError(f"no local value '{name}' is declared in {self.source.path}")
        if name in self._evaluating:
            raise EvalError(f"local '{name}' refers to itself", CYCLE)
        self._evaluating.add(name)
        try:
            value = self.unit.grunt.evaluator.value(attribute.expr, self.scope())
        finally:
            self._evaluating.discard(name)
        self._values[name] = value
        return value

    def resource(self, kind: str, name: str) -> Any:
        if kind == "dependency":
            return self.unit.dependency(name)
        if kind == "include":
            includes = self.unit.includes
            if name in includes:
                return _exposed(includes[name][0])
            if "" in includes:  # an unlabelled include: include.locals, include.inputs
                return get_part(includes[""][0], name)
            raise EvalError(f"there is no include \"{name}\" in Terragrunt unit '{self.unit.folder}'")
        if kind == "values":
            return self.unit.value(name)
        if kind == "feature":
            return Unknown(f"feature.{name} is set when Terragrunt runs", "give the value in the files")
        raise EvalError(f"'{kind}.{name}' does not exist in a Terragrunt configuration")

    def data(self, kind: str, name: str) -> Any:
        raise EvalError(f"data.{kind}.{name} does not exist in a Terragrunt configuration")

    def module_call(self, name: str) -> Any:
        raise EvalError(f"module.{name} does not exist in a Terragrunt configuration")

    def path(self, kind: str) -> Any:
        raise EvalError(f"path.{kind} does not exist in a Terragrunt configuration (use get_terragrunt_dir())")

    def terraform(self, attribute: str) -> Any:
        raise EvalError(f"terraform.{attribute} does not exist in a Terragrunt configuration")

    def read_file(self, path: Any, function: str) -> Any:
        """``file()`` and its kin read relative to the Terragrunt file they are written in."""
        return self.unit.grunt.sources.read(path, self.folder, self.unit.root, function)

    def input_name(self, value: Unknown) -> str | None:
        return None

    def condition_name(self, formula: Any, text: str) -> str:
        return text


NEED_VARS = ("apply", "console", "destroy", "import", "plan", "push", "refresh")  # Terragrunt's list


def _var_arguments(config: ConfigFile, block: Block, where: str) -> Iterator[tuple[str, str, str] | Unknown]:
    """One ``extra_arguments`` block's variable arguments for ``terraform apply`` (see :meth:`Unit.var_arguments`)."""
    commands = config.argument(block, "commands")
    if pending(commands) is not None or not isinstance(commands, list) or any(known_str(c) is None for c in commands):
        yield Unknown(f"the commands of {where} are not known, so neither is whether its variables apply",
                      "write commands as a list of command names")
        return
    if "apply" not in map(known_str, commands):
        return
    arguments = _strings(config.argument(block, "arguments"), where)
    if isinstance(arguments, Unknown):
        yield arguments
        return
    yield from _from_arguments(arguments, config, where)
    for name, required in (("required_var_files", True), ("optional_var_files", False)):
        paths = _strings(config.argument(block, name), where)
        if isinstance(paths, Unknown):
            yield paths
            continue
        for path in paths:
            file = _var_file(path, config, f"{name} of {where}", required)
            if file is not None:
                yield file


def _from_arguments(arguments: list[str], config: ConfigFile, where: str) -> Iterator[tuple[str, str, str] | Unknown]:
    """``-var-file=PATH``, ``-var=NAME=VALUE`` and their two-word forms among a block's ``arguments``."""
    words = iter(arguments)
    for word in words:
        flag, equals, value = word.lstrip("-").partition("=")
        if not word.startswith("-") or flag not in ("var", "var-file"):
            continue
        if not equals:
            value = next(words, "")
        if flag == "var":
            yield "var", value, where
        else:
            file = _var_file(value, config, f"the arguments of {where}", True)
            if file is not None:
                yield file


def _var_file(path: str, config: ConfigFile, where: str, required: bool) -> tuple[str, str, str] | Unknown | None:
    """A var file Terragrunt passes, inside the scanned tree; ``None`` for an optional one that is not there."""
    full = path_inside(path, config.unit.folder, config.unit.root, f"the var file in {where}")
    if isinstance(full, Unknown):
        return full
    if os.path.isfile(full):
        return "var-file", display(full, config.unit.folder), where
    if not required:
        return None
    return Unknown(f"the var file '{path}' in {where} does not exist, and terragrunt refuses to run without it",
                   "create it or correct its path")


def _strings(value: Any, where: str) -> list[str] | Unknown:
    """A list of known strings (none when not written), or why not."""
    if value is None:
        return []
    gap = pending(value)
    if gap is not None:
        return gap
    if not isinstance(value, list) or any(known_str(item) is None for item in value):
        return Unknown(f"a list in {where} is not known", "write it as a list of strings")
    return [known_str(item) or "" for item in value]


def _exposed(config: ConfigFile | Unknown) -> Any:
    return config if isinstance(config, Unknown) else ConfigValue(config)


def get_part(config: ConfigFile | Unknown, name: str) -> Any:
    return config if isinstance(config, Unknown) else ConfigValue(config).attribute(name)


def _deep(into: dict, other: dict) -> dict:
    """Terragrunt's deep merge: maps merged key by key, lists concatenated, anything else replaced."""
    merged = Located(into) if not isinstance(into, Located) else into.like(into)
    for key, value in other.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = _deep(merged[key], value)
        elif isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


# --------------------------------------------------------------------------------------------- values


class ConfigValue(Object):
    """A Terragrunt file as a value: ``include.NAME`` (with ``expose``), ``read_terragrunt_config(...)``."""

    def __init__(self, config: ConfigFile):
        self.config = config

    def attribute(self, name: str) -> Any:
        config = self.config
        if name == "locals":
            return _Parts(config.local, f"the locals of {config.source.path}")
        if name == "inputs":
            return config.inputs
        if name == "dependency":
            return _Parts(config.unit.dependency, "the dependencies")
        attribute = config.source.body.attributes.get(name)
        if attribute is not None:
            return config.unit.grunt.evaluator.value(attribute.expr, config.scope())
        blocks = config.source.body.blocks_of(name)
        if blocks:
            return config.unit.grunt.evaluator.block(blocks[0].body, config.scope(), blocks[0].position)
        raise EvalError(f"{config.source.path} has no '{name}'")

    def model(self) -> Any:
        return Unknown(f"'{self.config.source.path}' is a whole Terragrunt configuration, not a value tlspath reads")


class _Parts(Object):
    """``locals`` or ``dependency`` of a Terragrunt file, read name by name."""

    def __init__(self, read: Callable[[str], Any], what: str):
        self.read, self.what = read, what

    def attribute(self, name: str) -> Any:
        return self.read(name)

    def model(self) -> Any:
        return Unknown(f"{self.what} as a whole are not a value tlspath reads")


class Dependency(Object):
    """``dependency.NAME``: another unit, whose ``outputs`` are its module's outputs."""

    def __init__(self, unit: Unit, config: ConfigFile, block: Block):
        self.unit, self.config, self.block = unit, config, block
        self.name = block.labels[0]

    def attribute(self, name: str) -> Any:
        if name == "outputs":
            return self._outputs()
        if name == "inputs":
            target = self._target()
            return target if isinstance(target, Unknown) else target.inputs()
        if name in ("config_path", "mock_outputs", "skip_outputs", "enabled"):
            return self.config.argument(self.block, name)
        raise EvalError(f"dependency \"{self.name}\" has no '{name}'")

    def model(self) -> Any:
        return Unknown(f"dependency \"{self.name}\" is a whole unit, not a value tlspath reads")

    def _target(self) -> Unit | Unknown:
        folder = path_inside(self.config.argument(self.block, "config_path"), self.unit.folder, self.unit.root,
                             f"the config_path of dependency \"{self.name}\"")
        if isinstance(folder, Unknown):
            return folder
        if not is_unit(folder):
            return Unknown(f"dependency \"{self.name}\" ('{folder}') has no {UNIT_FILE}", "check config_path")
        return self.unit.grunt.unit(display(folder, self.unit.folder), self.unit.root)

    def _outputs(self) -> Any:
        target = self._target()
        configuration = target if isinstance(target, Unknown) else self.unit.grunt.configuration(target)
        if isinstance(configuration, Unknown):
            mocked = " (its mock_outputs are placeholders for plans, not values)" \
                if "mock_outputs" in self.block.body.attributes else ""
            return Unknown(f"the outputs of dependency \"{self.name}\" cannot be read: {configuration.reason}{mocked}",
                           configuration.supply or "scan the dependency's unit and its module too")
        if isinstance(target, Unit):
            self.unit.read.update(target.read)
            self.unit.dependencies[os.path.realpath(target.folder)] = target
        return _Parts(configuration.root.output, f"the outputs of dependency \"{self.name}\"")


def units_under(folder: str) -> list[str]:
    """Every Terragrunt unit in a tree (walked as a scan walks it)."""
    from linter.discover import discover
    from linter.frontend import Claims

    return [candidate.path for candidate in discover([folder], [Claims(folders=(UNIT_FILE,))]).folders[0]]


def display(path: str, like: str) -> str:
    """A path written the way the run writes its paths: relative to the working folder when ``like`` is."""
    return path if os.path.isabs(like) or not os.path.isabs(path) else from_here(path)


# ------------------------------------------------------------------------------------------ functions

FUNCTIONS: dict[str, Callable[..., Any]] = {}


def _terragrunt(*names: str) -> Callable:
    def register(implementation: Callable) -> Callable:
        def call(ev: Evaluator, scope: Scope, *args: Any) -> Any:
            context = scope.context
            if not isinstance(context, ConfigFile):
                raise EvalError(f"{names[0]}() is a Terragrunt function, not a Terraform one")
            gap = next((g for g in map(pending, args) if g is not None), None)
            return gap if gap is not None else implementation(context, *args)

        for name in names:
            FUNCTIONS[name] = call
        return implementation

    return register


def _text(value: Any, what: str) -> str:
    text = known_str(value)
    if text is None:
        raise EvalError(f"{what} must be a string")
    return text


@_terragrunt("get_terragrunt_dir")
def _terragrunt_dir(config: ConfigFile) -> str:
    return os.path.abspath(config.terragrunt_dir)


@_terragrunt("get_original_terragrunt_dir")
def _original_dir(config: ConfigFile) -> str:
    return os.path.abspath(config.unit.folder)


@_terragrunt("get_parent_terragrunt_dir")
def _parent_dir(config: ConfigFile, name: Any = None) -> str:
    return os.path.abspath(config.parent_dir(None if name is None else _text(name, "the include name")))


@_terragrunt("path_relative_to_include")
def _relative_to_include(config: ConfigFile, name: Any = None) -> str:
    if config.role == "unit" and not config.unit.includes:
        return "."
    parent = config.parent_dir(None if name is None else _text(name, "the include name"))
    return os.path.relpath(config.terragrunt_dir, parent).replace(os.sep, "/")


@_terragrunt("path_relative_from_include")
def _relative_from_include(config: ConfigFile, name: Any = None) -> str:
    if config.role == "unit" and not config.unit.includes:
        return "."
    parent = config.parent_dir(None if name is None else _text(name, "the include name"))
    return os.path.relpath(parent, config.terragrunt_dir).replace(os.sep, "/")


@_terragrunt("find_in_parent_folders")
def _find_in_parent_folders(config: ConfigFile, name: Any = LEGACY_ROOT, *fallback: Any) -> Any:
    """The first file of that name in a folder above the unit -- searched inside the scanned tree only."""
    wanted = _text(name, "the file name")
    folder = os.path.dirname(os.path.abspath(config.terragrunt_dir))
    while inside(folder, config.unit.root):
        candidate = os.path.join(folder, wanted)
        if os.path.exists(candidate):
            return candidate
        if os.path.dirname(folder) == folder:
            break
        folder = os.path.dirname(folder)
    if fallback:
        return fallback[0]
    return Unknown(f"find_in_parent_folders('{wanted}'): no folder above '{config.terragrunt_dir}' inside the "
                   "scanned tree holds it", f"scan from the folder that holds {wanted} (e.g. tlspath ../..); a unit "
                   "folder scanned inside a Git repository reads the repository's files")


def _repository(config: ConfigFile) -> str | Unknown:
    from linter.git import work_tree_top

    top = work_tree_top(config.terragrunt_dir)
    if top is None or not inside(top, config.unit.root):
        return Unknown("the Git repository's root is not inside the scanned tree", "scan the repository's root")
    return top


@_terragrunt("get_repo_root")
def _repo_root(config: ConfigFile) -> Any:
    return _repository(config)


@_terragrunt("get_path_from_repo_root")
def _path_from_repo_root(config: ConfigFile) -> Any:
    root = _repository(config)
    return root if isinstance(root, Unknown) else os.path.relpath(os.path.abspath(config.terragrunt_dir), root)


@_terragrunt("get_path_to_repo_root")
def _path_to_repo_root(config: ConfigFile) -> Any:
    root = _repository(config)
    return root if isinstance(root, Unknown) else os.path.relpath(root, os.path.abspath(config.terragrunt_dir))


@_terragrunt("get_terraform_commands_that_need_vars")
def _commands_that_need_vars(config: ConfigFile) -> list[str]:
    return list(NEED_VARS)


@_terragrunt("read_terragrunt_config")
def _read_terragrunt_config(config: ConfigFile, path: Any, *default: Any) -> Any:
    read = config.unit.file(path, "read", config.folder)
    if isinstance(read, Unknown) and default:
        return default[0]
    return _exposed(read)


@_terragrunt("read_tfvars_file")
def _read_tfvars_file(config: ConfigFile, path: Any) -> Any:
    from linter.parse.terraform.values import Encoded
    from linter.parse.terraform.variables import read_var_file

    full = path_inside(path, config.folder, config.unit.root, "read_tfvars_file()")
    if isinstance(full, Unknown):
        return full
    return Encoded(read_var_file(full, config.unit.root, config.unit.grunt.sources, config.unit.grunt.evaluator),
                   "json")


@_terragrunt("mark_as_read")
def _mark_as_read(config: ConfigFile, path: Any) -> Any:
    return path


@_terragrunt("get_terragrunt_source_cli_flag")
def _source_cli_flag(config: ConfigFile) -> str:
    return ""


_AT_RUN_TIME = {
    "get_env": "reads an environment variable where Terragrunt runs",
    "run_cmd": "runs a command, which tlspath never does",
    "sops_decrypt_file": "decrypts a file with keys tlspath does not have",
    "get_aws_account_id": "asks AWS for the account of the credentials Terragrunt runs with",
    "get_aws_account_alias": "asks AWS for the account of the credentials Terragrunt runs with",
    "get_aws_caller_identity_arn": "asks AWS for the identity Terragrunt runs with",
    "get_aws_caller_identity_user_id": "asks AWS for the identity Terragrunt runs with",
    "get_platform": "is the operating system Terragrunt runs on",
    "get_working_dir": "is the folder Terragrunt downloads the module to",
    "get_terraform_command": "is the command Terragrunt is running",
    "get_terraform_cli_args": "are the arguments Terragrunt is running with",
}


def _at_run_time(name: str, reason: str) -> None:
    @_terragrunt(name)
    def unknown(config: ConfigFile, *args: Any) -> Unknown:
        return Unknown(f"{name}() {reason}", "give the value in the files")


for _name, _reason in _AT_RUN_TIME.items():
    _at_run_time(_name, _reason)
