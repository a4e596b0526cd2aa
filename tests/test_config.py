"""One configuration (``[tool.tlspath]`` in pyproject.toml, or .tlspath.toml) and which files a scan reads
(.gitignore in real git repositories, --exclude, a file named explicitly)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import SAMPLES

TLS13 = SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml"  # E9508 on ClaimsListener
UNRESOLVED = SAMPLES / "cloudformation" / "bad" / "i9513-parameter-without-default.yaml"  # I9513 only
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")


def git(folder, *args: str) -> str:
    done = subprocess.run([GIT, "-C", str(folder), *args], capture_output=True, text=True, check=False,
                          env={"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder), "GIT_AUTHOR_NAME": "t",
                               "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def project(tmp_path):
    """A repository holding two templates: infra/claims.yaml (E9508) and infra/unresolved.yaml (I9513)."""
    (tmp_path / "infra").mkdir()
    shutil.copy(TLS13, tmp_path / "infra" / "claims.yaml")
    shutil.copy(UNRESOLVED, tmp_path / "infra" / "unresolved.yaml")
    return tmp_path


def rules(run) -> list[tuple[str, str, str]]:
    return sorted((f["rule"], f["level"], f["file"]) for f in run.findings)


# ------------------------------------------------------------------------------------------ configuration


def test_pyproject_table_is_found_from_the_scanned_folder_upwards(tlspath, project, write):
    write("pyproject.toml", """
        [project]
        name = "infra"

        [tool.tlspath]
        ignore = ["E9508"]
        severity = { I9513 = "warning" }
    """)
    run = tlspath("--format", "json", "infra", cwd=project)
    assert rules(run) == [("I9513", "warning", "infra/unresolved.yaml")]
    assert run.code == 1  # an I9513 raised to warning fails at the default fail level


def test_tlspath_toml_holds_the_keys_at_the_top_level_and_wins_over_pyproject(tlspath, project, write):
    write("pyproject.toml", '[tool.tlspath]\nignore = ["I9513"]\n')
    write(".tlspath.toml", 'fail-level = "error"\nselect = ["I"]\n')
    run = tlspath("--format", "json", "infra/claims.yaml", "infra/unresolved.yaml", cwd=project)
    assert rules(run) == [("I9513", "info", "infra/unresolved.yaml")]
    assert run.code == 0


def test_a_pyproject_without_the_table_is_passed_over(tlspath, project, write):
    write(".tlspath.toml", 'ignore = ["E9508"]\n')
    write("infra/pyproject.toml", '[project]\nname = "infra"\n')
    assert rules(tlspath("--format", "json", "infra", cwd=project)) == [("I9513", "info", "infra/unresolved.yaml")]


@needs_git
def test_the_search_stops_at_the_repository_root(tlspath, project, write):
    write(".tlspath.toml", 'ignore = ["E9508"]\n')  # above the repository: not this repository's settings
    repository = project / "repo"
    shutil.copytree(project / "infra", repository / "infra")
    git(repository, "init", "-q")
    assert "E9508" in {f["rule"] for f in tlspath("--format", "json", "infra", cwd=repository).findings}


def test_flags_beat_the_file(tlspath, project, write):
    write(".tlspath.toml", """
        fail-level = "none"
        select = ["E"]
        severity = { E9508 = "info" }
    """)
    run = tlspath("--format", "json", "--select", "E,I", "--severity", "E9508=error", "--fail-level", "warning",
                  "infra", cwd=project)
    assert rules(run) == [("E9508", "error", "infra/claims.yaml"), ("I9513", "info", "infra/unresolved.yaml")]
    assert run.code == 1


def test_ignore_and_exclude_from_flags_add_to_the_file(tlspath, project, write):
    write(".tlspath.toml", 'ignore = ["I9513"]\nexclude = ["infra/claims.yaml"]\n')
    write("other/claims.yaml", TLS13.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--exclude", "other/", ".", cwd=project)
    assert run.findings == [] and run.code == 0
    run = tlspath("--format", "json", "--ignore", "E", ".", cwd=project)
    assert run.findings == []


def test_config_option_names_the_file(tlspath, project, write):
    settings = write("settings/strict.toml", 'severity = { I9513 = "error" }\n')
    run = tlspath("--format", "json", "--config", settings, "infra/unresolved.yaml", cwd=project)
    assert rules(run) == [("I9513", "error", "infra/unresolved.yaml")]


def test_paths_in_the_file_are_relative_to_it(tlspath, project, write):
    write("infra/tls/pyproject.toml", '[tool.tlspath]\ntrust-store = "missing.pem"\n')
    run = tlspath("infra/tls", cwd=project)
    assert run.code == 2
    assert "infra/tls/missing.pem" in run.err


@pytest.mark.parametrize(("text", "message"), [
    ('ignore = ["E9508"]\nfail_level = "error"\n', "unknown key 'fail_level'"),
    ('ignore = "E9508"\n', "ignore: expected a list of strings, got a string ('E9508')"),
    ('expiry-days = "30"\n', "expiry-days: expected a number of days from 0 to 36500, got a string ('30')"),
    ("expiry-days = true\n", "expiry-days: expected a number of days from 0 to 36500, got a boolean (True)"),
    ('fail-level = "warn"\n', "fail-level: expected one of error, warning, info, none, got a string ('warn')"),
    ('severity = { I9513 = "warn" }\n', "severity: expected one of error, warning, info, got a string ('warn')"),
    ('select = ["X95"]\n', "select: X95: no rule id starts with that"),
    ('[tool.tlspath]\nignore = ["E9508"]\n', "unknown key 'tool' (in this file the keys stand at the top level"),
    ("ignore = [\n", "not valid TOML"),
])
def test_a_wrong_key_or_value_is_an_error_naming_file_and_key(tlspath, project, write, text, message):
    write(".tlspath.toml", text)
    run = tlspath("infra", cwd=project)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith(f"tlspath: error: {project / '.tlspath.toml'}: ") or \
        run.err.startswith("tlspath: error: .tlspath.toml: "), run.err
    assert message in run.err and run.err.count("\n") == 1


def test_a_pyproject_error_names_the_table(tlspath, project, write):
    write("pyproject.toml", '[tool.tlspath]\nvar-file = ["prod.tfvars"]\n')
    run = tlspath("infra", cwd=project)
    assert run.code == 2
    assert "pyproject.toml: [tool.tlspath] unknown key 'var-file' (known: select, ignore" in run.err


def test_var_files_in_the_file_are_read_before_those_given_as_flags(tlspath, tmp_path, write):
    module = SAMPLES / "terraform" / "bad" / "e9507-module-for-each-tfvars"
    if not module.is_dir():
        pytest.skip(f"no Terraform sample at {module}")
    shutil.copytree(module, tmp_path / "stack")
    write("from-config.tfvars", 'services = { orders = {}, billing = { port = 8443 } }\n')
    write("from-flag.tfvars", 'services = { orders = {} }\n')

    def findings(*args: str) -> list[tuple[str, str]]:
        return sorted((f["rule"], f["message"]) for f in tlspath("--format", "json", *args, "stack", cwd=tmp_path).findings)

    from_flag, from_config = findings("--var-file", "from-flag.tfvars"), findings("--var-file", "from-config.tfvars")
    assert from_flag != from_config
    write(".tlspath.toml", 'var-files = ["from-config.tfvars"]\n')
    assert findings() == from_config
    assert findings("--var-file", "from-flag.tfvars") == from_flag  # the flag's values win


def test_a_missing_var_file_in_the_file_is_an_error_naming_the_key(tlspath, project, write):
    write(".tlspath.toml", 'var-files = ["missing.tfvars"]\n')
    run = tlspath("infra", cwd=project)
    assert run.code == 2 and run.out == ""
    assert run.err == "tlspath: error: .tlspath.toml: var-files: 'missing.tfvars': no such file or directory\n"


# ------------------------------------------------------------------------------------------ confined paths


SECRET = 'certificate_arn = "AKIAEXAMPLEKEY123456"\n'


@pytest.fixture
def outside(tmp_path_factory):
    """A file on the runner, outside every repository under test."""
    folder = tmp_path_factory.mktemp("runner")
    (folder / "secret.tfvars").write_text(SECRET, encoding="utf-8")
    return folder / "secret.tfvars"


@needs_git
@pytest.mark.parametrize("key", ["var-files", "trust-store"])
@pytest.mark.parametrize("how", ["absolute", "relative", "symbolic link"])
def test_a_repositorys_configuration_names_no_file_outside_it(tlspath, project, write, outside, key, how):
    git(project, "init", "-q")
    named = {"absolute": str(outside), "relative": os.path.relpath(outside, project / "infra"),
             "symbolic link": "linked.tfvars"}[how]
    if how == "symbolic link":
        os.symlink(outside, project / "infra" / "linked.tfvars")
    value = f'["{named}"]' if key == "var-files" else f'"{named}"'
    write("infra/.tlspath.toml", f"{key} = {value}\n")
    run = tlspath("--format", "json", "infra", cwd=project)
    assert run.code == 2 and run.out == ""
    assert run.err == (f"tlspath: error: infra/.tlspath.toml: {key}: {named!r} is outside the repository "
                       f"({project}); a configuration file names files inside it only (a flag may name any)\n")
    assert "AKIA" not in run.err


@needs_git
def test_a_configuration_may_name_files_anywhere_in_its_repository(tlspath, project, write):
    git(project, "init", "-q")
    write("shared/prod.tfvars", 'environment = "prod"\n')
    write("infra/.tlspath.toml", 'var-files = ["../shared/prod.tfvars"]\n')
    assert tlspath("infra", cwd=project).code == 1  # the findings of infra/, nothing refused


def test_outside_a_repository_a_configuration_names_files_below_its_folder(tlspath, project, write, outside):
    write("infra/.tlspath.toml", 'var-files = ["../elsewhere.tfvars"]\n')
    write("elsewhere.tfvars", SECRET)
    run = tlspath("infra", cwd=project)
    assert run.code == 2
    assert run.err == ("tlspath: error: infra/.tlspath.toml: var-files: '../elsewhere.tfvars' is outside the "
                       f"folder of the configuration file ({project / 'infra'}); a configuration file names files "
                       "inside it only (a flag may name any)\n")


def test_flags_may_name_files_anywhere(tlspath, project, outside):
    git_free = tlspath("--format", "json", "--var-file", str(outside), "infra", cwd=project)
    assert git_free.code == 1 and "outside" not in git_free.err


# ------------------------------------------------------------------------------------------ which files


def test_no_path_scans_the_current_folder(tlspath, project):
    run = tlspath("--format", "json", cwd=project / "infra")
    assert sorted(f["file"] for f in run.findings) == ["claims.yaml", "unresolved.yaml"]


@needs_git
def test_gitignore_files_and_info_exclude_are_honoured_in_folder_scans(tlspath, project, write):
    git(project, "init", "-q")
    write(".gitignore", "build/\n*.generated.yaml\n")
    write("infra/.gitignore", "vendored/\n!keep.generated.yaml\n")
    (project / ".git" / "info").mkdir(exist_ok=True)
    write(".git/info/exclude", "scratch.yaml\n")
    for name in ("build/claims.yaml", "infra/a.generated.yaml", "infra/keep.generated.yaml",
                 "infra/vendored/claims.yaml", "scratch.yaml", "infra/deeper/claims.yaml"):
        write(name, TLS13.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--select", "E9508", cwd=project)
    assert sorted(f["file"] for f in run.findings) == ["infra/claims.yaml", "infra/deeper/claims.yaml",
                                                       "infra/keep.generated.yaml"]
    # scanning a folder below the top still honours the .gitignore files above it
    run = tlspath("--format", "json", "--select", "E9508", "infra", cwd=project)
    assert "infra/a.generated.yaml" not in {f["file"] for f in run.findings}
    assert git(project, "status", "--porcelain", "--ignored").count("!!") == 4  # git agrees


@needs_git
def test_a_file_named_explicitly_is_always_read(tlspath, project, write):
    git(project, "init", "-q")
    write(".gitignore", "infra/\n")
    write(".tlspath.toml", 'exclude = ["*.yaml"]\n')
    assert tlspath("--format", "json", ".", cwd=project).findings == []
    run = tlspath("--format", "json", "infra/claims.yaml", cwd=project)
    assert [f["rule"] for f in run.findings] == ["E9508"]


def test_outside_a_repository_gitignore_means_nothing(tlspath, project, write):
    write(".gitignore", "infra/\n")
    assert len(tlspath("--format", "json", ".", cwd=project).findings) == 2


def test_exclude_patterns_use_gitignore_syntax(tlspath, project, write):
    write("infra/legacy/claims.yaml", TLS13.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--select", "E9508", "--exclude", "legacy/", ".", cwd=project)
    assert [f["file"] for f in run.findings] == ["infra/claims.yaml"]
    run = tlspath("--format", "json", "--select", "E9508", "--exclude", "/claims.yaml", "infra/legacy", cwd=project)
    assert [f["file"] for f in run.findings] == ["infra/legacy/claims.yaml"]  # anchored at the current folder


@needs_git
def test_a_folder_named_explicitly_is_scanned_even_where_git_ignores_it(tlspath, project, write):
    """As ruff and ripgrep do: the patterns judge what is below a folder named on the command line, never the
    folder itself -- `tlspath build` reads build/ although .gitignore says `build/`."""
    git(project, "init", "-q")
    write(".gitignore", "build/\n*.generated.yaml\n")
    write("build/claims.yaml", TLS13.read_text(encoding="utf-8"))
    write("build/a.generated.yaml", TLS13.read_text(encoding="utf-8"))
    assert "build/claims.yaml" not in {f["file"] for f in tlspath("--format", "json", ".", cwd=project).findings}
    run = tlspath("--format", "json", "--select", "E9508", "build", cwd=project)
    assert run.code == 1 and [f["file"] for f in run.findings] == ["build/claims.yaml"]  # *.generated.yaml still out


@needs_git
@pytest.mark.parametrize("folder", ["cdk.out", "cdktf.out", ".serverless"])
def test_synthesized_output_git_ignores_is_scanned(tlspath, project, write, folder):
    """`cdk init`, `cdktf init` and Serverless Framework projects put cdk.out / cdktf.out / .serverless in
    .gitignore; `cdk synth && tlspath .` still reads what is deployed. An `exclude` pattern still leaves it out."""
    git(project, "init", "-q")
    write(".gitignore", f"{folder}\n")
    write(f"app/{folder}/Stack.template.yaml", TLS13.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--select", "E9508", "app", cwd=project)
    assert run.code == 1 and [f["file"] for f in run.findings] == [f"app/{folder}/Stack.template.yaml"]
    excluded = tlspath("--format", "json", "--select", "E9508", "--exclude", folder, ".", cwd=project)
    assert f"app/{folder}/Stack.template.yaml" not in {f["file"] for f in excluded.findings}
