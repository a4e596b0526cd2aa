"""Hostile files around the scan rather than in it: ignore files, the configuration file, baselines and trust
stores. A repository (or a flag) can put anything at those paths -- a symbolic link to ``/dev/zero``, a FIFO,
a folder, a file of a gigabyte, patterns that make a regular expression backtrack, nesting past Python's
recursion limit, terminal control characters. Each ends in one clear line (exit 2) or, for an ignore file git
would not read either, a warning -- never a traceback, a hang or an exhausted memory.

Every run goes through :func:`bounded.tlspath_bounded`: the real CLI in a subprocess with CPU, memory and
wall-clock bounds held by the harness.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from bounded import tlspath_bounded
from conftest import SAMPLES

HEALTHY = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"  # E9501
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def git(folder, *args: str) -> str:
    done = subprocess.run([GIT, "-C", str(folder), *args], capture_output=True, text=True, check=False, timeout=60,
                          env={"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder), "PATH": "/usr/bin:/bin"})
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.fixture
def repository(tmp_path):
    """A git work tree holding infra/healthy.yaml (one E9501)."""
    (tmp_path / "infra").mkdir()
    shutil.copy(HEALTHY, tmp_path / "infra" / "healthy.yaml")
    git(tmp_path, "init", "-q")
    return tmp_path


def _hostile(kind: str, folder) -> str:
    """A path to something that is no readable ignore file of bounded size."""
    if kind == "fifo":
        fifo = folder / "a-fifo"
        os.mkfifo(fifo)
        return str(fifo)
    return os.devnull if kind == "devnull" else "/dev/zero"


# ------------------------------------------------------------------------------------------ ignore files


@needs_git
@needs_fifo
@pytest.mark.parametrize("kind", ["zero", "fifo"])
@pytest.mark.parametrize("where", [".gitignore", "infra/.gitignore", ".git/info/exclude"])
def test_an_ignore_file_that_is_no_regular_file_is_not_read(repository, tmp_path_factory, kind, where):
    (repository / where).unlink(missing_ok=True)  # git init writes an info/exclude
    os.symlink(_hostile(kind, tmp_path_factory.mktemp("outside")), repository / where)
    run = tlspath_bounded("--format", "json", "infra", cwd=repository)
    assert [(f["rule"], f["file"]) for f in run.findings] == [("E9501", "infra/healthy.yaml")]
    assert run.code == 1
    assert f"tlspath: warning: {where}: not read as an ignore file (" in run.err


@needs_git
@pytest.mark.parametrize("where", [".gitignore", "infra/.gitignore"])
def test_a_gitignore_that_is_a_symbolic_link_is_not_followed_as_git_does(repository, where):
    (repository / "patterns").write_text("*.yaml\n", encoding="utf-8")
    os.symlink(os.path.relpath(repository / "patterns", (repository / where).parent), repository / where)
    run = tlspath_bounded("--format", "json", "infra", cwd=repository)
    assert [f["file"] for f in run.findings] == ["infra/healthy.yaml"]
    assert f"tlspath: warning: {where}: not read as an ignore file (a symbolic link" in run.err
    assert git(repository, "check-ignore", "infra/healthy.yaml") == ""  # git agrees: not ignored


@needs_git
def test_info_exclude_may_be_a_symbolic_link_to_a_file(repository):
    """git reads its own ``info/exclude`` through a link (only the work tree's ``.gitignore`` files are not)."""
    (repository / "patterns").write_text("*.yaml\n", encoding="utf-8")
    (repository / ".git" / "info" / "exclude").unlink()
    os.symlink(repository / "patterns", repository / ".git" / "info" / "exclude")
    run = tlspath_bounded("--format", "json", "infra", cwd=repository)
    assert run.findings == [] and run.code == 0
    assert git(repository, "check-ignore", "infra/healthy.yaml") == "infra/healthy.yaml\n"  # git agrees


@needs_git
def test_an_ignore_file_past_the_size_cap_is_not_read(repository):
    (repository / ".gitignore").write_text("*.yaml\n" + "# padding\n" * 200_000, encoding="utf-8")
    run = tlspath_bounded("--format", "json", "infra", cwd=repository)
    assert [f["file"] for f in run.findings] == ["infra/healthy.yaml"]
    assert "tlspath: warning: .gitignore: not read as an ignore file (larger than 1 MiB)" in run.err


# ------------------------------------------------------------------------------------------ files given by path


@needs_fifo
@pytest.mark.parametrize("flag", ["--trust-store", "--baseline"])
@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_flag_naming_no_regular_file_is_one_error(tmp_path, flag, kind):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    target = str(tmp_path) if kind == "folder" else _hostile(kind, tmp_path)  # the folder holds a-fifo
    run = tlspath_bounded(flag, target, "healthy.yaml", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    reason = "a folder" if kind == "folder" else "not a regular file"
    said = f"{flag} {target}: " if flag == "--trust-store" else f"{flag}: cannot read {target}: "
    assert run.err == f"tlspath: error: {said}{reason}\n"


@needs_fifo
@pytest.mark.parametrize(("kind", "reason"), [("fifo", "not a regular file"), ("folder", "a folder")])
def test_a_configuration_naming_no_regular_file_is_one_error(tmp_path, kind, reason):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    if kind == "fifo":
        os.mkfifo(tmp_path / "store.pem")
    else:
        (tmp_path / "store.pem").mkdir()
    (tmp_path / ".tlspath.toml").write_text('trust-store = "store.pem"\n', encoding="utf-8")
    run = tlspath_bounded(".", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == f"tlspath: error: .tlspath.toml: trust-store store.pem: {reason}\n"


@needs_fifo
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_configuration_file_that_is_no_regular_file_is_one_error(tmp_path, tmp_path_factory, kind):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    os.symlink(_hostile(kind, tmp_path_factory.mktemp("outside")), tmp_path / ".tlspath.toml")
    run = tlspath_bounded(".", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == "tlspath: error: .tlspath.toml: cannot read it (not a regular file)\n"


# ------------------------------------------------------------------------------------------ what the files say


@pytest.mark.parametrize("text", ["x = " + "[" * 10_000 + "]" * 10_000 + "\n",
                                  "x = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n"])
def test_a_configuration_nested_past_any_use_is_one_error(tmp_path, text):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    (tmp_path / ".tlspath.toml").write_text(text, encoding="utf-8")
    run = tlspath_bounded(".", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == "tlspath: error: .tlspath.toml: not valid TOML: nested too deeply\n"


def test_a_baseline_nested_past_any_use_is_one_error(tmp_path):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    (tmp_path / "baseline.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    run = tlspath_bounded("--baseline", "baseline.json", "healthy.yaml", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == "tlspath: error: --baseline: baseline.json is not JSON: nested too deeply\n"


@pytest.mark.parametrize("text", ['select = ["\\u001b[2J\\u001b]0;pwned\\u0007"]\n',
                                  'severity = { "\\u001b[2J" = "error" }\n',
                                  '"\\u202eunknown\\r\\n::error::x" = 1\n'])
def test_control_characters_in_a_configuration_are_shown_as_escapes(tmp_path, text):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    (tmp_path / ".tlspath.toml").write_text(text, encoding="utf-8")
    run = tlspath_bounded(".", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("tlspath: error: .tlspath.toml: ") and run.err.count("\n") == 1
    assert not any(char in run.err[:-1] for char in "\x1b\x07\r\n\u202e"), run.err
    assert "\\x1b" in run.err or "\\u202e" in run.err


def test_a_value_from_the_configuration_is_named_by_its_key_not_a_flag(tmp_path):
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    (tmp_path / ".tlspath.toml").write_text('trust-store = "."\n', encoding="utf-8")
    run = tlspath_bounded(".", cwd=tmp_path)
    assert run.code == 2
    assert run.err == "tlspath: error: .tlspath.toml: trust-store .: a folder\n"
