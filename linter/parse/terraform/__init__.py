"""Terraform to the neutral model: HCL root modules and ``terraform show -json`` plans.

The rules never learn about HCL: this package evaluates configurations (``hcl.py`` parses, ``evaluate.py``
and ``functions.py`` compute expressions, ``modules.py`` follows variables, locals, ``count``/``for_each`` and
module calls) and maps each resource instance with the same builders for HCL and plan JSON
(``resources.py``), then hands the rules models like any other front end's.

Which folders are root modules: every folder with ``.tf`` files the run found, except those another found
folder calls as a local module (``source = "./..."``) -- those are read through their callers, with the inputs
the callers give, so one module never reports the same finding twice under two names. A folder reached only
through a cycle of calls is read as a root all the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.findings import InputError, reported
from linter.frontend import (
    Built, Candidate, Claims, Document, FrontEndSettings, read_on_their_own,
)
from linter.model import InlinePrivateKey, Location, Model, Unknown, UnreadableDefinition

if TYPE_CHECKING:
    from linter.parse.terraform.evaluate import Evaluator
    from linter.parse.terraform.hcl import Block
    from linter.parse.terraform.modules import Module, Sources


@dataclass(frozen=True)
class TerraformSettings:
    """What the user gave the Terraform front end besides the files: ``--var``/``--var-file`` in command-line
    order, ``("var", "NAME=VALUE")`` or ``("var-file", "FILE")``, and the ``TF_VAR_*`` environment variables
    as ``(NAME, value)`` (the CLI reads the environment; the front end never does)."""

    variables: tuple[tuple[str, str], ...] = ()
    environment: tuple[tuple[str, str], ...] = ()


PLAN_HINT = '"planned_values"'


class Terraform:
    """The Terraform front end: every folder with ``.tf`` files (with the ``.tfvars`` Terraform loads there),
    and plan JSON documents."""

    claims = Claims(documents=("*.json",), folders=("*.tf", "*.tf.json"), companions=("*.tfvars", "*.tfvars.json"))

    def may_read(self, text: str) -> bool:
        return PLAN_HINT in text

    def reads(self, document: Document) -> bool:
        if not self.may_read(document.text):  # spares a run without plans the import below
            return False
        from linter.parse.terraform.plan import is_plan

        return is_plan(document.data)

    def build(self, folders: list[Candidate], documents: list[Document], settings: FrontEndSettings) -> Built:
        return build_models(folders, documents, settings.of(TerraformSettings))


def build_models(candidates: list[Candidate], plans: list[Document], settings: TerraformSettings) -> Built:
    """One model per root module and per plan, plus the private keys written in any Terraform file."""
    from linter.parse.terraform.evaluate import Evaluator
    from linter.parse.terraform.functions import FUNCTIONS
    from linter.parse.terraform.modules import Sources
    from linter.parse.terraform.plan import build_plan_model
    from linter.parse.terraform.variables import environment_values, given_values

    sources = Sources()
    evaluator = Evaluator(FUNCTIONS)
    result = Built()
    modules = {candidate.path: sources.module(candidate.path, candidate.root) for candidate in candidates}
    environment = environment_values(settings.environment)
    command_line = given_values(settings.variables, sources, evaluator, result.errors)
    for candidate in root_modules(candidates, modules):
        with reported(result.errors, candidate.path):  # one module must never hide the findings of another
            try:
                model = _configuration_model(candidate, modules[candidate.path], (environment, command_line),
                                             sources, evaluator)
            except RecursionError:
                result.errors.append(InputError(candidate.path, None, "expressions are nested too deeply to evaluate"))
            else:
                result.models.append(model)
    for plan in plans:
        with reported(result.errors, plan.candidate.path):
            model, errors = build_plan_model(plan.candidate, plan.data, sources)
            result.models.append(model)
            result.errors.extend(errors)
    result.models.extend(_file_models(sources, result.errors))
    result.errors[:0] = sources.errors
    result.files = len(sources.files) + len(plans)
    return result


def root_modules(candidates: list[Candidate], modules: dict[str, Module]) -> list[Candidate]:
    """The folders to read as root modules (see the module docstring)."""
    by_folder = {os.path.realpath(c.path): c for c in candidates}
    calls = {folder: {os.path.realpath(f) for f in modules[c.path].local_sources()} - {folder}
             for folder, c in by_folder.items()}
    return [by_folder[folder] for folder in read_on_their_own(calls)]


def _configuration_model(candidate: Candidate, module: Module, given: tuple[dict[str, Any], dict[str, Any]],
                         sources: Sources, evaluator: Evaluator) -> Model:
    """The model of a root module. ``given``: the environment's and the command line's variable values, between
    which the module's own ``.tfvars`` files rank (see :mod:`~linter.parse.terraform.variables`)."""
    from linter.parse.terraform.modules import Configuration
    from linter.parse.terraform.resources import BUILDERS
    from linter.parse.terraform.variables import automatic_values

    evaluator.start()
    environment, command_line = given
    inputs = {**environment, **automatic_values(module.folder, candidate.root, sources, evaluator), **command_line}
    config = Configuration(module, candidate.root, inputs, sources, evaluator)
    model = Model(module.folder)
    for instance in config.instances():
        for group in instance.groups().values():
            builder = BUILDERS.get(group.kind)
            if builder is None:
                continue
            expansion = group.expansion()
            if isinstance(expansion, Unknown):
                if group.kind in _INTEGRATIONS and instance.module.mentions_vpc_link:
                    model.add(_uncounted(config.key(group.address), group.address, group.block, expansion))
                continue
            for resource in expansion:
                for built in builder(resource, config):
                    model.add(built)
    model.conditions.update(config.condition_formulas)
    return model


_INTEGRATIONS = ("aws_api_gateway_integration", "aws_apigatewayv2_integration")


def _uncounted(key: str, address: str, block: Block, unknown: Unknown) -> UnreadableDefinition:
    """Integrations whose instances cannot be told: reported, so a private integration is never missed
    silently."""
    meta = "for_each" if "for_each" in block.body.attributes else "count"
    return UnreadableDefinition(key=key, name=address, loc=Location(block.file, block.line), field_name=meta,
                                unknown=Unknown(f"its integrations cannot be checked: {unknown.reason}",
                                                unknown.supply or f"give {meta} a value the files determine"))


# ---------------------------------------------------------------------------- what each file holds


def _file_models(sources: Sources, errors: list[InputError]) -> list[Model]:
    """Per file read, whoever read it: the private keys written in it, and its suppressions."""
    from linter.parse.terraform.hcl import private_keys

    models = []
    for source in sources.files:
        with reported(errors, source.path):
            model = Model(source.path)
            for owner, field_name, line in private_keys(source):
                model.add(InlinePrivateKey(key=f"{source.path}#{line}", name=owner, loc=Location(source.path, line),
                                           field_name=field_name))
            model.suppressions.extend(source.suppressions)  # judged once per file, whoever reads it
            if model.resources or model.suppressions:
                models.append(model)
    return models
