"""Tools that write what gets deployed into a folder of their own -- the CDK (``cdk.out``), CDK for Terraform
(``cdktf.out``), the Serverless Framework (``.serverless``): their configuration file is not what tlspath reads,
their output is.

So the output is scanned even where git ignores it (every one of these projects ignores it, :mod:`linter.exclusion`),
findings in it are never "did not change" when git does not track it (:mod:`linter.adoption`), and a run never
passes such a project in silence: a configuration named on the command line says it is not read and what to scan
instead, and one a folder scan meets without its output beside it says to synthesize first.

Which folder is output is :class:`Outputs`' one answer: a folder named as a tool names it by default (``cdk.out``,
anywhere), or the folder a configuration's output setting names below it (``cdk.json``'s ``"output":
"build/assembly"``, where ``.gitignore`` says ``build/``) -- the configuration read only inside the scanned tree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

from linter.files import MAX_SETTINGS_BYTES, Unreadable, read_bounded
from linter.frontend import inside


@dataclass(frozen=True)
class Synthesizer:
    """A tool, the names of its configuration file, the folder it writes beside it and the command that does."""

    project: str  # "a CDK app"
    configurations: tuple[str, ...]
    output: str
    command: str
    output_setting: bool = False  # the configuration (JSON) may name another folder: "output": "build/cdk.out"

    def output_of(self, configuration: str) -> str:
        """The folder the tool writes for the configuration at ``configuration`` (a path)."""
        folder = os.path.dirname(configuration)
        if self.output_setting:
            try:
                written = json.loads(read_bounded(configuration, MAX_SETTINGS_BYTES)).get("output")
            except (Unreadable, ValueError, AttributeError):
                written = None
            if isinstance(written, str) and written:
                return os.path.normpath(os.path.join(folder, written))
        return os.path.join(folder, self.output)


SYNTHESIZERS = (
    Synthesizer("a CDK app", ("cdk.json",), "cdk.out", "cdk synth", output_setting=True),
    Synthesizer("a CDK for Terraform app", ("cdktf.json",), "cdktf.out", "cdktf synth", output_setting=True),
    Synthesizer("a Serverless Framework service", tuple(f"serverless.{ext}" for ext in (
        "yml", "yaml", "json", "js", "cjs", "mjs", "ts")), ".serverless", "sls package"),
)
SYNTHESIZED = frozenset(tool.output for tool in SYNTHESIZERS)  # the output folders: never left out by git


def synthesizer(name: str) -> Synthesizer | None:
    """The tool whose configuration file is named ``name``."""
    return next((tool for tool in SYNTHESIZERS if name in tool.configurations), None)


def not_read(path: str, tool: Synthesizer) -> str:
    """What a run says of a configuration file named on the command line."""
    return (f"{path}: the configuration of {tool.project}, not read; scan what `{tool.command}` writes to "
            f"{_shown(tool.output_of(path))}/ instead")


def not_synthesized(path: str, tool: Synthesizer, root: str) -> str | None:
    """What a run says of a configuration file a folder scan of ``root`` meets: nothing when the output is there
    (it is scanned), else that the project's deployable templates are not in the scanned tree. An output setting
    that names a folder outside the tree is said as such: whatever stands there is not looked at."""
    output = tool.output_of(path)
    base = os.path.abspath(root)
    if os.path.commonpath([os.path.abspath(output), base]) != base or not inside(output, root):  # no stat out there
        return (f"{path}: {tool.project} whose output setting names a folder outside the scanned tree, so its "
                f"stacks are not scanned; scan that folder")
    if os.path.isdir(output):
        return None
    return (f"{path}: {tool.project} whose output is not there ({_shown(output)}/), so its stacks are not scanned; "
            f"run `{tool.command}` and scan again")


class Outputs:
    """Which folders of the trees under ``roots`` hold synthesized output (see the module docstring), asked
    folder by folder as a walk meets them: each folder's configurations are read once, and only below a root.
    Paths are compared as :func:`os.path.abspath` gives them, so an output setting naming a folder outside the
    tree is never looked at."""

    def __init__(self, roots: Sequence[str]):
        self._roots = frozenset(map(os.path.abspath, roots))
        self._named: dict[str, frozenset[str] | None] = {}  # folder -> the outputs named there and above; None: no root

    def holds(self, folder: str) -> bool:
        """Whether ``folder`` is synthesized output: git never leaves it out, nor compares it untracked."""
        folder = os.path.abspath(folder)
        return os.path.basename(folder) in SYNTHESIZED or folder in self._named_above(os.path.dirname(folder))

    def leads_to(self, folder: str) -> bool:
        """Whether configured output lies below ``folder`` (``build`` for ``build/assembly``): a walk enters it
        to reach the output, whatever git says of the rest of it."""
        folder = os.path.abspath(folder)
        return any(output != folder and os.path.commonpath([output, folder]) == folder
                   for output in self._named_above(os.path.dirname(folder)))

    def _named_above(self, folder: str) -> frozenset[str]:
        """The output folders that configurations in ``folder`` and in the folders above it, up to its root,
        name; none outside the roots."""
        pending = []
        while folder not in self._named and folder not in self._roots and os.path.dirname(folder) != folder:
            pending.append(folder)
            folder = os.path.dirname(folder)
        if folder not in self._named:
            self._named[folder] = _configured(folder) if folder in self._roots else None
        above = self._named[folder]
        for each in reversed(pending):
            above = self._named[each] = None if above is None else above | _configured(each)
        return above or frozenset()


def _configured(folder: str) -> frozenset[str]:
    """The output folders the configurations in ``folder`` name (``cdk.json``'s ``"output"``)."""
    return frozenset(os.path.abspath(tool.output_of(path)) for tool in SYNTHESIZERS if tool.output_setting
                     for name in tool.configurations if os.path.isfile(path := os.path.join(folder, name)))


def _shown(path: str) -> str:
    return os.path.normpath(path)
