"""Which files and folders a folder scan leaves out, besides the folders discovery never enters: what git
ignores, and the user's ``exclude`` patterns.

Both speak .gitignore's pattern language (matched by ``pathspec``, which implements git's rules), so a user
writes ``vendored/`` or ``*.generated.yaml`` the same way in both places:

* git: every ``.gitignore`` from the top of the work tree down to the file's folder, each relative to its own
  folder, and ``.git/info/exclude`` -- the last pattern that matches decides, so a deeper ``!keep.yaml``
  re-includes a file, as in git. Only inside a git work tree (outside one, git ignores nothing either), and
  not the user's global excludes file: the repository's own files decide, so a laptop and CI scan the same
  files.
* ``exclude`` (``--exclude``, and the configuration's ``exclude``): relative to the folder they were given in
  (the current folder for the flag, the configuration file's folder for the file).

A file named on the command line is always read (discovery never asks about it); a folder left out is not
entered, so nothing below it comes back (git does the same).

An ignore file is read only when it is a regular file of at most :data:`~linter.files.MAX_SETTINGS_BYTES`; a
``.gitignore`` that is a symbolic link is not followed (git stopped following them in 2.32: a committed link to
``/dev/zero`` or a FIFO would otherwise never finish reading). One not read is a warning, as in git.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.files import MAX_SETTINGS_BYTES, Unreadable, read_bounded
from linter.git import common_dir, work_tree_top

if TYPE_CHECKING:
    from pathspec import PathSpec


@dataclass(frozen=True)
class Patterns:
    """Patterns in .gitignore's language, relative to ``base`` (a folder)."""

    base: str
    lines: tuple[str, ...]


class Exclusion:
    """Decides, for each file and folder a folder scan meets, whether it is left out."""

    def __init__(self, excludes: Sequence[Patterns] = ()):
        self._excludes = [(os.path.abspath(patterns.base), _spec(patterns.lines)) for patterns in excludes]
        self._git_specs: dict[str, list[tuple[str, PathSpec]]] = {}  # folder -> the specs git applies there
        self.warnings: list[str] = []  # ignore files not read, and why

    def __call__(self, path: str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        if any(_check(spec, base, absolute, is_dir) for base, spec in self._excludes):
            return True
        verdicts = (_check(spec, base, absolute, is_dir) for base, spec in self._git(os.path.dirname(absolute))[::-1])
        return next((verdict for verdict in verdicts if verdict is not None), False)

    def _git(self, folder: str) -> list[tuple[str, PathSpec]]:
        """The specs git applies to entries of ``folder``: ``info/exclude``, then each ``.gitignore`` from the
        top of the work tree down (the last that matches decides)."""
        if folder not in self._git_specs:
            root = work_tree_top(folder)
            git_dir = common_dir(root) if root is not None else None
            if root is None or git_dir is None:
                specs = []
            elif folder == root:
                specs = [spec for spec in (self._read(os.path.join(git_dir, "info", "exclude"), root, True),
                                           self._read(os.path.join(root, ".gitignore"), root)) if spec is not None]
            else:
                own = self._read(os.path.join(folder, ".gitignore"), folder)
                specs = [*self._git(os.path.dirname(folder)), *([own] if own is not None else [])]
            self._git_specs[folder] = specs
        return self._git_specs[folder]

    def _read(self, path: str, base: str, follow_symlinks: bool = False) -> tuple[str, PathSpec] | None:
        """The patterns of the ignore file at ``path`` (``None`` when there is none, or it is not read)."""
        if not os.path.lexists(path):
            return None
        try:
            data = read_bounded(path, MAX_SETTINGS_BYTES, follow_symlinks)
        except Unreadable as exc:
            self.warnings.append(f"{os.path.relpath(path)}: not read as an ignore file ({exc})")
            return None
        return base, _spec(data.decode("utf-8", "replace").splitlines())


def _check(spec: PathSpec, base: str, path: str, is_dir: bool) -> bool | None:
    """Whether ``spec`` leaves the path out (``True``), takes it back (``False``, a ``!`` pattern) or says
    nothing about it (``None``, also for paths outside ``base``)."""
    relative = os.path.relpath(path, base)
    if relative == os.curdir or relative.startswith(os.pardir + os.sep):
        return None
    relative = relative.replace(os.sep, "/") + ("/" if is_dir else "")
    return spec.check_file(relative).include


def _spec(lines: Sequence[str]) -> PathSpec:
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)
