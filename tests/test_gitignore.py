"""The ignore-pattern language of ``.gitignore`` and ``--exclude``, judged against real git: every pattern on
every path of a small tree, tlspath's answer compared with ``git check-ignore``'s. Then the patterns git cannot
use (a folder scan goes on as git does; a pattern written for tlspath is one error), and patterns that make a
regular expression backtrack (bounded by the harness: the real CLI in a limited subprocess)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bounded import tlspath_bounded
from conftest import SAMPLES
from linter.exclusion import Exclusion

HEALTHY = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"  # E9501
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")

FILES = ("a.yaml", "b.yml", "z", ".hidden.yaml", "x y", "a\\b", "[a]", "abc", "abcabcx", "-", "]",
         "docs/a.yaml", "docs/deep/er/a.yaml", "docs/deep/er/b.txt", "src/docs/a.yaml", "src/a.yaml",
         "vendored/lib/x.yaml", "build/out/x.json", "a/b/c/d.yaml", "a/d.yaml", "Upper.YAML", "tmp1/x", "tmp2/x")
PATTERNS = [
    "*.yaml", "*.y?l", "/a.yaml", "a.yaml", "docs/", "docs", "/docs/", "docs/*", "docs/**", "docs/**/a.yaml",
    "**/a.yaml", "**/docs", "**/docs/a.yaml", "a/**/d.yaml", "a/**/**/d.yaml", "**", "**/", "*", "*/", "/*/",
    "src/**/*.yaml", "d*/*.yaml", "*/a.yaml", "***.yaml", "a***/d.yaml", "a/***/d.yaml", "abc**x", "a**c",
    "[ab].yaml", "[!a].yml", "[^a].yml", "[a-c]bc", "[z-a]", "[z-ab]", "[]]", "[]a]", "[-]", "[a-]", "\\[a]",
    "[[:alpha:]]", "[[:digit:]]", "tmp[[:digit:]]/", "[[:foo:]]", "[a", "a\\", "\\", "a\\\\b", "x\\ y", "x\\ ",
    "x y   ", "\\#", "#a.yaml", "!a.yaml", "\\!a.yaml", "?", "??", "[?]", "*.YAML", "a/b/", "a/b/c",
    "vendored/**/", "build/*/x.json", "**/out", "docs//a.yaml", "/", "!", "", "   ", "a**/d.yaml", "src**/a.yaml",
    "/a**/d.yaml", "docs/d**/a.yaml", "a/b**", "docs/deep**", "a**d.yaml", "d\\ocs/**/a.yaml", "do?s**/a.yaml",
    # a '/' git sees in the text anchors, wherever it stands; only a plain leading one is dropped
    "\\/**", "\\/a.yaml", "/\\/a.yaml", "docs\\/a.yaml", "a[/.]yaml", "docs[/]a.yaml", "*[/.]yaml", "[/]",
    "d*[/]*", "docs/[/]", "\\/", "[!/]/a.yaml",
]
SETS = [
    "*.yaml\n!a.yaml\n", "docs/\n!docs/a.yaml\n", "docs/**\n!docs/deep/\n", "*\n!*/\n!*.yaml\n", "a/\n!a/d.yaml\n",
    "**/deep/**\n!**/b.txt\n",
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("tree")
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n", encoding="utf-8")
    _git(root, "init", "-q")
    return root


def _git(root, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([GIT, "-C", str(root), *args], input=stdin, capture_output=True, text=True, check=False,
                          env={"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _entries(root) -> list[tuple[str, bool]]:
    """Every file and folder of the tree, as (path, is a folder)."""
    return sorted((path.relative_to(root).as_posix(), path.is_dir()) for path in root.rglob("*")
                  if ".git" not in path.relative_to(root).parts)


@needs_git
@pytest.mark.parametrize("patterns", [*(p + "\n" for p in PATTERNS), *SETS], ids=repr)
def test_a_pattern_ignores_what_git_ignores(tree, patterns):
    (tree / ".gitignore").write_text(patterns, encoding="utf-8")
    entries = [(path, is_dir) for path, is_dir in _entries(tree) if path != ".gitignore"]
    stdin = "".join(f"{path}\0" for path, _ in entries)
    ignored_by_git = set(_git(tree, "check-ignore", "--no-index", "--stdin", "-z", stdin=stdin).split("\0")) - {""}
    exclusion = Exclusion()
    ignored = {path for path, is_dir in entries if exclusion(str(tree / path), is_dir)}
    assert ignored == ignored_by_git


# ------------------------------------------------------------------------------------------ patterns git cannot use


@needs_git
@pytest.mark.parametrize("line", ["[z-a]", "\\", "[a", "[[:foo:]]"])
def test_a_gitignore_line_git_cannot_use_matches_nothing(tmp_path, line):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    (tmp_path / ".gitignore").write_text(f"{line}\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    run = tlspath_bounded("--format", "json", ".", cwd=tmp_path)
    assert [(f["rule"], f["file"]) for f in run.findings] == [("E9501", "healthy.yaml")]
    assert run.code == 1 and run.err == ""


@pytest.mark.parametrize(("line", "reason"), [
    ("[z-a]", "the range z-a is reversed"), ("a\\", "it ends with a lone backslash"), ("[ab", "a [ is never closed"),
    ("[[:foo:]]", "no character class [:foo:]"),
])
def test_an_exclude_flag_git_cannot_use_is_one_error(tmp_path, line, reason):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    run = tlspath_bounded("--exclude", line, ".", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines()[-1] == f"tlspath: error: argument --exclude: {line!r} is not a pattern: {reason}"


def test_an_exclude_in_the_configuration_git_cannot_use_is_one_error(tmp_path):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    (tmp_path / ".tlspath.toml").write_text('exclude = ["vendored/", "[z-a]"]\n', encoding="utf-8")
    run = tlspath_bounded(".", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == "tlspath: error: .tlspath.toml: exclude: '[z-a]' is not a pattern: the range z-a is reversed\n"


# ------------------------------------------------------------------------------------------ no backtracking


@needs_git
@pytest.mark.parametrize("line", ["**********x", "*a*a*a*a*a*a*a*a*a*a*a*a*x", "**/*a*a*a*a*a*a*a*a*a*a*/x",
                                  "a/**/a/**/a/**/a/**/a/**/a/**/a/**/x"])
def test_patterns_that_would_backtrack_cost_no_more_than_others(tmp_path, line):
    folder = tmp_path / "/".join(["a"] * 30)
    folder.mkdir(parents=True)
    shutil.copy(HEALTHY, folder / ("a" * 200 + ".yaml"))
    for index in range(20):
        (folder / f"{'a' * 200}{index}.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text(f"{line}\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    run = tlspath_bounded("--format", "json", ".", cwd=tmp_path, cpu=20)
    assert [f["rule"] for f in run.findings] == ["E9501"]
