"""What tlspath knows about git: where a work tree's top is and where its private folder lies (read from the
file system, so a run never starts a process for them), and which files changed since a commit (``git`` itself,
only for ``--changed-since``).

Which changes count for ``--changed-since REF``: everything between the merge base of REF and ``HEAD`` and the
files on disk -- commits on the branch, staged and unstaged edits, and untracked files git does not ignore. A
pull-request job (``--changed-since origin/main`` on the branch's commit) sees what the pull request changes,
not what reached main meanwhile; a developer sees their branch plus whatever they have not committed yet.

Git compares only what it tracks: synthesized output it ignores (``cdk.out``) is never among those changes, so
:func:`tracked_files` says which files of such folders git tracks, and the rest are files git cannot compare.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def work_tree_top(folder: str) -> str | None:
    """The top of the git work tree holding ``folder``: the nearest folder at or above it with a ``.git``
    (``os.path.exists``: a path past the system's length limit holds none, where ``Path.exists`` raises)."""
    start = Path(os.path.abspath(folder))
    return next((str(candidate) for candidate in (start, *start.parents) if os.path.exists(candidate / ".git")), None)


def repository_root(folder: str) -> str:
    """The top of the git work tree holding ``folder``, else ``folder`` itself. CI systems resolve paths from
    the repository's top, whichever folder tlspath ran in."""
    return work_tree_top(folder) or os.path.abspath(folder)


def common_dir(root: str) -> str | None:
    """The folder holding a work tree's shared git files (``info/exclude``): ``ROOT/.git``, or for a linked
    work tree or a submodule (whose ``.git`` is a file saying ``gitdir: ...``) the folder it points to --
    and, for a linked work tree, that folder's ``commondir``. ``None`` when ``root`` is no work tree."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as handle:
            first = handle.readline().strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = os.path.join(root, first.removeprefix("gitdir:").strip())
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            return os.path.normpath(os.path.join(git_dir, handle.read().strip()))
    except OSError:
        return os.path.normpath(git_dir)


class GitError(Exception):
    """Git could not say what changed (not installed, not a repository, an unknown commit): one line for the
    user."""


def changed_files(folder: str, ref: str) -> set[str]:
    """The real paths of the files changed since ``ref`` in the work tree holding ``folder`` (see the module
    docstring for which changes count)."""
    top = _output(folder, ("rev-parse", "--show-toplevel"), f"{folder} is not inside a git work tree").strip()
    _output(folder, ("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}"),
            f"git knows no commit {ref!r} in {top} (in CI, fetch it first)")
    base = _output(folder, ("merge-base", ref, "HEAD"), f"git finds no common ancestor of {ref} and HEAD (a shallow "
                                                         "clone? fetch more history, e.g. fetch-depth: 0)").strip()
    names = _output(folder, ("diff", "--name-only", "--no-renames", "-z", base, "--"), "git diff failed")
    untracked = _output(folder, ("ls-files", "--others", "--exclude-standard", "--full-name", "-z", top),
                        "git ls-files failed")
    return {os.path.realpath(os.path.join(top, name)) for name in (names + untracked).split("\0") if name}


def tracked_files(top: str, files: Iterable[str]) -> set[str]:
    """Those of ``files`` (real paths in the work tree whose top is ``top``) git tracks -- usually none of
    those in synthesized output: ``cdk init`` puts ``cdk.out`` in ``.gitignore``."""
    specs = [":(literal)" + os.path.relpath(file, top) for file in sorted(files)]
    listed = _output(top, ("ls-files", "-z", "--", *specs), "git ls-files failed")  # relative to the top
    return {os.path.realpath(os.path.join(top, name)) for name in listed.split("\0") if name}


def _output(folder: str, args: tuple[str, ...], failure: str) -> str:
    """What ``git -C folder ARGS`` prints; :class:`GitError` saying ``failure`` (and git's last word) otherwise."""
    import subprocess  # only --changed-since starts git: other runs (a pre-commit hook's) never pay for it

    try:
        done = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True,
                              errors="surrogateescape", check=False)  # file names are bytes, as os.listdir gives them
    except FileNotFoundError:
        raise GitError("--changed-since needs git, which is not installed (or not on PATH)") from None
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()
        raise GitError(f"--changed-since: {failure}" + (f" [git: {said[-1]}]" if said else ""))
    return done.stdout
