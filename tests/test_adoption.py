"""Adopting tlspath on a repository with findings: --baseline/--write-baseline (keyed by path identity, so
moved lines keep a baseline valid) and --changed-since REF with real git repositories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import SAMPLES, edit, line_of
from terraform_snippets import acm_certificate, nlb, pass_through_path, rest_integration, tls_listener, vpc_link
from test_pre_commit import API_STACK, NETWORK_STACK

TLS13 = SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml"  # E9508 on ClaimsListener
SELF_SIGNED = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")


def rules(run) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["file"]) for f in run.findings)


# ---------------------------------------------------------------------------------------------- baseline


@pytest.fixture
def infra(tmp_path):
    (tmp_path / "infra").mkdir()
    shutil.copy(TLS13, tmp_path / "infra" / "claims.yaml")
    return tmp_path


def test_write_baseline_records_the_findings_and_accepts_them(tlspath, infra):
    run = tlspath("--format", "json", "--write-baseline", "tlspath-baseline.json", "infra", cwd=infra)
    assert run.code == 0 and run.findings == []
    assert "wrote 1 finding to tlspath-baseline.json" in run.err
    document = json.loads((infra / "tlspath-baseline.json").read_text(encoding="utf-8"))
    assert document["format"] == "tlspath-baseline" and document["version"] == 1
    [entry] = document["findings"]
    assert {key: entry[key] for key in ("rule", "file", "resource")} == {
        "rule": "E9508", "file": "infra/claims.yaml", "resource": "ClaimsListener"}
    assert len(entry["fingerprint"]) == 64


def test_a_baseline_survives_edits_that_move_lines(tlspath, infra):
    tlspath("--write-baseline", "baseline.json", "infra", cwd=infra)
    claims = infra / "infra" / "claims.yaml"
    before = tlspath("--format", "json", "infra", cwd=infra).findings[0]["line"]
    text = claims.read_text(encoding="utf-8")
    claims.write_text(edit(text, {"Resources:\n": "Parameters:\n  Stage:\n    Type: String\n    Default: prod\n\n"
                                                "Resources:\n"}), encoding="utf-8")
    assert tlspath("--format", "json", "infra", cwd=infra).findings[0]["line"] == before + 5
    run = tlspath("--format", "json", "--baseline", "baseline.json", "infra", cwd=infra)
    assert run.code == 0 and run.findings == []
    assert "1 finding of the baseline baseline.json not reported" in run.err


def test_a_baseline_reports_new_findings_and_fails_on_them(tlspath, infra):
    tlspath("--write-baseline", "baseline.json", "infra", cwd=infra)
    shutil.copy(SELF_SIGNED, infra / "infra" / "orders.yaml")
    run = tlspath("--format", "json", "--baseline", "baseline.json", "infra", cwd=infra)
    assert run.code == 1
    assert {f["file"] for f in run.findings} == {"infra/orders.yaml"}


def test_a_baseline_works_from_any_folder(tlspath, infra):
    tlspath("--write-baseline", "baseline.json", "infra", cwd=infra)
    run = tlspath("--format", "json", "--baseline", "../baseline.json", ".", cwd=infra / "infra")
    assert run.code == 0 and run.findings == []


def test_a_renamed_resource_is_a_new_finding(tlspath, infra):
    tlspath("--write-baseline", "baseline.json", "infra", cwd=infra)
    claims = infra / "infra" / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("ClaimsListener", "ClaimsTlsListener"),
                      encoding="utf-8")
    run = tlspath("--format", "json", "--baseline", "baseline.json", "infra", cwd=infra)
    assert rules(run) == [("E9508", "infra/claims.yaml")]
    assert "1 of its entries no longer occur" in run.err


@pytest.mark.parametrize(("text", "message"), [
    ("{", "is not JSON"),
    ('{"findings": []}', "is not a tlspath baseline (write one with --write-baseline)"),
    ('{"format": "tlspath-baseline", "version": 9, "findings": []}', "is a version 9 baseline"),
])
def test_a_baseline_that_cannot_be_used_is_an_error(tlspath, infra, text, message):
    (infra / "baseline.json").write_text(text, encoding="utf-8")
    run = tlspath("--baseline", "baseline.json", "infra", cwd=infra)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("tlspath: error: --baseline: baseline.json ") and message in run.err
    assert run.err.count("\n") == 1


def test_a_missing_baseline_is_an_error(tlspath, infra):
    run = tlspath("--baseline", "nowhere.json", "infra", cwd=infra)
    assert run.code == 2
    assert run.err == "tlspath: error: --baseline: cannot read nowhere.json: No such file or directory\n"


# ------------------------------------------------------------------------------------------ changed since


class Repository:
    """A throwaway git repository, isolated from the user's git configuration."""

    def __init__(self, path):
        self.path = path
        path.mkdir(exist_ok=True)
        self.env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(path), "GIT_AUTHOR_NAME": "t",
                    "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                    "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin"}
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run([GIT, *args], cwd=self.path, env=self.env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def write(self, name: str, text: str) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


@pytest.fixture
def repository(tmp_path):
    """main: two stacks whose path crosses files (E9503 in api.yaml, traced through network.yaml) and an
    unrelated template with a finding of its own (E9508 in claims.yaml); then a branch, 'change'."""
    repo = Repository(tmp_path / "repo")
    repo.write("stacks/network.yaml", NETWORK_STACK)
    repo.write("stacks/api.yaml", API_STACK)
    repo.write("claims/claims.yaml", TLS13.read_text(encoding="utf-8"))
    repo.commit("infrastructure")
    repo.git("checkout", "-q", "-b", "change")
    return repo



@needs_git
def test_nothing_changed_nothing_reported(tlspath, repository):
    run = tlspath("--format", "json", "--changed-since", "main", cwd=repository.path)
    assert run.findings == [] and run.code == 0
    assert "2 findings on files that did not change not reported" in run.err


@needs_git
def test_a_committed_change_to_a_file_on_the_path_reports_the_finding_in_another_file(tlspath, repository):
    repository.write("stacks/network.yaml", NETWORK_STACK.replace("Resources:\n", "# shared network\nResources:\n"))
    repository.commit("comment")
    run = tlspath("--format", "json", "--changed-since", "main", cwd=repository.path)
    assert rules(run) == [("E9503", "stacks/api.yaml")]
    assert run.code == 1


@needs_git
@pytest.mark.parametrize("state", ["staged", "unstaged", "untracked"])
def test_uncommitted_changes_count(tlspath, repository, state):
    if state == "untracked":
        repository.write("new/orders.yaml", SELF_SIGNED.read_text(encoding="utf-8"))
        expected = {"new/orders.yaml"}
    else:
        repository.write("claims/claims.yaml", "# edited\n" + TLS13.read_text(encoding="utf-8"))
        if state == "staged":
            repository.git("add", "claims/claims.yaml")
        expected = {"claims/claims.yaml"}
    run = tlspath("--format", "json", "--changed-since", "main", cwd=repository.path)
    assert {f["file"] for f in run.findings} == expected


@needs_git
def test_changes_on_the_target_branch_since_the_branch_point_do_not_count(tlspath, repository):
    """A pull request's job sees what the pull request changes, not what reached main meanwhile."""
    repository.git("checkout", "-q", "main")
    repository.write("claims/claims.yaml", "# edited on main\n" + TLS13.read_text(encoding="utf-8"))
    repository.commit("main moves on")
    repository.git("checkout", "-q", "change")
    assert tlspath("--format", "json", "--changed-since", "main", cwd=repository.path).findings == []


@needs_git
def test_an_ignored_file_is_no_change(tlspath, repository):
    repository.write(".gitignore", "scratch/\n")
    repository.commit("ignore scratch")
    repository.write("scratch/orders.yaml", SELF_SIGNED.read_text(encoding="utf-8"))
    run = tlspath("--format", "json", "--changed-since", "main", "scratch/orders.yaml", cwd=repository.path)
    assert run.findings == []


@needs_git
def test_a_file_name_that_is_not_utf8_is_reported_not_a_traceback(tlspath, repository, tmp_path):
    """Linux and git allow any bytes in a name (an old tool's Latin-1 'caf\\xe9.yaml'): git's answers and the
    baseline hold such a name as os.listdir does, so --changed-since and --write-baseline work on it."""
    (repository.path / os.fsdecode(b"caf\xe9.yaml")).write_text(SELF_SIGNED.read_text(encoding="utf-8"),
                                                                encoding="utf-8")
    run = tlspath("--changed-since", "main", cwd=repository.path)
    assert run.code == 1 and "caf\\udce9.yaml:88:13: E9501" in run.out
    baseline = tmp_path / "baseline.json"
    assert tlspath("--write-baseline", str(baseline), cwd=repository.path).code == 0
    assert tlspath("--baseline", str(baseline), cwd=repository.path).code == 0


@needs_git
def test_a_scan_of_a_subfolder_asks_the_repository_it_is_in(tlspath, repository):
    repository.write("stacks/api.yaml", API_STACK + "# edited\n")
    run = tlspath("--format", "json", "--changed-since", "main", ".", cwd=repository.path / "stacks")
    assert rules(run) == [("E9503", "api.yaml")]


# Synthesized output git ignores (cdk.out, cdktf.out) is what CI scans after `cdk synth`: git cannot compare it,
# and the app source that changed is on no path, so its findings are always reported -- and the run says why.

CDK_TEMPLATE = SAMPLES / "cloudformation" / "cdk.out" / "OrdersServiceStack.template.json"
CDKTF_APP = SAMPLES / "terraform" / "bad" / "e9501-cdktf-tcp-to-self-signed-user-data"
TLS12_POLICY = '"SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"'


def cdk_repository(path, ignore: str, output: str = "cdk.out"):
    """main: a CDK app (orders/, its template with a TLS 1.2 policy in ``output``) and a cdktf app (legacy/,
    2 x E9501), ``ignore`` in .gitignore; then a branch, 'change', where the CDK source asks for a TLS-1.3-only
    policy and `cdk synth` (not committed where ignored) rewrites the template: E9508."""
    repo = Repository(path)
    repo.write(".gitignore", ignore)
    repo.write("orders/cdk.json", json.dumps({"app": "npx ts-node bin/app.ts",
                                              **({"output": output} if output != "cdk.out" else {})}))
    repo.write("orders/lib/stack.ts", "nlb.addListener('Tls', {port: 443, sslPolicy: SslPolicy.RECOMMENDED_TLS});\n")
    repo.write(f"orders/{output}/OrdersServiceStack.template.json", CDK_TEMPLATE.read_text(encoding="utf-8"))
    shutil.copytree(CDKTF_APP, repo.path / "legacy")
    repo.commit("apps")
    repo.git("checkout", "-q", "-b", "change")
    repo.write("orders/lib/stack.ts", "nlb.addListener('Tls', {port: 443, sslPolicy: SslPolicy.TLS13_13});\n")
    repo.commit("TLS 1.3 only")
    template = repo.path / "orders" / output / "OrdersServiceStack.template.json"
    template.write_text(edit(template.read_text(encoding="utf-8"), {
        TLS12_POLICY: '"SslPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06"'}), encoding="utf-8")
    return repo


@needs_git
def test_findings_in_synthesized_output_git_ignores_are_reported_and_the_run_says_why(tlspath, tmp_path):
    repo = cdk_repository(tmp_path / "repo", "node_modules\ncdk.out\ncdktf.out\n")
    run = tlspath("--changed-since", "main", "--color", "never", cwd=repo.path)
    assert run.code == 1
    policy = line_of(repo.path / "orders" / "cdk.out" / "OrdersServiceStack.template.json", '"SslPolicy"')
    user_data = line_of(repo.path / "legacy" / "cdktf.out" / "stacks" / "orders" / "cdk.tf.json", '"user_data"')
    errors = [line.partition("  error  ")[0] for line in run.out.splitlines() if "  error  " in line]
    assert errors == [f"legacy/cdktf.out/stacks/orders/cdk.tf.json:{user_data}:9: E9501"] * 2 + [
        f"orders/cdk.out/OrdersServiceStack.template.json:{policy}:5: E9508"]
    assert run.err == ("tlspath: 0 findings on files that did not change not reported\n"
                       "tlspath: 4 findings in synthesized output git does not track (legacy/cdktf.out, orders/cdk.out) "
                       "reported as changed: git cannot compare it, and the files do not say which source it was "
                       "made from\n")


@needs_git
def test_synthesized_output_git_tracks_is_compared_as_any_file(tlspath, tmp_path):
    repo = cdk_repository(tmp_path / "repo", "node_modules\n")  # cdk.out and cdktf.out committed
    run = tlspath("--format", "json", "--changed-since", "main", cwd=repo.path)
    assert rules(run) == [("E9508", "orders/cdk.out/OrdersServiceStack.template.json"),
                          ("I9513", "orders/cdk.out/OrdersServiceStack.template.json")]
    assert run.err == "tlspath: 2 findings on files that did not change not reported\n"  # legacy/: 2 x E9501
    assert "synthesized output" not in run.err


@needs_git
def test_a_cdk_app_writing_its_output_elsewhere_is_synthesized_output_there(tlspath, tmp_path):
    """cdk.json's "output": "build/assembly", with build/ in .gitignore: the template there is what CI synthesizes,
    reported as synthesized output git does not track -- never 'did not change' (review7 items 5, 37). Committed
    (build/ not ignored), it is compared as any file."""
    repo = cdk_repository(tmp_path / "ignored", "node_modules\nbuild/\ncdktf.out\n", output="build/assembly")
    run = tlspath("--format", "json", "--changed-since", "main", cwd=repo.path)
    assert ("E9508", "orders/build/assembly/OrdersServiceStack.template.json") in rules(run)
    assert "synthesized output git does not track (legacy/cdktf.out, orders/build/assembly)" in run.err
    repo = cdk_repository(tmp_path / "tracked", "node_modules\n", output="build/assembly")
    run = tlspath("--format", "json", "--changed-since", "main", cwd=repo.path)
    assert rules(run) == [("E9508", "orders/build/assembly/OrdersServiceStack.template.json"),
                          ("I9513", "orders/build/assembly/OrdersServiceStack.template.json")]
    assert "synthesized output" not in run.err


# A pull request that only deletes a file breaks a path no remaining file shows: the findings of the input the
# file belonged to (a Terraform module, a template's folder) are reported.

SNI = """
resource "aws_acm_certificate" "api" {
  domain_name       = "api.example.com"
  validation_method = "DNS"
}

resource "aws_acm_certificate_validation" "api" {
  certificate_arn = aws_acm_certificate.api.arn
}

resource "aws_lb_listener_certificate" "api" {
  listener_arn    = aws_lb_listener.tls.arn
  certificate_arn = aws_acm_certificate_validation.api.certificate_arn
}
"""


@pytest.fixture
def modules(tmp_path):
    """main: api/ (a TLS listener whose default certificate is for another host; sni.tf adds the API's own)
    and orders/ (a pass-through to a self-signed backend: E9501); then a branch, 'change'."""
    repo = Repository(tmp_path / "repo")
    repo.write("api/main.tf", rest_integration() + vpc_link() + nlb() + tls_listener()
               + acm_certificate("other.example.com"))
    repo.write("api/sni.tf", SNI)
    repo.write("orders/main.tf", pass_through_path())
    repo.commit("infrastructure")
    repo.git("checkout", "-q", "-b", "change")
    return repo


@needs_git
def test_a_deleted_file_reports_what_its_module_now_breaks(tlspath, modules):
    before = rules(tlspath("--format", "json", "api", "orders", cwd=modules.path))
    assert before == sorted([("E9501", "orders/main.tf"), ("I9523", "api/main.tf")])  # I9523: the host's only on SNI
    modules.git("rm", "-q", "api/sni.tf")
    modules.commit("drop the API's own certificate")
    full = tlspath("--format", "json", "api", "orders", cwd=modules.path)
    assert ("E9503", "api/main.tf") in rules(full)
    run = tlspath("--format", "json", "--changed-since", "main", "api", "orders", cwd=modules.path)
    assert rules(run) == [finding for finding in rules(full) if finding[1].startswith("api/")]
    assert run.code == 1


@needs_git
def test_a_change_in_another_module_reports_nothing_here(tlspath, modules):
    modules.write("orders/notes.tf", "# nothing\n")
    modules.write("api/README.md", "Not a file tlspath reads.\n")
    run = tlspath("--format", "json", "--changed-since", "main", "api", "orders", cwd=modules.path)
    assert rules(run) == [("E9501", "orders/main.tf")]


@needs_git
def test_a_deleted_template_reports_what_its_neighbours_now_break(tlspath, repository):
    repository.git("rm", "-q", "stacks/network.yaml")  # api.yaml imports the listener it exported
    repository.commit("drop the network stack")
    run = tlspath("--format", "json", "--changed-since", "main", cwd=repository.path)
    assert {file for _, file in rules(run)} == {"stacks/api.yaml"}  # not claims/claims.yaml


@needs_git
def test_an_unknown_ref_is_an_error_before_anything_is_read(tlspath, repository):
    run = tlspath("--changed-since", "origin/main", cwd=repository.path)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("tlspath: error: --changed-since: git knows no commit 'origin/main' in ")
    assert run.err.count("\n") == 1


@needs_git
def test_outside_a_repository_is_an_error(tlspath, tmp_path):
    (tmp_path / "plain").mkdir()
    run = tlspath("--changed-since", "main", cwd=tmp_path / "plain")
    assert run.code == 2
    assert run.err.startswith(f"tlspath: error: --changed-since: {tmp_path / 'plain'} is not inside a git work tree")
    assert run.err.count("\n") == 1


def test_without_git_it_is_an_error(tlspath, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on it
    run = tlspath("--changed-since", "main", cwd=tmp_path)
    assert run.code == 2
    assert run.err == "tlspath: error: --changed-since needs git, which is not installed (or not on PATH)\n"


def test_write_baseline_does_not_go_with_changed_since(tlspath, tmp_path):
    run = tlspath("--write-baseline", "b.json", "--changed-since", "main", cwd=tmp_path)
    assert run.code == 2
    assert "--write-baseline records the whole tree's findings: drop --changed-since" in run.err
