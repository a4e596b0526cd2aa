"""CloudFormation parameter values given from outside the templates, as teams keep them per environment:
``--parameter [TEMPLATE:]NAME=VALUE``, ``--parameters-file [TEMPLATE:]FILE`` and the configuration's
``parameters`` and ``parameter-files``.

A parameters file is read in the formats deploys read (recognised by content, not by name):

* the AWS CLI's ``--parameters`` JSON, ``[{"ParameterKey": K, "ParameterValue": V}]`` (``UsePreviousValue``
  keeps the stack's value, which the files do not show; ``ResolvedValue``, as ``describe-stacks`` writes it,
  is what an SSM parameter type held);
* CodePipeline's template configuration, ``{"Parameters": {K: V}}`` (also what ``aws cloudformation deploy
  --parameter-overrides file://...`` reads), and deploy's JSON list ``["K=V", ...]``;
* ``K=V`` pairs as ``--parameter-overrides`` takes them, one or more a line (shell quoting, ``#`` comments);
* SAM's ``samconfig.toml`` (or ``.yaml``): ``parameter_overrides`` of the ``default`` environment (or the one
  the configuration's ``sam-config-env`` names, as ``sam deploy --config-env``), its ``deploy`` table over its
  ``global`` one.

``sam deploy`` reads ``samconfig.toml`` (else ``samconfig.yaml``, ``samconfig.yml``) beside the template by
itself, so such a file is applied to the templates of its folder without being named (:func:`beside`), below
every value the user gives -- unless its ``template_file`` names another template.

The values a file gives are what the deploy passes, so for an SSM parameter type
(``AWS::SSM::Parameter::Value<...>``) they name the SSM parameter, whose value only AWS knows; a value given on
the command line or in the configuration is the value the template sees.

Command-line order decides which value wins (the configuration's come first, its files before its values),
like Terraform's ``--var``/``--var-file``. A value applies to every template of the run that declares the
parameter, or, with ``TEMPLATE:``, to that template only.
"""

from __future__ import annotations

import functools
import math
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from linter.model import Unknown, known_bool, known_int, known_str
from linter.parse.documents import ParseError, key_line, line_of, load_json, load_yaml, read_text
from linter.sensitive import SHOWN

PARAMETER, FILE = "parameter", "parameters-file"
_FLAGS = {PARAMETER: "--parameter", FILE: "--parameters-file"}
_NAME = re.compile(r"[A-Za-z0-9]{1,255}")


@dataclass(frozen=True)
class ParameterSource:
    """One ``--parameter`` (``text`` is ``NAME=VALUE``) or ``--parameters-file`` (``text`` is the file), for
    ``template`` only when it is set. ``configured``: from the configuration file, which serves runs over part
    of the repository too (a pre-commit hook's changed files), so a name no scanned template declares is no
    mistake there."""

    kind: str
    text: str
    template: str | None = None
    configured: bool = False
    beside: bool = False  # a SAM configuration found beside ``template``, applied as sam deploy applies it

    @classmethod
    def parse(cls, kind: str, text: str, base: str = os.curdir, configured: bool = False) -> ParameterSource:
        """``[TEMPLATE:]NAME=VALUE`` or ``[TEMPLATE:]FILE``, paths relative to ``base``. A parameter name has
        no colon, so ``TEMPLATE`` ends at the last colon before the ``=``; a file argument is a file when it
        exists as written, else ``TEMPLATE`` ends at its first colon."""
        if kind == PARAMETER:
            target = text.partition("=")[0].rpartition(":")[0]
            rest = text[len(target) + 1:] if target else text
        elif ":" in text and not os.path.exists(_at(base, text)):
            target, _, rest = text.partition(":")
        else:
            target, rest = "", text
        return cls(kind, _at(base, rest) if kind == FILE else rest, _at(base, target) if target else None,
                   configured)

    @property
    def flag(self) -> str:
        return "read as sam deploy reads it" if self.beside else _FLAGS[self.kind]

    @property
    def well_formed(self) -> bool:
        """Whether a ``--parameter`` is ``NAME=VALUE`` with a name CloudFormation allows (letters and digits)."""
        name, equals, _ = self.text.partition("=")
        return bool(equals) and _NAME.fullmatch(name) is not None


def _at(base: str, path: str) -> str:
    return path if base == os.curdir else os.path.join(base, path)


@dataclass(frozen=True)
class Given:
    """A value given for a parameter: the text CloudFormation receives and where it was written."""

    name: str
    text: str
    origin: str  # "--parameter", "params/prod.json:4"
    source: ParameterSource
    names_ssm_parameter: bool = False  # a deploy's own file: for an SSM parameter type the text names the parameter
    previous: bool = False  # UsePreviousValue: the stack keeps the value it has
    resolved: str | None = None  # ResolvedValue (describe-stacks): what an SSM parameter held

    def applies_to(self, template: str) -> bool:
        target = self.source.template
        return target is None or os.path.realpath(target) == os.path.realpath(template)


@dataclass
class Values:
    """What the sources of a run give, in order (the later wins), and what could not be read."""

    given: list[Given]
    errors: list[tuple[str, int | None, str]]  # (file, line, message)


SAM_CONFIGS = ("samconfig.toml", "samconfig.yaml", "samconfig.yml")  # the one sam deploy reads: the first there
SAM_ENVIRONMENT = "default"


def beside(template: str, root: str | None) -> ParameterSource | None:
    """The SAM configuration ``sam deploy`` reads for a template: the first of :data:`SAM_CONFIGS` in its
    folder, inside the scanned tree (a symbolic link out of it is never read)."""
    from linter.frontend import inside

    folder = os.path.dirname(template)
    for name in SAM_CONFIGS:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            readable = root is None or inside(path, root)
            return ParameterSource(FILE, path, template, configured=True, beside=True) if readable else None
    return None


def read_sources(sources: tuple[ParameterSource, ...], environment: str = SAM_ENVIRONMENT) -> Values:
    values = Values([], [])
    for source in sources:
        if source.kind == PARAMETER:
            name, _, text = source.text.partition("=")
            values.given.append(Given(name.strip(), text, source.flag, source))
            continue
        try:
            values.given.extend(read_file(source, environment))
        except ParseError as exc:
            values.errors.append((source.text, exc.line, f"{source.flag}: {exc.message}"))
    return values


def read_file(source: ParameterSource, environment: str = SAM_ENVIRONMENT) -> list[Given]:
    """The values a parameters file gives, recognised by content (see the module docstring)."""
    path = source.text
    text = read_text(path)
    name = os.path.basename(path).lower()
    if name.endswith(".toml"):
        return list(_samconfig(_toml(text), source, environment, functools.partial(_toml_line, text, environment)))
    if name.startswith("samconfig") and name.endswith((".yaml", ".yml")):
        return list(_samconfig(load_yaml(text), source, environment, lambda _command, item: line_of(item)))
    if text.lstrip().startswith(("[", "{")):
        return list(_json(load_json(text), source))
    return list(_pairs(enumerate(text.splitlines(), 1), source))


def _given(source: ParameterSource, name: Any, value: Any, line: int | None, **facts: Any) -> Given:
    text = known_str(value) if isinstance(value, (str, int, float)) else None
    if not isinstance(name, str) or not name or text is None:
        raise ParseError(f"expected a parameter name and a string value, got {_shown(name)} = {_shown(value)}", line)
    where = f"{source.text}:{line}" if line else source.text
    return Given(name, text, where, source, names_ssm_parameter=True, **facts)


def _json(document: Any, source: ParameterSource) -> Iterator[Given]:
    if isinstance(document, dict) and isinstance(document.get("Parameters"), dict):
        parameters = document["Parameters"]
        for name, value in parameters.items():
            yield _given(source, name, value, key_line(parameters, name))
        return
    if not isinstance(document, list):
        raise ParseError('not a parameters file: expected [{"ParameterKey": ..., "ParameterValue": ...}], '
                         '{"Parameters": {...}} or ["Key=Value", ...]', line_of(document))
    for entry in document:
        if isinstance(entry, str):
            yield from _pairs([(line_of(entry), entry)], source, split=False)
        elif isinstance(entry, dict) and "ParameterKey" in entry:
            line = line_of(entry)
            previous = entry.get("UsePreviousValue") is True
            resolved = entry.get("ResolvedValue")
            yield _given(source, entry["ParameterKey"], "" if previous else entry.get("ParameterValue"), line,
                         previous=previous, resolved=resolved if isinstance(resolved, str) else None)
        else:
            raise ParseError('expected {"ParameterKey": ..., "ParameterValue": ...} or "Key=Value"',
                             line_of(entry))


def _pairs(lines: Iterable[tuple[int | None, str]], source: ParameterSource, split: bool = True) -> Iterator[Given]:
    """``Key=Value`` pairs as ``--parameter-overrides`` takes them (and SAM's ``ParameterKey=K,ParameterValue=V``
    form), each text with its line; with ``split`` whitespace separates pairs and shell quoting keeps a value
    whole."""
    for number, line in lines:
        try:
            words = shlex.split(line, comments=True) if split else [line]
        except ValueError as exc:
            raise ParseError(f"cannot read the line as Key=Value pairs ({exc})", number) from None
        for word in words:
            name, equals, value = word.partition("=")
            if name == "ParameterKey" and ",ParameterValue=" in value:
                name, _, value = value.partition(",ParameterValue=")
            elif not equals:
                raise ParseError(f"expected Key=Value, got {word!r}", number)
            yield _given(source, name.strip(), value, number)


def _samconfig(document: Any, source: ParameterSource, name: str,
               line: Callable[[str, Any], int | None]) -> Iterator[Given]:
    """``parameter_overrides`` of environment ``name``: a string of pairs, or a list of them. ``line`` finds
    where a command's overrides are written. Found beside a template, a configuration whose ``template_file``
    names another template gives that one nothing, and one without overrides gives nothing (sam deploy asks
    for none)."""
    environment = document.get(name) if isinstance(document, dict) else None
    found: dict[str, Given] = {}
    for command in ("global", "deploy"):  # the command's own table over the global one
        table = environment.get(command) if isinstance(environment, dict) else None
        parameters = table.get("parameters") if isinstance(table, dict) else None
        if source.beside and not _deploys(parameters, source):
            return
        overrides = parameters.get("parameter_overrides") if isinstance(parameters, dict) else None
        for item in overrides if isinstance(overrides, list) else [overrides] if overrides is not None else []:
            if not isinstance(item, str):
                raise ParseError(f"[{name}.{command}.parameters] parameter_overrides: expected Key=Value text, "
                                 f"got {_shown(item)}", line_of(item))
            found.update((given.name, given) for given in _pairs([(line(command, item), item.replace("\n", " "))],
                                                                  source))
    if not found and not source.beside:
        raise ParseError(f"no parameter_overrides in [{name}.deploy.parameters] or [{name}.global.parameters]")
    yield from found.values()


def _deploys(parameters: Any, source: ParameterSource) -> bool:
    """Whether a SAM configuration found beside ``source.template`` is about that template: its
    ``template_file`` (or ``template``), when written, names it."""
    named = parameters.get("template_file", parameters.get("template")) if isinstance(parameters, dict) else None
    if not isinstance(named, str) or source.template is None:
        return True
    folder = os.path.dirname(source.text)
    return os.path.realpath(os.path.join(folder, named)) == os.path.realpath(source.template)


def _toml_line(text: str, environment: str, command: str, _item: Any) -> int | None:
    """The line of ``parameter_overrides`` in ``[ENVIRONMENT.COMMAND.parameters]`` (TOML keeps no lines)."""
    header = re.compile(rf"^\s*\[\s*{re.escape(environment)}\s*\.\s*{command}\s*\.\s*parameters\s*\]", re.MULTILINE)
    table = header.search(text)
    if table is None:
        return None
    key = re.compile(r"^\s*(\[|parameter_overrides\s*=)", re.MULTILINE).search(text, table.end())
    if key is None or key.group(1) == "[":
        return None
    return text.count("\n", 0, key.start()) + 1


def _toml(text: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r" \(at line (\d+), column \d+\)$", str(exc))  # tomllib says where only in its message
        raise ParseError(f"not valid TOML: {str(exc)[:at.start()] if at else exc}",
                         int(at.group(1)) if at else None) from None


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return "null" if value is None else repr(value)


# ----------------------------------------------------------------------------------- one template


class GivenText(str):
    """A parameter's value given from outside the templates, remembering where (``origin``: ``--parameter``,
    ``params/prod.json:4``): a finding about a property that reads it is fixed in that value, and says so."""

    origin: str

    @classmethod
    def of(cls, given: Given) -> GivenText:
        text = cls(given.text)
        text.origin = given.origin
        return text

    @property
    def source(self) -> str:
        """Where the value was given, for people: "given with --parameter", "given in params/prod.json:4"."""
        return f"given {'with' if self.origin.startswith('-') else 'in'} {self.origin}"


@dataclass(frozen=True)
class Applied:
    """The values given for one template's parameters (an :class:`Unknown` where the given text is not the
    value the template sees) and the problems CloudFormation would refuse the values for. (NoEcho values are
    hidden where the template reads them: :mod:`linter.sensitive`.)"""

    declared: frozenset[str]
    values: dict[str, Any]
    problems: list[tuple[str, str]]  # (parameter name, message)


def apply(template: str, declared: Mapping[str, Any], given: list[Given]) -> Applied:
    """The last value given for each parameter ``template`` declares, checked against its declaration."""
    chosen = {g.name: g for g in given if g.name in declared and g.applies_to(template)}
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, value in chosen.items():
        declaration = declared[name] if isinstance(declared[name], dict) else {}
        values[name], problem = _value(name, declaration, value)
        if problem is not None:
            problems.append((name, problem))
    return Applied(frozenset(map(str, declared)), values, problems)


def no_echo(declaration: Any) -> bool:
    """Whether CloudFormation masks the parameter: ``NoEcho`` read as a boolean, as CloudFormation reads it
    (``true``, ``"true"``, ``"True"``); the one reading for the values given and the template's own."""
    return isinstance(declaration, Mapping) and known_bool(declaration.get("NoEcho")) is True


def _value(name: str, declaration: Mapping[str, Any], given: Given) -> tuple[Any, str | None]:
    supply = f"pass --parameter {name}=VALUE with the value it is deployed with"
    if given.previous:
        return Unknown(f"parameter '{name}' keeps the value the stack has (UsePreviousValue in {given.origin})",
                       supply), None
    kind = str(declaration.get("Type", "String"))
    if kind.startswith("AWS::SSM::Parameter::Value<") and given.names_ssm_parameter:
        if given.resolved is None:
            return Unknown(f"parameter '{name}' is read from the SSM parameter '{given.text}' at deploy time "
                           f"({given.origin})", f"pass --parameter {name}=VALUE with the value that SSM parameter "
                           "holds"), None
        given = Given(name, given.resolved, given.origin, given.source)
    try:
        problem = refused(declaration, given.text)
    except Unchecked as exc:
        return Unknown(f"tlspath cannot tell whether CloudFormation takes the value given for parameter '{name}' "
                       f"({given.origin}): {exc.reason}", exc.fix), None
    if problem is None:
        return GivenText.of(given), None
    shown = SHOWN if no_echo(declaration) else repr(given.text)
    message = f"parameter '{name}' ({given.origin}): the value {shown} {problem}"
    return Unknown(f"the value given for parameter '{name}' {problem}", f"give parameter '{name}' a value it "
                   "allows"), message


def refused(declaration: Mapping[str, Any], text: str) -> str | None:
    """Why CloudFormation would refuse ``text`` for a parameter declared so (its type, ``AllowedValues``,
    ``AllowedPattern``, lengths and bounds), ``None`` when it takes it, :class:`Unchecked` when tlspath cannot
    tell. Each item of a list type is checked."""
    kind = str(declaration.get("Type", "String"))
    if kind.startswith("AWS::SSM::"):  # the value names an SSM parameter; AWS checks what it holds
        return None
    listed = kind.startswith("List<") or kind == "CommaDelimitedList"
    items = [item.strip() for item in text.split(",")] if listed else [text]
    if kind in ("Number", "List<Number>"):
        bad = next((item for item in items if not _number(item)), None)
        if bad is not None:
            return f"is not a number{' list' if listed else ''} (Type: {kind})"
    allowed = declaration.get("AllowedValues")
    if isinstance(allowed, list):
        choices = [known_str(choice) for choice in allowed]
        bad = next((item for item in items if item not in choices), None)
        if bad is not None:
            return f"is not one of its AllowedValues ({', '.join(str(c) for c in choices)})"
    return _pattern(declaration.get("AllowedPattern"), items, kind) or _bounds(declaration, text, kind)


def _number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


class Unchecked(Exception):
    """A declaration tlspath cannot check a value against (an ``AllowedPattern`` it cannot read or run to an
    answer): the value is neither taken nor refused, so the path stops there (I9513) -- never a silent match."""

    def __init__(self, reason: str, fix: str):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def _pattern(pattern: Any, items: list[str], kind: str) -> str | None:
    """``AllowedPattern`` (String and CommaDelimitedList: each item must match whole, as Java's ``matches()``).

    CloudFormation runs it as a Java regular expression. The ``regex`` package, in its version-1 syntax with
    ASCII classes, reads what templates use the way Java does: ``\\d``, ``\\w`` and ``\\s`` ASCII only, nested
    and intersected classes (``[a-z&&[^q]]``), ``\\p{Alpha}``, lookaround, possessive quantifiers, ``(?i)``. A
    pattern it cannot read (``\\Q...\\E``, ``\\p{javaLowerCase}``), past the bounds every pattern from the files
    runs with, or that does not answer in time on the value (``^(a|a)*$`` backtracks) raises :class:`Unchecked`."""
    if not isinstance(pattern, str) or kind not in ("String", "CommaDelimitedList"):
        return None
    from linter.limits import MAX_REGEX_TEXT, REGEX_TIMEOUT

    expression = _java(pattern)
    for item in items:
        if len(item) > MAX_REGEX_TEXT:
            raise Unchecked(f"a value of more than {MAX_REGEX_TEXT:,} characters is not run through its "
                            "AllowedPattern", "give a shorter value")
        try:
            matched = expression.fullmatch(item, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise Unchecked(f"its AllowedPattern ({pattern}) takes too long on the value (the pattern backtracks)",
                            "simplify the AllowedPattern: no repetition of alternatives that match the same "
                            "text, such as (a|a)*") from None
        if not matched:
            return f"does not match its AllowedPattern ({pattern})"
    return None


def _java(pattern: str) -> Any:
    """``pattern`` compiled as :func:`_pattern` runs it, within the size bounds of every pattern from the files."""
    from linter.limits import MAX_PATTERN, MAX_PATTERN_SIZE
    from linter.parse.terraform.regexp import pattern_size
    from linter.parse.terraform.values import EvalError

    simplify = "write the AllowedPattern with fewer or smaller counted repetitions"
    if len(pattern) > MAX_PATTERN:
        raise Unchecked(f"its AllowedPattern is longer than {MAX_PATTERN} characters", simplify)
    try:
        if pattern_size(pattern) > MAX_PATTERN_SIZE:
            raise Unchecked(f"its AllowedPattern ({pattern}) expands to more than {MAX_PATTERN_SIZE:,} atoms", simplify)
    except EvalError as exc:
        raise Unchecked(f"its AllowedPattern ({pattern}) has {exc}", simplify) from None
    import regex

    try:
        return regex.compile(pattern, regex.V1 | regex.ASCII)
    except (regex.error, ValueError, OverflowError) as exc:
        raise Unchecked(f"tlspath cannot read its AllowedPattern ({pattern}): {exc}",
                        "write the AllowedPattern without Java-only syntax (\\Q...\\E, \\p{javaLowerCase}), or "
                        "check the value by hand") from None


def _bounds(declaration: Mapping[str, Any], text: str, kind: str) -> str | None:
    """``MinLength``/``MaxLength`` of a String, ``MinValue``/``MaxValue`` of a Number."""
    measured = len(text) if kind == "String" else float(text) if kind == "Number" else None
    if measured is None:
        return None
    low, high = ("MinLength", "MaxLength") if kind == "String" else ("MinValue", "MaxValue")
    for key, outside, says in ((low, lambda limit: measured < limit, "is below"),
                               (high, lambda limit: measured > limit, "is above")):
        limit = known_int(declaration.get(key))
        if limit is not None and outside(limit):
            return f"{says} its {key} ({limit})"
    return None
