"""Which files a run reads: templates and documents by extension, Terraform root modules by folder.

A ``.tf`` or ``.tfvars`` file named on the command line stands for the module in its folder -- which is how
a pre-commit hook names a changed module.

Folders are walked recursively without following symbolic links to folders (so link loops cannot hang a
run), skipping version control, dependency and virtual-environment folders -- but not ``cdk.out``, which
holds synthesized CloudFormation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".terraform", "node_modules", ".venv", "venv", ".tox", ".nox",
                       "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idea", ".vscode",
                       "site-packages", ".serverless", ".aws-sam"})
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".template")
TERRAFORM_SUFFIX = ".tf"
VARIABLES_SUFFIXES = (".tfvars", ".tfvars.json")  # values for the module in the same folder


@dataclass(frozen=True)
class Candidate:
    """A file to read. ``explicit``: named on the command line (errors are reported even if it does not
    look like a template); ``root``: the folder the user asked to scan."""

    path: str
    root: str
    explicit: bool


@dataclass
class Inputs:
    documents: list[Candidate] = field(default_factory=list)
    terraform_modules: list[Candidate] = field(default_factory=list)  # folders holding .tf files
    missing: list[str] = field(default_factory=list)


def _is_virtualenv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg"))


def _has_terraform(folder: str) -> bool:
    try:
        return any(name.endswith(TERRAFORM_SUFFIX) for name in os.listdir(folder))
    except OSError:
        return False


def discover(paths: list[str]) -> Inputs:
    inputs = Inputs()
    seen_files: set[str] = set()
    seen_modules: set[str] = set()

    def add_document(path: str, root: str, explicit: bool) -> None:
        real = os.path.realpath(path)
        if real not in seen_files and os.path.isfile(real):
            seen_files.add(real)
            inputs.documents.append(Candidate(path, root, explicit))

    def add_module(folder: str, root: str, explicit: bool) -> None:
        real = os.path.realpath(folder)
        if real not in seen_modules:
            seen_modules.add(real)
            inputs.terraform_modules.append(Candidate(folder, root, explicit))

    for given in paths:
        if os.path.isfile(given):
            folder = os.path.dirname(given) or "."
            if given.endswith(VARIABLES_SUFFIXES):  # named alone (a pre-commit hook): it changes its module
                if _has_terraform(folder):
                    add_module(folder, folder, True)
            elif given.endswith(TERRAFORM_SUFFIX):
                add_module(folder, folder, True)
            else:
                add_document(given, folder, True)
        elif os.path.isdir(given):
            for folder, dirs, files in os.walk(given, followlinks=False):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _is_virtualenv(os.path.join(folder, d)))
                for name in sorted(files):
                    full = os.path.join(folder, name)
                    if name.endswith(DOCUMENT_SUFFIXES):
                        add_document(full, given, False)
                    elif name.endswith(TERRAFORM_SUFFIX):
                        add_module(folder, given, False)
        else:
            inputs.missing.append(given)
    return inputs
