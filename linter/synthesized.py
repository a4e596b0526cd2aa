"""Tools that write what gets deployed into a folder of their own -- the CDK (``cdk.out``), CDK for Terraform
(``cdktf.out``), the Serverless Framework (``.serverless``): their configuration file is not what tlspath reads,
their output is.

So the output is scanned even where git ignores it (every one of these projects ignores it, :mod:`linter.exclusion`),
and a run never passes such a project in silence: a configuration named on the command line says it is not read
and what to scan instead, and one a folder scan meets without its output beside it says to synthesize first.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from linter.files import MAX_SETTINGS_BYTES, Unreadable, read_bounded


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


def not_synthesized(path: str, tool: Synthesizer) -> str | None:
    """What a run says of a configuration file a folder scan meets: nothing when the output is there (it is
    scanned), else that the project's deployable templates are not in the scanned tree."""
    output = tool.output_of(path)
    if os.path.isdir(output):
        return None
    return (f"{path}: {tool.project} whose output is not there ({_shown(output)}/), so its stacks are not scanned; "
            f"run `{tool.command}` and scan again")


def _shown(path: str) -> str:
    return os.path.normpath(path)
