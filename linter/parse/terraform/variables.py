"""The values of a root module's variables, from every place Terraform takes them, in Terraform's order.

Lowest precedence first, the later winning:

1. the variable's ``default`` (read where the variable is declared, not here);
2. ``TF_VAR_<name>`` environment variables;
3. ``terraform.tfvars``, then ``terraform.tfvars.json``, in the root module's folder;
4. ``*.auto.tfvars`` and ``*.auto.tfvars.json`` there, in lexical order of their names;
5. ``-var-file`` and ``-var``, in the order they were given on the command line.

Files are read like any Terraform file (so their values remember their lines). An environment variable or a
``-var`` is text that Terraform parses by the variable's declared type -- as an HCL expression for a complex
type (``TF_VAR_ports='[443, 8443]'``), as a literal string for a string, number or bool, or when no type is
declared -- so it is kept as :class:`GivenText` until the declaration is read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from linter.files import Unreadable, not_a_file, read_bounded
from linter.findings import InputError, reported
from linter.frontend import inside
from linter.model import VALUE_FROM, Location, Unknown
from linter.parse.documents import ParseError
from linter.parse.terraform.values import Located, origin_of, relocated, sourced

if TYPE_CHECKING:
    from linter.parse.terraform.evaluate import Evaluator, Scope
    from linter.parse.terraform.hcl import Block
    from linter.parse.terraform.modules import Sources

AUTOMATIC = ("terraform.tfvars", "terraform.tfvars.json")
AUTOMATIC_SUFFIXES = (".auto.tfvars", ".auto.tfvars.json")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def well_formed(setting: str) -> bool:
    """Whether a ``--var`` is ``NAME=VALUE`` with a name Terraform allows (the CLI refuses any other)."""
    name, equals, _ = setting.partition("=")
    return bool(equals) and _NAME.fullmatch(name.strip()) is not None


@dataclass(frozen=True)
class GivenText:
    """A value given as text outside any file: ``--var NAME=VALUE`` or ``TF_VAR_NAME``. ``source`` says
    where, for people (``the environment variable TF_VAR_port``)."""

    text: str
    source: str

    def value(self, declared: Block, evaluator: Evaluator) -> Any:
        """The value, parsed as Terraform parses it for this declaration (see the module docstring). It has
        no line of its own: findings about it point at the declaration and say where the value came from."""
        origin = Location(declared.file, declared.line, note=f"{VALUE_FROM}{self.source}")
        if not _parsed_as_hcl(declared):
            return sourced(self.text, origin)
        try:
            body = self._body()
        except ParseError as exc:
            return Unknown(self.refusal(declared, exc), "write it as an HCL value of the variable's type")
        return relocated(evaluator.value(body.attributes["value"].expr, literal_scope(self.source)), origin)

    def syntax_error(self, declared: Block) -> str | None:
        """Why terraform refuses this text for the declaration before planning anything (malformed HCL for a
        complex type), or ``None``."""
        if not _parsed_as_hcl(declared):
            return None
        try:
            self._body()
        except ParseError as exc:
            return self.refusal(declared, exc)
        return None

    def refusal(self, declared: Block, exc: ParseError) -> str:
        return f"{self.source} is not a valid value for variable '{declared.labels[0]}' ({exc.message})"

    def _body(self) -> Any:
        from linter.parse.terraform.hcl import body_of, parse_text

        return body_of(parse_text(f"value = {self.text}\n"), self.source)


def _parsed_as_hcl(declared: Block) -> bool:
    """Whether terraform reads text given for the variable as an HCL expression: for a complex type, not for
    a string, number or bool, nor when no type is declared (then the text is the string)."""
    from linter.parse.terraform.types import parse_type

    constraint = declared.body.attributes.get("type")
    return constraint is not None and parse_type(constraint.expr) not in ("string", "number", "bool")


def refused_values(variables: Mapping[str, Block], values: Mapping[str, Any]) -> list[InputError]:
    """Values given as text (``--var``, ``TF_VAR_``) that terraform refuses for their variable before it plans
    anything -- malformed HCL for a complex type: an input error at the declaration, as terraform stops there,
    whether or not a path reads the variable."""
    errors = []
    for name, given in values.items():
        declared = variables.get(name)
        problem = given.syntax_error(declared) if isinstance(given, GivenText) and declared is not None else None
        if declared is not None and problem is not None:
            errors.append(InputError(declared.file, declared.line, problem))
    return errors


def given_values(variables: tuple[tuple[str, str], ...], sources: Sources, evaluator: Evaluator,
                 errors: list[InputError]) -> list[tuple[str, dict[str, Any]]]:
    """``--var-file`` and ``--var`` values, in command-line order (the later wins): per argument, as the user
    wrote it (``--var-file prod.tfvars``, ``--var port``), the values it gives."""
    given: list[tuple[str, dict[str, Any]]] = []
    for flag, text in variables:
        if flag == "var-file":
            if not os.path.isfile(text):
                errors.append(InputError(text, None, f"--var-file: {not_a_file(text)}"))
                given.append((f"--var-file {text}", {}))
                continue
            given.append((f"--var-file {text}", _given_in(text, os.path.dirname(os.path.abspath(text)), sources,
                                                          evaluator)))
            continue
        name, _, value = text.partition("=")  # the CLI refuses a --var that is not NAME=VALUE
        given.append((f"--var {name.strip()}", {name.strip(): GivenText(value, f"--var {name.strip()}=...")}))
    return given


def passed_values(passed: list[tuple[str, str, str] | Unknown], below: dict[str, Any], variables: Mapping[str, Block],
                  root: str, sources: Sources, evaluator: Evaluator) -> dict[str, Any]:
    """``below`` with what Terragrunt's ``extra_arguments`` pass to terraform on top, in order: a var file's
    values, a ``-var``. An argument tlspath cannot read (a var file outside the scanned tree) may set any
    variable: each variable not set after it is unknown, naming it -- never its default or a lower value."""
    values = dict(below)
    for argument in passed:
        if isinstance(argument, Unknown):
            values = {name: Unknown(f"variable '{name}' may be set by what Terragrunt passes to terraform, which "
                                    f"tlspath cannot read: {argument.reason}", argument.supply) for name in variables}
        elif argument[0] == "var-file":
            values.update(_given_in(argument[1], root, sources, evaluator))
        else:
            name, _, value = argument[1].partition("=")
            values[name.strip()] = GivenText(value, f"-var {name.strip()}=... in {argument[2]}")
    return values


def environment_values(environment: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """``TF_VAR_<name>`` values (``environment`` holds the names without the prefix)."""
    return {name: GivenText(text, f"the environment variable TF_VAR_{name}") for name, text in environment}


def automatic_values(folder: str, root: str, sources: Sources, evaluator: Evaluator) -> dict[str, Any]:
    """Values from the files Terraform loads by itself in a root module's folder."""
    values: dict[str, Any] = {}
    for path in automatic_files(folder):
        values.update(_given_in(path, root, sources, evaluator))
    return values


def automatic_files(folder: str) -> list[str]:
    """The files Terraform loads by itself in a root module's folder, in its order."""
    from linter.parse.terraform.modules import list_dir

    names = sorted(list_dir(folder))
    loaded = [name for name in AUTOMATIC if name in names]
    loaded += [name for name in names if name.endswith(AUTOMATIC_SUFFIXES)]
    return [os.path.join(folder, name) for name in loaded]


def read_var_file(path: str, root: str, sources: Sources, evaluator: Evaluator) -> dict[str, Any]:
    values: dict[str, Any] = {}
    with reported(sources.errors, path):
        values = _var_file_values(path, root, sources, evaluator)
    return values


def _var_file_values(path: str, root: str, sources: Sources, evaluator: Evaluator) -> dict[str, Any]:
    source = sources.parse(path, root)
    if source is None:
        return {}
    scope = literal_scope(path)
    return {name: evaluator.value(attribute.expr, scope.at(attribute.file))
            for name, attribute in source.body.attributes.items()}


def _given_in(path: str, root: str, sources: Sources, evaluator: Evaluator) -> dict[str, Any]:
    """A ``.tfvars`` file's values as variable values: each remembers the line that sets it."""
    values = read_var_file(path, root, sources, evaluator)
    source = sources.parse(path, root)  # parsed once: the same file again
    if source is None:
        return values
    return {name: value if given_at(value) is not None or name not in source.body.attributes
            else Written(value, Location(source.body.attributes[name].file, source.body.attributes[name].line))
            for name, value in values.items()}


@dataclass(frozen=True)
class Written:
    """A value from a ``.tfvars`` file that cannot remember its own place (``true``, ``null``, ``[]``), with
    the line that sets it: a refusal of it points there."""

    value: Any
    origin: Location


WORKSPACE_UNKNOWN = "set TF_WORKSPACE to the workspace it is deployed in"


def selected_workspace(folder: str, root: str, workspace: str, data_dir: str, remote: bool) -> str | Unknown:
    """``terraform.workspace`` of a root module in ``folder``, as terraform run there has it: ``TF_WORKSPACE``
    (``workspace``) when set, else what the data folder's ``environment`` file holds (``terraform workspace
    select`` writes it; the data folder is ``TF_DATA_DIR`` (``data_dir``), else ``.terraform``), else
    ``default``. Not known where that file lies outside the scanned tree or cannot be read, or where the
    configuration runs in HCP Terraform (``remote``: a ``cloud`` block or ``backend "remote"``), whose
    workspace is chosen there."""
    if workspace:
        return workspace
    if remote:
        return Unknown("terraform.workspace is the HCP Terraform workspace the run is in (the configuration has a "
                       "cloud block or backend \"remote\")", WORKSPACE_UNKNOWN)
    path = os.path.normpath(os.path.join(folder, data_dir or ".terraform", "environment"))
    if not inside(path, root):
        return Unknown(f"terraform.workspace is read from {path} (TF_DATA_DIR), outside the scanned tree, which "
                       "tlspath never reads", WORKSPACE_UNKNOWN)
    if not os.path.lexists(path):
        return "default"
    try:
        return read_bounded(path, 4096).decode("utf-8").strip() or "default"
    except (Unreadable, UnicodeDecodeError) as exc:
        return Unknown(f"terraform.workspace is read from {path}, which cannot be read ({exc})", WORKSPACE_UNKNOWN)


def given_at(value: Any, depth: int = 0) -> Location | None:
    """Where a value was written, as far as it remembers: a string's or number's own place, an object's, else
    its first element's (``[443]`` in a ``.tfvars``); ``None`` for ``true``, ``false`` and ``null``."""
    if isinstance(value, Located):
        return Location(value.file, value.line, value.column) if value.file else None
    if isinstance(value, list) and value and depth < 30:
        return given_at(value[0], depth + 1)
    return origin_of(value)


def literal_scope(file: str) -> Scope:
    """Where a variable value is evaluated: it cannot refer to anything (Terraform rejects it too)."""
    from linter.parse.terraform.evaluate import Context, Scope

    context = cast("Context", _NoReferences())  # a closed scope never asks its context for a name
    return Scope(context, file, closed="a variable value (it cannot refer to anything)")


class _NoReferences:
    """The context of a variable value."""

    address = ""

    def read_file(self, path: Any, function: str) -> Any:
        return Unknown(f"{function}() in a variable value is not evaluated")

    def input_name(self, value: Unknown) -> str | None:
        return None

    def condition_name(self, formula: Any, text: str) -> str:
        return text
