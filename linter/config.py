"""One configuration for every place tlspath runs: ``[tool.tlspath]`` in ``pyproject.toml``, or the same keys
at the top level of ``.tlspath.toml``, so pre-commit, CI and a laptop judge alike without repeating flags.

Which file: ``--config FILE``, else the first found from the scanned paths' common folder upwards, stopping at
the top of the git work tree (or of the file system outside one): in each folder ``.tlspath.toml`` first,
then a ``pyproject.toml`` that has a ``[tool.tlspath]`` table (ruff looks for its files the same way).

The keys mirror the flags, and a flag beats the file: ``select``, ``fail-level``, ``expiry-days`` and
``trust-store`` given as flags replace the file's value; ``ignore``, ``exclude``, ``var-files``,
``parameter-files`` and ``parameters`` add to the file's lists (var files and parameters given as flags apply
after the file's, so their values win); ``--severity ID=LEVEL`` overrides the file's ``severity`` for that id.
Paths in the file (``exclude``, ``trust-store``, ``var-files``, ``parameter-files`` and the templates
``parameters`` and ``parameter-files`` name) are relative to the file's folder, and the files it reads must
stay inside its repository (see :class:`_Place`). An unknown key, a wrong type or a value out of range is an error naming
the file and the key (exit 2): a typo never silently does nothing.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.files import MAX_SETTINGS_BYTES, Unreadable, from_here, read_bounded
from linter.git import work_tree_top

if TYPE_CHECKING:
    from linter.parse.parameters import ParameterSource

FILES = (".tlspath.toml", "pyproject.toml")
FAIL_LEVELS = ("error", "warning", "info", "none")
LEVELS = ("error", "warning", "info")
MAX_EXPIRY_DAYS = 36500  # a hundred years: the moment judged plus this stays a date Python can compute with


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """The settings a configuration file gives (empty when there is none); paths are as the run can open them."""

    file: str | None = None
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    fail_level: str | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()  # patterns relative to ``folder``
    expiry_days: int | None = None
    trust_store: str | None = None
    var_files: tuple[str, ...] = ()
    parameters: tuple[ParameterSource, ...] = ()  # parameter-files, then parameters, in the file's order
    sam_config_env: str | None = None  # the samconfig environment read, as sam deploy --config-env (default: default)

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.file)) if self.file else os.curdir


def common_folder(paths: Sequence[str]) -> str:
    """The folder a run over ``paths`` is about: the deepest one holding them all (the current one for none)."""
    absolute = [os.path.abspath(path) for path in paths] or [os.path.abspath(os.curdir)]
    return os.path.commonpath([path if os.path.isdir(path) else os.path.dirname(path) for path in absolute])


def find(paths: Sequence[str]) -> str | None:
    """The configuration file for a run over ``paths`` (see the module docstring), ``None`` when there is none."""
    folder = common_folder(paths)
    top = work_tree_top(folder)
    while True:
        for name in FILES:
            candidate = os.path.join(folder, name)
            if os.path.lexists(candidate) and (name != "pyproject.toml" or _has_table(candidate)):
                return from_here(candidate)
        parent = os.path.dirname(folder)
        if folder == top or parent == folder:
            return None
        folder = parent


def load(file: str) -> Config:
    """The settings in ``file`` (a ``pyproject.toml`` is read from its ``[tool.tlspath]`` table)."""
    document = _parse(file)
    if os.path.basename(file) == "pyproject.toml":
        table = document.get("tool", {}).get("tlspath") if isinstance(document.get("tool"), dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"{file}: no [tool.tlspath] table")
        where = "[tool.tlspath] "
    else:
        table, where = document, ""
    values: dict[str, Any] = {}
    for key, value in table.items():
        reader = _KEYS.get(key)
        if reader is None:
            hint = " (in this file the keys stand at the top level, without [tool.tlspath])" if key == "tool" else ""
            raise ConfigError(f"{file}: {where}unknown key {key!r}{hint} (known: {', '.join(_KEYS)})")
        try:
            values[key.replace("-", "_")] = reader(value)
        except ValueError as exc:
            raise ConfigError(f"{file}: {where}{key}: {exc}") from None
    place = _Place(file, where)
    if "trust_store" in values:
        values["trust_store"] = place("trust-store", values["trust_store"])
    if "var_files" in values:
        values["var_files"] = tuple(place("var-files", path, must_exist=True) for path in values["var_files"])
    values["parameters"] = _parameter_sources(file, where, values.pop("parameter_files", ()),
                                              values.pop("parameters", {}))
    return Config(file=file, **values)


@dataclass(frozen=True)
class _Place:
    """Where a path in a configuration file leads, relative to the file's folder -- refused outside the
    repository holding the file (outside one: outside the file's folder). The file comes with the code, and in
    a pull-request job the code is anyone's: it must not make tlspath read, and print values from, a file of the
    runner's (credentials, another checkout). A flag is the user's own word and may name any file."""

    file: str
    where: str

    def __call__(self, key: str, path: str, must_exist: bool = False) -> str:
        from linter.frontend import inside

        folder = os.path.dirname(os.path.abspath(self.file))
        top = work_tree_top(folder)
        full = os.path.join(folder, path)
        if not inside(full, top or folder):
            scope = f"the repository ({top})" if top else f"the folder of the configuration file ({folder})"
            raise ConfigError(f"{self.file}: {self.where}{key}: {path!r} is outside {scope}; a configuration file "
                              "names files inside it only (a flag may name any)")
        if must_exist and not os.path.isfile(full):
            reason = "no such file or directory" if not os.path.lexists(full) else "not a regular file"
            raise ConfigError(f"{self.file}: {self.where}{key}: {path!r}: {reason}")
        return from_here(full)


def _parameter_sources(file: str, where: str, files: tuple[str, ...],
                       parameters: Mapping[str, str]) -> tuple[ParameterSource, ...]:
    """``parameter-files`` and ``parameters`` as the CloudFormation front end takes them: paths from the
    file's folder, a parameter file inside the file's repository (:class:`_Place`)."""
    from linter.parse.parameters import FILE, PARAMETER, ParameterSource

    folder, place = from_here(os.path.dirname(os.path.abspath(file))), _Place(file, where)
    sources = []
    for text in files:
        source = ParameterSource.parse(FILE, text, folder, configured=True)
        placed = place("parameter-files", os.path.relpath(source.text, folder), must_exist=True)
        sources.append(dataclasses.replace(source, text=placed))
    sources += [ParameterSource.parse(PARAMETER, f"{name}={value}", folder, configured=True)
                for name, value in parameters.items()]
    malformed = next((source.text for source in sources if source.kind == PARAMETER and not source.well_formed), None)
    if malformed is not None:
        raise ConfigError(f"{file}: {where}parameters: {malformed.partition('=')[0]!r} is not a CloudFormation "
                          "parameter name ([TEMPLATE:]NAME, NAME letters and digits)")
    return tuple(sources)


def _parse(file: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        return tomllib.loads(read_bounded(file, MAX_SETTINGS_BYTES).decode("utf-8"))
    except Unreadable as exc:
        raise ConfigError(f"{file}: cannot read it ({exc})") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise ConfigError(f"{file}: not valid TOML: nested too deeply") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None


def _has_table(file: str) -> bool:
    """Whether a ``pyproject.toml`` configures tlspath (one that does not is passed over, as ruff does). An
    unreadable one is read -- and reported -- by :func:`load`."""
    try:
        document = _parse(file)
    except ConfigError:
        return True
    tool = document.get("tool")
    return isinstance(tool, dict) and "tlspath" in tool


# ------------------------------------------------------------------------------------------ values


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"expected a list of strings, got {_shown(value)}")
    return tuple(value)


def rule_ids(values: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """Rule ids or id prefixes, upper-cased (``w95`` is ``W95``); :class:`ValueError` for one that starts no
    rule id in ``known``. Shared by the flags and the file."""
    prefixes = tuple(value.strip().upper() for value in values if value.strip())
    unknown = [prefix for prefix in prefixes if not any(rule.startswith(prefix) for rule in known)]
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: no rule id starts with that (see --list-rules)")
    return prefixes


def _rules(value: Any) -> tuple[str, ...]:
    return rule_ids(_strings(value), _known_rules())


def _known_rules() -> list[str]:
    from linter.rules import catalogue

    return [rule.id for rule in catalogue()]


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {_shown(value)}")
        return str(value)
    return read


def _severity(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f'expected a table of rule ids and levels (e.g. {{I9513 = "warning"}}), got {_shown(value)}')
    level = _choice(LEVELS)
    return {rule_ids([rule], _known_rules())[0]: level(given) for rule, given in value.items()}


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_EXPIRY_DAYS:
        raise ValueError(f"expected a number of days from 0 to {MAX_EXPIRY_DAYS}, got {_shown(value)}")
    return value


def pattern(text: str) -> str:
    """A pattern in .gitignore's language a person wrote for tlspath; :class:`ValueError` saying what git would
    not make of it (in a ``.gitignore`` git passes over such a line). Shared by the flag and the file."""
    from linter.gitignore import problem

    wrong = problem(text)
    if wrong is not None:
        raise ValueError(f"{text!r} is not a pattern: {wrong}")
    return text


def _patterns(value: Any) -> tuple[str, ...]:
    return tuple(pattern(text) for text in _strings(value))


def _values(value: Any) -> dict[str, str]:
    """A table of parameter values (``{DomainName = "api.example.com"}``); numbers and booleans as
    CloudFormation receives them, as text."""
    if not isinstance(value, dict):
        raise ValueError(f'expected a table of parameter names and values (e.g. {{DomainName = "api.example.com"}}), '
                         f"got {_shown(value)}")
    bad = next((name for name, given in value.items() if not isinstance(given, (str, int, float))), None)
    if bad is not None:
        raise ValueError(f"{bad}: expected a string, got {_shown(value[bad])}")
    return {name: str(given).lower() if isinstance(given, bool) else str(given) for name, given in value.items()}


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a name, got {_shown(value)}")
    return value


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a path, got {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)
    return f"{kind} ({value!r})" if not isinstance(value, (list, dict)) else kind


_KEYS: dict[str, Callable[[Any], Any]] = {
    "select": _rules, "ignore": _rules, "fail-level": _choice(FAIL_LEVELS), "severity": _severity,
    "exclude": _patterns, "expiry-days": _days, "trust-store": _path, "var-files": _strings,
    "parameter-files": _strings, "parameters": _values, "sam-config-env": _name,
}
