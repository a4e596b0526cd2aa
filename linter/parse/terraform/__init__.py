"""Terraform to the neutral model: root modules (native and JSON syntax, override files merged), Terragrunt
units, and ``terraform show -json`` plans.

The rules never learn about HCL: this package evaluates configurations (``hcl.py`` and ``json_syntax.py``
parse, ``declarations.py`` applies override files, ``evaluate.py`` and ``functions.py`` compute expressions,
``variables.py`` ranks variable values, ``modules.py`` follows locals, ``count``/``for_each`` and module
calls, ``terragrunt.py`` evaluates units) and maps each resource instance with the same builders for HCL and
plan JSON (``resources.py``), then hands the rules models like any other front end's.

Which folders are root modules: every folder with ``.tf``/``.tf.json`` files the run found, except those
another found folder calls as a local module (``source = "./..."``) and those a Terragrunt unit runs -- those
are read through their callers and units, with the inputs these give, so one module never reports the same
finding twice under two names, nor without its inputs. A folder reached only through a cycle of calls is read
as a root all the same. Every folder with ``terragrunt.hcl`` is a unit. A folder named on the command line (a
pre-commit hook's changed ``main.tf``) is read in its Git work tree, with the folders there that call it: its
local modules above it are read, and a module is judged through its callers (``_Run.callers``).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.findings import InputError, reported
from linter.frontend import (
    Built, Candidate, Claims, Document, FrontEndSettings, judged_in, read_on_their_own, undeclared,
)
from linter.model import (
    HttpApiIntegration, Listener, LoadBalancer, Location, Model, RestIntegration, TargetGroup, Unknown,
    UnreadableDefinition, VpcLink,
)

if TYPE_CHECKING:
    from linter.parse.terraform.hcl import Block
    from linter.parse.terraform.modules import Configuration, Module, State
    from linter.parse.terraform.terragrunt import Unit


@dataclass(frozen=True)
class TerraformSettings:
    """What the user gave the Terraform front end besides the files: ``--var``/``--var-file`` in command-line
    order, ``("var", "NAME=VALUE")`` or ``("var-file", "FILE")`` (the configuration's ``var-files`` first), and
    the ``TF_VAR_*`` environment variables
    as ``(NAME, value)``, ``TF_WORKSPACE`` and ``TF_DATA_DIR`` ("" when not set: the CLI reads the environment; the
    front end never does)."""

    variables: tuple[tuple[str, str], ...] = ()
    configured: int = 0  # how many of the first ``variables`` are the configuration file's ``var-files``
    environment: tuple[tuple[str, str], ...] = ()
    workspace: str = ""
    data_dir: str = ""


PLAN_HINT = '"planned_values"'


class Terraform:
    """The Terraform front end: every folder with ``.tf``/``.tf.json`` files (with the ``.tfvars`` Terraform
    loads there) or a Terragrunt unit (``*.hcl`` marks a folder, so a changed include file named by a hook
    reaches the front end, which finds the units reading it), and plan JSON documents."""

    claims = Claims(documents=("*.json",), folders=("*.tf", "*.tf.json", "*.tofu", "*.tofu.json", "*.hcl"),
                    companions=("*.tfvars", "*.tfvars.json"), read=("*",))

    def may_read(self, text: str) -> bool:
        return PLAN_HINT in text

    def reads(self, document: Document) -> bool:
        if not self.may_read(document.text):  # spares a run without plans the import below
            return False
        from linter.parse.terraform.plan import is_plan

        return is_plan(document.data)

    def build(self, folders: list[Candidate], documents: Iterable[Document], settings: FrontEndSettings) -> Built:
        return build_models(folders, documents, settings.of(TerraformSettings))


def build_models(candidates: list[Candidate], plans: Iterable[Document], settings: TerraformSettings) -> Built:
    """One model per root module, per Terragrunt unit and per plan, plus the private keys written in any
    Terraform file."""
    from linter.parse.terraform.plan import build_plan_model
    from linter.parse.terraform.terragrunt import STACK_FILE, is_unit

    run = _Run(settings)
    named_files = [c for c in candidates if not os.path.isdir(c.path)]
    candidates = [c for c in candidates if os.path.isdir(c.path)]
    run.grunt.stacks = [os.path.abspath(path) for c in candidates
                        if os.path.isfile(path := os.path.join(c.path, STACK_FILE))]
    units = run.units([c for c in candidates if is_unit(c.path)], [c for c in candidates if _named(c)])
    used = run.run_by(units)
    run.plain = [_in_tree(c) for c in candidates if not is_unit(c.path)]
    named_modules = [c for c in run.plain if c.explicit]
    roots = run.roots(run.plain + run.callers(named_modules, used, {os.path.realpath(c.path) for c in run.plain}), used)
    roots += run.readers(named_files, used | {os.path.realpath(model.source) for model in roots})
    run.result.models.extend(roots)
    for unit in units:
        run.judge_unit(unit)
    judged = frozenset(os.path.realpath(model.source) for model in roots)
    read = 0
    for plan in plans:  # read one at a time: none is held while the next is read
        with reported(run.result.errors, plan.candidate.path):
            model, errors = build_plan_model(plan.candidate, plan.data, run.sources, judged)
            run.result.models.append(model)
            run.result.errors.extend(errors)
        read += 1
        del plan
    run.result.models.extend(run.sources.file_models)
    run.result.errors[:0] = run.sources.errors
    run.result.files = len(run.sources.parsed_files) + read
    run.result.warnings.extend(run.undeclared())
    run.result.read = run.sources.opened
    return run.result


class _Run:
    """What the models of one run share: the parsed files, the evaluator, the variable values given from
    outside the files, the Terragrunt units."""

    def __init__(self, settings: TerraformSettings):
        from linter.parse.terraform.evaluate import Evaluator
        from linter.parse.terraform.functions import FUNCTIONS
        from linter.parse.terraform.modules import Sources
        from linter.parse.terraform.terragrunt import Terragrunt
        from linter.parse.terraform.variables import environment_values, given_values

        self.sources = Sources()
        self.files_read: dict[str, set[str]] = {}  # per model made: the real paths of the files it read
        self.module_folders: dict[str, set[str]] = {}  # per model made: the real folders of its modules
        self.evaluator = Evaluator(FUNCTIONS)
        self.result = Built()
        self.environment = environment_values(settings.environment)
        self.settings = settings
        self.given = given_values(settings.variables, self.sources, self.evaluator, self.result.errors)
        self.command_line = {name: value for _, values in self.given for name, value in values.items()}
        self.declared: set[str] = set()  # the variables the root modules and units made so far declare
        self.plain: list[Candidate] = []  # the folders of root modules found (any may write a remote state)
        self._remote: dict[str, Configuration | Unknown] = {}  # per real folder: read as a remote state
        self.grunt = Terragrunt(self.sources, FUNCTIONS, self.unit_configuration)
        self.grunt.evaluator.secrets = self.evaluator.secrets  # sensitive() in a unit's inputs

    # ----------------------------------------------------------------------------------- configurations

    def root_configuration(self, candidate: Candidate, module: Module) -> Configuration:
        from linter.parse.terraform.variables import selected_workspace

        workspace = selected_workspace(module.folder, candidate.root, self.settings.workspace, self.settings.data_dir,
                                       module.runs_remotely)
        return self._configuration(module, candidate.root, {}, (module.folder,), module.folder, workspace=workspace)

    def unit_configuration(self, unit: Unit, module: Module, inputs: dict[str, Any]) -> Configuration:
        """A unit's module: Terragrunt passes ``inputs`` as ``TF_VAR_`` variables, below any set in the
        environment; the ``.tfvars`` files of the module and of the unit's folder (Terragrunt copies both into
        the folder it runs Terraform in) rank above them, and the ``-var-file``/``-var`` arguments of its
        ``extra_arguments`` above those (they are terraform's command line, before tlspath's own)."""
        from linter.parse.terraform.variables import WORKSPACE_UNKNOWN

        workspace = self.settings.workspace or Unknown(
            "terraform.workspace is the workspace selected in the folder Terragrunt runs terraform in (its "
            ".terragrunt-cache), which tlspath does not read", WORKSPACE_UNKNOWN)
        return self._configuration(module, unit.root, inputs, (module.folder, unit.folder), unit.folder,
                                   unit.var_arguments(), workspace)

    def _configuration(self, module: Module, root: str, inputs: dict[str, Any], var_folders: tuple[str, ...],
                       name: str, extra: list[tuple[str, str, str] | Unknown] | None = None,
                       workspace: str | Unknown = "default") -> Configuration:
        from linter.parse.terraform.modules import Configuration
        from linter.parse.terraform.variables import automatic_files, automatic_values, passed_values, refused_values

        self.declared.update(module.variables)
        automatic = [automatic_values(folder, root, self.sources, self.evaluator)
                     for folder in dict.fromkeys(var_folders)]
        values = {**inputs, **self.environment, **{k: v for found in automatic for k, v in found.items()}}
        values = {**passed_values(extra or [], values, module.variables, root, self.sources, self.evaluator),
                  **self.command_line}
        self.result.errors.extend(e for e in refused_values(module.variables, values) if e not in self.result.errors)
        unread_var_files = tuple(path for folder in dict.fromkeys(var_folders) for path in automatic_files(folder)
                       if self.sources.parse(path, root) is None)
        return Configuration(module, root, values, self.sources, self.evaluator, name=name,
                             unread_var_files=unread_var_files, workspace=workspace, remote_state=self.remote_state)

    def remote_state(self, state: State) -> Configuration | Unknown:
        """The configuration of the one scanned root module whose backend writes ``state``, in the workspace
        it reads -- made once, and never while it is being made (roots reading each other's states)."""
        writers = [c for c in self.plain if state.written_by(self.sources.module(c.path, c.root).backend(), c.path)]
        if not writers:
            return Unknown("which no scanned root module's backend writes",
                           "scan the root module whose backend writes it together with this one")
        if len(writers) > 1:
            return Unknown("which the backends of root modules " + ", ".join(f"'{c.path}'" for c in writers) +
                           " all name", "give each root module a state of its own")
        candidate = writers[0]
        real = os.path.realpath(candidate.path)
        if real not in self._remote:
            self._remote[real] = Unknown(f"written by root module '{candidate.path}', which reads it back through "
                                         "terraform_remote_state states", "break the cycle of remote states")
            self._remote[real] = self.root_configuration(candidate, self.sources.module(candidate.path, candidate.root))
        config = self._remote[real]  # one per root; each reader's workspace is compared with it, not cached
        if isinstance(config, Unknown) or config.workspace == state.workspace:
            return config
        return Unknown(f"written by root module '{candidate.path}' in workspace {state.workspace}, while tlspath "
                       "judges that root in the workspace selected there",
                       "select the same workspace for both (TF_WORKSPACE)")

    def undeclared(self) -> list[str]:
        """Warnings for ``--var``/``--var-file`` names no root module (or unit) of the run declares, which
        terraform refuses (``-var``) or warns about (a var file). Warnings, not input errors, as for
        CloudFormation's ``--parameter``: one run judges many roots with the same values, and a run over part
        of a repository (a hook's changed files) may leave out the root a value is meant for -- the run goes on
        and the value does nothing. The configuration file's ``var-files`` serve every such run: no warning."""
        if not self.declared:
            return []
        return [undeclared(given, "root module", "variable", names)
                for given, values in self.given[self.settings.configured:]
                if (names := [name for name in values if name not in self.declared])]

    def judge(self, name: str, configuration: Callable[[], Configuration | Unknown]) -> None:
        """Add the model of a root module or a unit; one that cannot be read never hides the others."""
        model = self.model(name, configuration)
        if model is not None:
            self.result.models.append(model)

    def judge_unit(self, unit: Unit) -> None:
        """Add the model of a Terragrunt unit -- or, when its module cannot be read, the unit as a gap (a unit
        file that cannot be read is an input error already)."""
        self.judge(unit.folder, functools.partial(self.grunt.configuration, unit))
        configuration = self.grunt.configuration(unit)  # made once: the same object again
        if isinstance(configuration, Unknown) and not isinstance(unit.main, Unknown):
            model = Model(unit.folder)
            model.add(unit.unread(configuration))
            self.result.models.append(model)

    def model(self, name: str, configuration: Callable[[], Configuration | Unknown],
              named: bool = False) -> Model | None:
        """The model of a configuration, or ``None`` (and an input error) when it cannot be made. ``named``: a
        root module named on the command line, which says so when it is a module judged without its values."""
        with reported(self.result.errors, name):
            try:
                self.evaluator.start()
                config = configuration()
                if isinstance(config, Unknown):
                    return None
                model = _model(config, name)
                for gap in _without_values(config, model) if named else ():
                    model.add(gap)
                self.files_read[name] = {os.path.realpath(path) for path in config.files_read}
                self.module_folders[name] = {os.path.realpath(i.module.folder) for i in config.instances()}
                model.secrets = self.evaluator.secrets  # the run's: a value may travel between modules
                return model
            except RecursionError:
                self.result.errors.append(InputError(name, None, "expressions are nested too deeply to evaluate"))
        return None

    def roots(self, plain: list[Candidate], used: set[str]) -> list[Model]:
        """The models of the plain folders read on their own (see the module docstring): every folder with
        files that no other folder calls and no Terragrunt unit runs, and one of each cycle of calls.

        Each folder is read in turn and -- unless a folder read before calls it -- built at once and let go,
        so a run never holds the parse trees of every module. Which folders are roots is only known once all
        are read (a later folder may call an earlier one): a model made too early is dropped then, a root not
        made yet is made then. A run collects no cyclic garbage on its own (:mod:`linter.scan`), and a
        configuration is cyclic (instances know their module and the reverse): the youngest generation -- what
        building one root made -- is collected after each."""
        by_folder = {os.path.realpath(c.path): c for c in plain}
        calls: dict[str, set[str]] = {}
        called: set[str] = set()
        made: dict[str, Model | None] = {}

        def make(folder: str) -> None:
            candidate = by_folder[folder]
            module = self.sources.module(candidate.path, candidate.root)
            made[folder] = self.model(candidate.path, functools.partial(self.root_configuration, candidate, module),
                                      candidate.explicit)

        for folder, candidate in by_folder.items():
            module = self.sources.module(candidate.path, candidate.root)
            if not module.files or folder in used:
                continue
            calls[folder] = {os.path.realpath(f) for f in module.local_sources()} - {folder}
            called |= calls[folder]
            if folder not in called:
                make(folder)
                self.sources.release(candidate.path)
                gc.collect(0)
        alone = read_on_their_own(calls)
        for folder in alone:
            if folder not in made:
                make(folder)
        return [model for folder in alone if (model := made[folder]) is not None]

    def readers(self, named: list[Candidate], judged: set[str]) -> list[Model]:
        """The models of the root modules of the repository that read a file named on the command line (a
        certificate through ``file()``, a ``templatefile()`` script): the file stands for them, as a
        ``.tfvars`` stands for its module, so a commit that only changes it is judged where it takes effect.
        Only the folders whose Terraform files name the file, and the roots calling them, are made; a named
        file no module reads adds nothing -- nor do the input errors of the roots made that do not read it."""
        wanted = {os.path.realpath(c.path) for c in named}
        made: list[Model] = []
        errors, parse_errors = len(self.result.errors), len(self.sources.errors)
        for tree in dict.fromkeys(_tree(c) for c in named):
            names = {os.path.basename(c.path) for c in named if _tree(c) == tree}
            folders = [c for c in _module_folders(tree) if os.path.realpath(c.path) not in judged]
            for model in self.roots(self._calling(folders, set(), names), judged):
                if self.files_read.get(model.source, set()) & wanted:
                    made.append(model)
                    judged.add(os.path.realpath(model.source))
        kept = set().union(*(self.module_folders.get(model.source, set()) for model in made))
        self.result.errors[errors:] = _within(self.result.errors[errors:], kept)
        self.sources.errors[parse_errors:] = _within(self.sources.errors[parse_errors:], kept)
        return made

    def callers(self, named: list[Candidate], used: set[str], given: set[str]) -> list[Candidate]:
        """The folders of the repository that call a named module folder as a local module, directly or through
        other modules (a pre-commit hook's changed ``modules/nlb/main.tf``): the module is judged through them,
        with the values they give it, as a scan of the whole repository judges it -- never alone, where its
        variables have none. ``given``: the folders the run has already."""
        found: list[Candidate] = []
        for tree in dict.fromkeys(_tree(c) for c in named):
            folders = [c for c in _module_folders(tree) if os.path.realpath(c.path) not in used | given]
            start = {os.path.realpath(c.path) for c in named if _tree(c) == tree}
            found += [c for c in self._calling(folders, start, set()) if os.path.realpath(c.path) not in start]
            given |= {os.path.realpath(c.path) for c in found}
        return found

    def _calling(self, folders: list[Candidate], start: set[str], names: set[str]) -> list[Candidate]:
        """The ``folders`` that are in ``start`` (real paths) or whose Terraform files name one of ``names``,
        and every folder among them that calls one of those as a local module, directly or through others. Each
        file is read once as text; a folder is parsed only when its text has a local ``source`` pointing at a
        folder found, so a one-file run in a repository of thousands of files evaluates only the roots it
        needs."""
        by_folder = {os.path.realpath(c.path): c for c in folders}
        reached = set(start)
        targets: dict[str, set[str]] = {}
        wanted = [name.encode() for name in names]
        for folder, candidate in by_folder.items():
            text = _configuration_text(candidate.path)
            if any(name in text for name in wanted):
                reached.add(folder)
            targets[folder] = {os.path.realpath(os.path.join(candidate.path, os.fsdecode(source)))
                               for source in _LOCAL_SOURCE.findall(text)}
        pending = list(reached)
        while pending:
            callee = pending.pop()
            for folder, pointed in targets.items():
                if folder in reached or callee not in pointed:
                    continue
                candidate = by_folder[folder]
                module = self.sources.module(candidate.path, candidate.root)
                if callee in {os.path.realpath(called) for called in module.local_sources()}:
                    reached.add(folder)
                    pending.append(folder)
        return [candidate for folder, candidate in by_folder.items() if folder in reached]

    # ------------------------------------------------------------------------------------------- units

    def units(self, named: list[Candidate], explicit: list[Candidate]) -> list[Unit]:
        """The Terragrunt units to judge: those found, and -- when files are named, as a pre-commit hook
        names changed files -- every unit of the repository that reads a file in a named file's folder (an
        included ``env.hcl``, a module's ``main.tf``), so a change is judged where it takes effect."""
        from linter.parse.terraform.terragrunt import units_under

        judged = {os.path.realpath(c.path): self.grunt.unit(c.path, _tree(c)) for c in named}
        changed = {os.path.realpath(c.path) for c in explicit}
        for project in dict.fromkeys(_tree(c) for c in explicit):
            for folder in units_under(project):
                unit = self.grunt.unit(folder, project)
                if os.path.realpath(folder) not in judged and unit.reads_from(changed):
                    judged[os.path.realpath(folder)] = unit
        waiting = list(judged.values())
        while waiting:  # the units they depend on: their resources are on the paths
            unit = waiting.pop()
            self.grunt.configuration(unit)
            for folder, dependency in unit.dependencies.items():
                if folder not in judged:
                    judged[folder] = dependency
                    waiting.append(dependency)
        return list(judged.values())

    def run_by(self, units: list[Unit]) -> set[str]:
        """The folders whose module units run (and the local modules those call): they are judged through
        the units, with the units' inputs, never again on their own."""
        found: set[str] = set()
        stack = [module for module in (unit.module() for unit in units) if not isinstance(module, Unknown)]
        while stack:
            module = stack.pop()
            folder = os.path.realpath(module.folder)
            if folder not in found:
                found.add(folder)
                stack.extend(self.sources.module(called, module.folder) for called in module.local_sources())
        return found


def _within(errors: list[InputError], folders: set[str]) -> list[InputError]:
    """The errors about the files of these module folders (real paths)."""
    return [error for error in errors if os.path.realpath(os.path.dirname(error.file) or ".") in folders]


def _module_folders(tree: str) -> list[Candidate]:
    """Every folder of Terraform or OpenTofu files in a tree (walked as a scan walks it)."""
    from linter.discover import discover
    from linter.parse.terraform.declarations import CONFIGURATION_SUFFIXES

    claims = Claims(folders=tuple(f"*{suffix}" for suffix in CONFIGURATION_SUFFIXES))
    return discover([tree], [claims]).folders[0]


_LOCAL_SOURCE = re.compile(rb'"?source"?\s*[=:]\s*"(\.\.?(?:/[^"]*)?)"')  # a local module call, as text


def _configuration_text(folder: str) -> bytes:
    """The bytes of a folder's Terraform files, for a cheap test before parsing or evaluating anything (bytes:
    a tenth of the cost of decoding every file of a large repository)."""
    from linter.parse.terraform.declarations import CONFIGURATION_SUFFIXES
    from linter.parse.terraform.modules import list_dir

    texts = []
    for name in sorted(list_dir(folder)):
        if name.endswith(CONFIGURATION_SUFFIXES):
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    texts.append(handle.read())
            except OSError:
                continue
    return b"\n".join(texts)


def _tree(candidate: Candidate) -> str:
    """The tree a Terragrunt unit may read: the scanned folder, or for a file named on the command line (a
    pre-commit hook's changed file) -- or a unit folder named as the folder to scan (``cd live/prod/nlb &&
    tlspath .``) -- the Git repository it belongs to: where its includes (``root.hcl`` folders above), the units
    it depends on and its modules are. Outside a Git work tree, only the scanned folder."""
    return judged_in(candidate) if _named(candidate) else candidate.root


def _in_tree(candidate: Candidate) -> Candidate:
    """A plain module folder, read within its tree (:func:`_tree`): a named ``envs/prod/main.tf`` reads the
    local modules it calls (``../../modules/nlb``) inside its Git repository, as a scan of the repository does."""
    tree = _tree(candidate)
    return candidate if tree == candidate.root else dataclasses.replace(candidate, root=tree)


def _named(candidate: Candidate) -> bool:
    """Named on the command line: a file, or a Terragrunt unit's folder given as the folder to scan -- which is
    read as its ``terragrunt.hcl`` named would be (:func:`_tree`, ``_Run.units``)."""
    from linter.parse.terraform.terragrunt import is_unit

    return candidate.explicit or (os.path.realpath(candidate.path) == os.path.realpath(candidate.root)
                                  and is_unit(candidate.path))


def _model(config: Configuration, name: str) -> Model:
    """The model of a configuration: every resource instance the builders map."""
    from linter.parse.terraform.resources import BUILDERS

    model = Model(name)
    for variable in config.root.module.variables:  # terraform checks every root variable's value before planning
        config.root.variable(variable)
    for instance in config.instances():
        for group in instance.groups().values():
            builder = BUILDERS.get(group.kind)
            if builder is None:
                model.unfollow(config.key(group.address), group.kind)
                continue
            expansion = group.expansion()
            if isinstance(expansion, Unknown):
                if group.kind in _INTEGRATIONS:
                    model.add(_uncounted(config.key(group.address), group.address, group.block, expansion))
                continue
            for resource in expansion:
                for built in builder(resource, config):
                    model.add(built)
    model.conditions.update(config.condition_formulas)
    model.unread = config.unread
    return model


def _without_values(config: Configuration, model: Model) -> list[UnreadableDefinition]:
    """A module named alone (a pre-commit hook's changed ``modules/nlb/main.tf``) that no scanned root module
    calls: with load balancers, listeners or target groups but no integration to start a path, and variables
    without values, its part of the paths is judged nowhere -- said, never silent (one finding, at its first
    variable without a value)."""
    module = config.root.module
    missing = [name for name in module.variables if isinstance(config.root.variable(name), Unknown)]
    on_paths = [r for r in model.resources.values() if isinstance(r, (VpcLink, LoadBalancer, Listener, TargetGroup))]
    if not missing or not on_paths or any(isinstance(r, (RestIntegration, HttpApiIntegration))
                                          for r in model.resources.values()):
        return []
    block = module.variables[missing[0]]
    reason = ("no API Gateway integration in it starts a path, and no root module of the scanned files or of its "
              f"Git work tree calls it: its variables ({', '.join(missing)}) have no values here, so what it "
              f"declares on the paths ({', '.join(r.name for r in on_paths)}) is not judged")
    supply = ("scan the root module that calls it (name its file too, or scan the repository), or give its variables "
              "values (a .tfvars file in its folder, --var)")
    return [UnreadableDefinition(key=f"module {module.folder}", name=module.folder,
                                 loc=Location(block.file, *block.position), field_name="default",
                                 unknown=Unknown(reason, supply))]


_INTEGRATIONS = ("aws_api_gateway_integration", "aws_apigatewayv2_integration")


def _uncounted(key: str, address: str, block: Block, unknown: Unknown) -> UnreadableDefinition:
    """Integrations whose instances cannot be told: reported, so a private integration is never missed
    silently."""
    meta = "for_each" if "for_each" in block.body.attributes else "count"
    return UnreadableDefinition(key=key, name=address, loc=Location(block.file, *block.position), field_name=meta,
                                unknown=Unknown(f"its integrations cannot be checked: {unknown.reason}",
                                                unknown.supply or f"give {meta} a value the files determine"))


# ---------------------------------------------------------------------------- what each file holds
