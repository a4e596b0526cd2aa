"""What cfn-init does on an instance: the files it writes and the commands it runs from a resource's
``AWS::CloudFormation::Init`` metadata, as a boot script's call asks for them.

AWS's own samples keep UserData to ``cfn-init --resource X`` and ``cfn-signal`` and set the instance up in
``AWS::CloudFormation::Init``: a certificate made there is made at boot exactly like one made in UserData. cfn-init
applies the configs the configsets it is given name (``-c``; ``default`` when none), in order -- or the single
``config`` key when the metadata has no ``configSets``. Within a config it writes ``files`` before it runs
``commands``, and runs commands in the alphabetical order of their names. What a call does not settle -- a resource
or configset only known on the instance, a configset the metadata does not define -- runs nothing here: the
evidence is then what the boot script shows alone, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from linter.evidence import command_lines

_CALL = re.compile(r"\bcfn-init(?:\.exe)?(?![\w.-])")
_OPTION = re.compile(r"(?<!\S)(-r|--resource|-c|--configsets)(?:=|[ \t]+)(['\"]?)([^\s'\";|&]+)\2")
_LOGICAL_ID = re.compile(r"[A-Za-z0-9]+")
_CONFIGSETS = re.compile(r"[\w.:-]+(?:,[\w.:-]+)*")  # anything else ($1, %SETS%, a deploy-time gap) is not known
_DEPTH = 20  # configsets including configsets: a cycle (which cfn-init refuses) ends here


@dataclass(frozen=True)
class Call:
    """One cfn-init call a boot script makes: the resource whose metadata it applies and the configsets it
    runs (``None``: only known on the instance)."""

    resource: str | None
    configsets: tuple[str, ...] | None


@dataclass(frozen=True)
class Step:
    """A file cfn-init writes (``path`` and the node of its ``content``) or a command it runs (``path`` None,
    the node of its ``command``)."""

    path: str | None
    node: Any


def calls(script: str) -> list[Call]:
    """The cfn-init calls ``script`` runs (not those in a comment or in printed text)."""
    found = []
    for line in command_lines(_CALL, script):
        options: dict[str, str] = {}
        for option in _OPTION.finditer(line):
            options.setdefault(option.group(1).lstrip("-")[0], option.group(3))
        resource, configsets = options.get("r"), options.get("c", "default")
        found.append(Call(resource if resource and _LOGICAL_ID.fullmatch(resource) else None,
                          tuple(configsets.split(",")) if _CONFIGSETS.fullmatch(configsets) else None))
    return found


def steps(init: Any, configsets: tuple[str, ...]) -> list[Step]:
    """The files written and commands run when cfn-init applies ``configsets`` of the ``init`` metadata (as
    written), in cfn-init's order."""
    found: list[Step] = []
    for name in _configs(init, configsets) if isinstance(init, dict) else []:
        config = init.get(name)
        if not isinstance(config, dict):
            continue
        files, commands = config.get("files"), config.get("commands")
        if isinstance(files, dict):
            found.extend(Step(str(path), entry["content"]) for path, entry in files.items()
                         if isinstance(entry, dict) and entry.get("content") is not None)
        if isinstance(commands, dict):
            found.extend(Step(None, commands[key]["command"]) for key in sorted(commands, key=str)
                         if isinstance(commands[key], dict) and commands[key].get("command") is not None)
    return found


def _configs(init: dict, configsets: tuple[str, ...]) -> list[str]:
    """The config keys ``configsets`` name, in order; none when one of them is not defined (cfn-init then
    stops before it runs anything)."""
    defined = init.get("configSets")
    if not isinstance(defined, dict):
        return ["config"] if configsets == ("default",) else []
    names: list[str] = []
    for configset in configsets:
        expanded = _expand(defined, configset, _DEPTH)
        if expanded is None:
            return []
        names.extend(expanded)
    return names


def _expand(defined: dict, configset: str, depth: int) -> list[str] | None:
    """The config keys one configset names, the configsets it includes (``{ConfigSet: name}``) expanded."""
    entries = defined.get(configset)
    if entries is None or depth == 0:
        return None
    names: list[str] = []
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, dict) and "ConfigSet" in entry:
            included = _expand(defined, str(entry["ConfigSet"]), depth - 1)
            if included is None:
                return None
            names.extend(included)
        elif isinstance(entry, str):
            names.append(entry)
    return names
