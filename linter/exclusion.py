"""Which files and folders a folder scan leaves out, besides the folders discovery never enters: what git
ignores, and the user's ``exclude`` patterns.

Both speak .gitignore's pattern language (:mod:`linter.gitignore`, matched as git matches it and never by
backtracking), so a user writes ``vendored/`` or ``*.generated.yaml`` the same way in both places:

* git: every ``.gitignore`` from the top of the work tree down to the file's folder, each relative to its own
  folder, and ``.git/info/exclude`` -- the last pattern that matches decides, so a deeper ``!keep.yaml``
  re-includes a file, as in git. Only inside a git work tree (outside one, git ignores nothing either), and
  not the user's global excludes file: the repository's own files decide, so a laptop and CI scan the same
  files.
* ``exclude`` (``--exclude``, and the configuration's ``exclude``): relative to the folder they were given in
  (the current folder for the flag, the configuration file's folder for the file).

A file named on the command line is always read (discovery never asks about it), and so is a folder: ``tlspath
cdk.out`` scans it whole even where git or ``exclude`` leaves it out, as ruff and ripgrep do -- the patterns judge
what is below a folder named, never the folder itself nor those above it. Anything below a folder left out by a
folder scan is left out -- the folder is not entered: git cannot take back a file whose folder it ignores,
whatever a ``!`` pattern says.

Synthesized output -- ``cdk.out`` (CDK), ``cdktf.out`` (CDK for Terraform), ``.serverless`` (Serverless
Framework), or the folder ``cdk.json``'s ``"output"`` names: :class:`linter.synthesized.Outputs` -- is what such a
project deploys and so what tlspath judges, and ``cdk init``/``cdktf init``/``serverless`` put it in
``.gitignore``: git never leaves these folders out (``cdk synth && tlspath .`` reads them), and a folder git
ignores that holds configured output (``build/`` for ``"output": "build/assembly"``) is entered to reach it, the
rest of it still left out; ``exclude`` still leaves out any of them.

An ignore file is read only when it is a regular file of at most :data:`~linter.files.MAX_SETTINGS_BYTES`; a
``.gitignore`` that is a symbolic link is not followed (git stopped following them in 2.32: a committed link to
``/dev/zero`` or a FIFO would otherwise never finish reading). One not read is a warning, as in git.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from linter.files import MAX_SETTINGS_BYTES, Unreadable, read_bounded
from linter.git import common_dir, work_tree_top
from linter.gitignore import Pattern, parse, verdict
from linter.synthesized import Outputs

Rules = tuple[str, list[Pattern]]  # patterns and the folder they are relative to


@dataclass(frozen=True)
class Patterns:
    """Patterns in .gitignore's language, relative to ``base`` (a folder)."""

    base: str
    lines: tuple[str, ...]


class Exclusion:
    """Decides, for each file and folder a folder scan meets, whether it is left out."""

    def __init__(self, excludes: Sequence[Patterns] = (), named: Sequence[str] = ()):
        self._excludes = [(os.path.abspath(patterns.base), _compiled(patterns.lines)) for patterns in excludes]
        self._git_rules: dict[str, list[Rules]] = {}  # folder -> the rules git applies to its entries
        # folder -> whether it, or a folder above it, is left out by ``exclude`` and by git; a folder named on the
        # command line never is
        self._folders: dict[str, tuple[bool, bool]] = dict.fromkeys(map(os.path.abspath, named), (False, False))
        self._outputs = Outputs(named)
        self.warnings: list[str] = []  # ignore files not read, and why

    def __call__(self, path: str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        by_exclude, by_git = self._above(absolute)
        if by_exclude or self._excluded(absolute, is_dir):
            return True
        if is_dir and (self._outputs.holds(absolute) or self._outputs.leads_to(absolute)):
            return False  # git never leaves synthesized output out, nor the folders on the way to it
        return by_git or self._ignored(absolute, is_dir)

    def _above(self, path: str) -> tuple[bool, bool]:
        """Whether a folder above ``path`` is left out by ``exclude``, and by git -- below synthesized output,
        only by what git says inside it (each folder asked once, from the top down)."""
        pending = []
        folder = os.path.dirname(path)
        while folder not in self._folders and os.path.dirname(folder) != folder:
            pending.append(folder)
            folder = os.path.dirname(folder)
        by_exclude, by_git = self._folders.get(folder, (False, False))
        for folder in reversed(pending):
            by_exclude = by_exclude or self._excluded(folder, True)
            by_git = not self._outputs.holds(folder) and (by_git or self._ignored(folder, True))
            self._folders[folder] = (by_exclude, by_git)
        return by_exclude, by_git

    def _excluded(self, path: str, is_dir: bool) -> bool:
        """Whether an ``exclude`` pattern matches the path itself."""
        return any(_verdict(rules, path, is_dir) for rules in self._excludes)

    def _ignored(self, path: str, is_dir: bool) -> bool:
        """What git says about the path itself: the last pattern that matches it."""
        verdicts = (_verdict(rules, path, is_dir) for rules in self._git(os.path.dirname(path))[::-1])
        return next((said for said in verdicts if said is not None), False)

    def _git(self, folder: str) -> list[Rules]:
        """The rules git applies to entries of ``folder``: ``info/exclude``, then each ``.gitignore`` from the
        top of the work tree down (the last that matches decides)."""
        if folder not in self._git_rules:
            root = work_tree_top(folder)
            git_dir = common_dir(root) if root is not None else None
            if root is None or git_dir is None:
                rules = []
            elif folder == root:
                rules = [found for found in (self._read(os.path.join(git_dir, "info", "exclude"), root, True),
                                             self._read(os.path.join(root, ".gitignore"), root)) if found is not None]
            else:
                own = self._read(os.path.join(folder, ".gitignore"), folder)
                rules = [*self._git(os.path.dirname(folder)), *([own] if own is not None else [])]
            self._git_rules[folder] = rules
        return self._git_rules[folder]

    def _read(self, path: str, base: str, follow_symlinks: bool = False) -> Rules | None:
        """The patterns of the ignore file at ``path`` (``None`` when there is none, or it is not read)."""
        if not os.path.lexists(path):
            return None
        try:
            data = read_bounded(path, MAX_SETTINGS_BYTES, follow_symlinks)
        except Unreadable as exc:
            self.warnings.append(f"{os.path.relpath(path)}: not read as an ignore file ({exc})")
            return None
        return base, _compiled(data.decode("utf-8", "replace").splitlines())


def _verdict(rules: Rules, path: str, is_dir: bool) -> bool | None:
    """Whether the rules leave the path out (``True``), take it back (``False``, a ``!`` pattern) or say
    nothing about it (``None``, also for paths outside their folder)."""
    base, patterns = rules
    relative = os.path.relpath(path, base)
    if relative == os.curdir or relative.startswith(os.pardir + os.sep) or not patterns:
        return None
    return verdict(patterns, relative.split(os.sep), is_dir)


def _compiled(lines: Sequence[str]) -> list[Pattern]:
    return [pattern for line in lines if (pattern := parse(line)) is not None]
