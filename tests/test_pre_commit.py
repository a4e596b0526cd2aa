"""The shipped pre-commit hooks (``.pre-commit-hooks.yaml``), run by the real ``pre-commit`` in a throwaway
git repository.

Trade-off: pre-commit installs a ``language: python`` hook by pip-installing this repository and its
dependencies into a fresh virtualenv, which needs a package index -- and tests may not use the network. So
most tests copy each shipped hook (id, name, args, files, require_serial ...) into a ``repo: local`` hook
with ``language: system`` whose entry is the executable installed next to this Python (``tlspath``,
``cfn-lint``). That exercises what decides a user's outcome -- pre-commit's file selection with our
``files:`` pattern, its batching under ``require_serial``, the argument list, exit codes and output, and a
real ``git commit`` through the installed git hook -- but not the installation itself (packaging metadata,
the console scripts in a fresh venv). ``test_try_repo_installs_the_package_and_runs_the_hook`` covers that
when ``TLSPATH_WHEELHOUSE`` names a folder of wheels for tlspath's build and runtime dependencies and the hooks'
``additional_dependencies`` (pip then runs with ``--no-index`` from it; ``.ci/run`` makes one); otherwise it is
skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES, column_of, line_of

BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN))
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None or GIT is None,
                                reason="needs pre-commit next to this Python, and git")

SHIPPED = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
SELF_SIGNED = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"
GOOD = SAMPLES / "cloudformation" / "good" / "rest-api-nlb-tls-listener.yaml"
TERRAFORM = SAMPLES / "terraform" / "bad" / "e9501-tcp-to-self-signed-user-data"
TERRAGRUNT = SAMPLES / "terraform" / "bad" / "e9508-terragrunt-tls13-policy-in-inputs"

# YAML and JSON that are not templates: every hook must let them pass.
NOT_TEMPLATES = {
    ".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                "    steps:\n      - run: make test\n",
    "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n---\n"
                           "apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n",
    "package.json": '{"name": "orders", "version": "1.0.0", "scripts": {"test": "jest"}}\n',
    "chart/templates/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
}

# Two stacks: the network stack exports a VPC link to an NLB whose TLS listener has a certificate for
# orders.example.com; the API stack imports it and calls another host. Only together is that E9503.
NETWORK_STACK = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: network
      Scheme: internal
      Subnets: [subnet-0aa11bb22cc33dd44]
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: orders.example.com
      ValidationMethod: DNS
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Protocol: TLS
      Port: 443
      Certificates:
        - CertificateArn: !Ref Certificate
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Targets
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      VpcId: vpc-0a1b2c3d4e5f60718
      Protocol: TCP
      Port: 8080
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties:
      Name: shared
      TargetArns: [!Ref Nlb]
Outputs:
  LinkId:
    Value: !Ref Link
    Export:
      Name: network-vpc-link
"""
API_STACK = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: GET
        ConnectionType: VPC_LINK
        ConnectionId: !ImportValue network-vpc-link
        Uri: https://orders.internal.example.net/orders
"""


class Repo:
    """A throwaway git repository with pre-commit configured, isolated from the user's git and caches."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir()
        home = path.parent / f"{path.name}-home"
        home.mkdir()
        self.env = {**os.environ, "HOME": str(home), "PRE_COMMIT_HOME": str(home / "pre-commit"),
                    "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
        self.env.pop("PRE_COMMIT", None)
        self.git("init", "-q")
        self.git("config", "commit.gpgsign", "false")

    def run(self, *args: object) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], cwd=self.path, env=self.env, capture_output=True, text=True,
                              timeout=600, check=False)

    def git(self, *args: object) -> subprocess.CompletedProcess:
        done = self.run(GIT, *args)
        assert done.returncode == 0 or args[0] in ("commit", "rev-parse"), done.stderr
        return done

    def pre_commit(self, *args: object) -> subprocess.CompletedProcess:
        return self.run(PRE_COMMIT, *args)

    def add(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.git("add", name)
        return path

    def configure(self, *hooks: dict) -> None:
        config = {"repos": [{"repo": "local", "hooks": list(hooks)}]}
        self.add(".pre-commit-config.yaml", yaml.safe_dump(config, sort_keys=False))

    def commit(self) -> subprocess.CompletedProcess:
        return self.git("commit", "-q", "-m", "change")

    def has_commits(self) -> bool:
        return self.git("rev-parse", "--verify", "-q", "HEAD").returncode == 0


def as_local(hook_id: str) -> dict:
    """The shipped hook as a ``repo: local`` hook running the installed executable (see the module doc)."""
    hook = dict(SHIPPED[hook_id])
    executable = shutil.which(hook["entry"], path=str(BIN))
    if executable is None:
        pytest.skip(f"no {hook['entry']} next to {sys.executable}")
    hook.pop("additional_dependencies", None)  # installed next to this Python already (the test extra)
    return {**hook, "language": "system", "entry": executable}


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path / "repo")


def test_manifest_is_valid():
    done = subprocess.run([PRE_COMMIT, "validate-manifest", ROOT / ".pre-commit-hooks.yaml"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(SHIPPED) == {"tlspath", "tlspath-cfn-lint"}


def test_tlspath_hook_blocks_a_commit_with_a_bad_template(repo):
    repo.configure(as_local("tlspath"))
    repo.git("commit", "-q", "--no-verify", "-m", "config")
    repo.pre_commit("install")
    repo.add("infra/orders.yaml", SELF_SIGNED.read_text(encoding="utf-8"))
    done = repo.commit()
    assert done.returncode != 0
    shown = done.stderr  # git shows what its pre-commit hook prints on stderr
    line, column = line_of(SELF_SIGNED, "openssl req -x509"), column_of(SELF_SIGNED, "openssl req -x509")
    assert f"infra/orders.yaml:{line}:{column}: E9501  error" in shown
    assert "- exit code: 1" in shown
    assert repo.git("log", "--oneline").stdout.count("\n") == 1  # only the config commit


def test_tlspath_hook_passes_a_good_template_and_yaml_that_is_no_template(repo):
    repo.configure(as_local("tlspath"))
    repo.pre_commit("install")
    repo.add("infra/orders.yaml", GOOD.read_text(encoding="utf-8"))
    for name, text in NOT_TEMPLATES.items():
        repo.add(name, text)
    done = repo.commit()
    assert done.returncode == 0, done.stderr
    assert "Passed" in done.stderr
    assert repo.has_commits()


def test_tlspath_hook_sees_every_file_in_one_run_so_imports_resolve(repo):
    """Alone, the API stack's imported VPC link is unresolved (I9513, which passes); with require_serial
    pre-commit hands both stacks to one run, and the host mismatch across them is found."""
    repo.configure(as_local("tlspath"))
    repo.add("stacks/network.yaml", NETWORK_STACK)
    api = repo.add("stacks/api.yaml", API_STACK)
    for name, text in NOT_TEMPLATES.items():  # enough files for pre-commit to split them over processes
        repo.add(name, text)
    repo.env["TRAVIS"] = "1"  # pre-commit then plans for two processes whatever the CPU count
    done = repo.pre_commit("run", "--all-files")
    assert done.returncode == 1, done.stdout
    assert f"stacks/api.yaml:{line_of(api, 'Uri:')}:{column_of(api, 'Uri:')}: E9503  error" in done.stdout
    assert "network.yaml" in done.stdout  # the path crosses into the other stack


def test_tlspath_hook_on_a_changed_exporting_stack_judges_the_stacks_that_import_it(repo):
    """Only the network stack changed: the API stack of the repository imports its VPC link, so the host mismatch
    across the two is found, as with both in the commit."""
    repo.configure(as_local("tlspath"))
    repo.add("stacks/network.yaml", NETWORK_STACK)
    api = repo.add("stacks/api.yaml", API_STACK)
    done = repo.pre_commit("run", "--files", "stacks/network.yaml")
    assert done.returncode == 1, done.stdout
    assert f"stacks/api.yaml:{line_of(api, 'Uri:')}:{column_of(api, 'Uri:')}: E9503  error" in done.stdout


def test_tlspath_hook_on_a_changed_tfvars_file_analyses_its_module(repo):
    if not TERRAFORM.is_dir():
        pytest.skip(f"no Terraform sample at {TERRAFORM}")
    repo.configure(as_local("tlspath"))
    for source in TERRAFORM.glob("*.tf*"):
        repo.add(f"infra/{source.name}", source.read_text(encoding="utf-8"))
    done = repo.pre_commit("run", "--files", "infra/terraform.tfvars")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "infra/main.tf" in done.stdout and "E9501  error" in done.stdout


READ_FROM_FILE = SAMPLES / "terraform" / "bad" / "e9501-private-ca-certificate-from-file"  # file("tls/...")


def test_tlspath_hook_on_a_renewed_certificate_judges_the_module_that_reads_it(repo):
    """Only tls/shipping.crt changed (a renewal): the shipped files: pattern passes it, and it stands for the
    root module that reads it with file() -- the E9501 at the module's line, as a whole scan reports it."""
    if not READ_FROM_FILE.is_dir():
        pytest.skip(f"no Terraform sample at {READ_FROM_FILE}")
    repo.configure(as_local("tlspath"))
    for source in sorted(p for p in READ_FROM_FILE.rglob("*") if p.is_file()):
        repo.add(f"infra/{source.relative_to(READ_FROM_FILE).as_posix()}", source.read_text(encoding="utf-8"))
    repo.add("scripts/deploy.sh", "#!/bin/sh\nterraform apply\n")  # no module reads it
    repo.add("infra/tls/README.pem", "not read by anything\n")
    repo.commit()
    done = repo.pre_commit("run", "--files", "infra/tls/shipping.crt")
    main = READ_FROM_FILE / "main.tf"
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"infra/main.tf:{line_of(main, 'certificate_body')}:" in done.stdout and "E9501  error" in done.stdout
    quiet = repo.pre_commit("run", "--files", "scripts/deploy.sh", "infra/tls/README.pem")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "E95" not in quiet.stdout and "I95" not in quiet.stdout


def test_tlspath_hook_on_a_changed_terragrunt_include_judges_the_units_that_read_it(repo):
    """Only live/prod/env.hcl changed: the NLB unit reads it (through the included root.hcl), and the API unit
    depends on the NLB unit -- the path is judged as a whole scan judges it, the finding at the unit's input."""
    if not TERRAGRUNT.is_dir():
        pytest.skip(f"no Terragrunt sample at {TERRAGRUNT}")
    repo.configure(as_local("tlspath"))
    for source in sorted(p for p in TERRAGRUNT.rglob("*") if p.is_file()):
        repo.add(source.relative_to(TERRAGRUNT).as_posix(), source.read_text(encoding="utf-8"))
    done = repo.pre_commit("run", "--files", "live/prod/env.hcl")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "live/prod/nlb/terragrunt.hcl:" in done.stdout and "E9508" in done.stdout


def test_tlspath_hook_on_a_changed_shared_module_judges_the_roots_that_call_it(repo):
    """Only modules/svc/main.tf changed (envs/prod calls it with ../../modules/svc): judged through that root, the
    E9501 at the module's line, as a whole scan reports it; a commit changing only the root reads the module."""
    from test_named_files import MODULE, root

    repo.configure(as_local("tlspath"))
    repo.add("envs/prod/main.tf", root("../../modules/svc"))
    module = repo.add("modules/svc/main.tf", MODULE)
    where = f"modules/svc/main.tf:{line_of(module, 'openssl req -x509')}:{column_of(module, 'openssl req -x509')}:"
    for changed in ("modules/svc/main.tf", "envs/prod/main.tf"):
        done = repo.pre_commit("run", "--files", changed)
        assert done.returncode == 1, done.stdout + done.stderr
        assert f"{where} E9501  error" in done.stdout and "I9513" not in done.stdout


def test_cfn_lint_hook_fails_on_a_bad_template_and_leaves_other_yaml_alone(repo):
    repo.configure(as_local("tlspath-cfn-lint"))
    repo.add("cfn/orders.yaml", SELF_SIGNED.read_text(encoding="utf-8"))
    for name, text in NOT_TEMPLATES.items():
        repo.add(name, text)
    done = repo.pre_commit("run", "--all-files")
    assert done.returncode == 1
    line = line_of(SELF_SIGNED, "openssl req -x509")
    assert "E9501 " in done.stdout and f"cfn/orders.yaml:{line}:" in done.stdout
    assert "E1001" not in done.stdout  # no "'Resources' is a required property" on non-templates
    for name in [".pre-commit-config.yaml", *NOT_TEMPLATES]:
        assert name not in done.stdout


def test_cfn_lint_hook_passes_a_good_template(repo):
    repo.configure(as_local("tlspath-cfn-lint"))
    repo.add("template.yaml", GOOD.read_text(encoding="utf-8"))
    done = repo.pre_commit("run", "--all-files")
    assert done.returncode == 0, done.stdout
    assert "Passed" in done.stdout  # it ran (a skipped hook would say so)


@pytest.mark.parametrize(("name", "selected"), [
    ("cfn/orders.yaml", True), ("infra/cloudformation/network.json", True), ("template.yaml", True),
    ("orders.template", True), ("cdk.out/OrdersStack.template.json", True), ("orders.cfn.yml", True),
    (".pre-commit-config.yaml", False), (".github/workflows/ci.yml", False), ("k8s/deployment.yaml", False),
    ("package.json", False), ("chart/templates/service.yaml", False),
])
def test_cfn_lint_hook_files_pattern(repo, name, selected):
    """Which names the shipped ``files:`` hands to cfn-lint, as pre-commit applies it."""
    hook = {**as_local("tlspath-cfn-lint"), "entry": sys.executable, "args": ["-c", "import sys; print(sys.argv[1:])"],
            "verbose": True}
    repo.configure(hook)
    repo.add(name, "{}\n")
    done = repo.pre_commit("run", "--files", name)
    assert (repr(name) in done.stdout) is selected, done.stdout


@pytest.mark.skipif(not os.environ.get("TLSPATH_WHEELHOUSE"), reason="set TLSPATH_WHEELHOUSE to a folder of wheels "
                    "(pip wheel --wheel-dir DIR . setuptools 'cfn-lint>=1,<2'; .ci/run makes one) to test the "
                    "pip-installed hooks offline")
@pytest.mark.parametrize("hook_id", ["tlspath", "tlspath-cfn-lint"])
def test_try_repo_installs_the_package_and_runs_the_hook(repo, hook_id):
    repo.env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=os.environ["TLSPATH_WHEELHOUSE"])
    repo.add("cfn/orders.yaml", SELF_SIGNED.read_text(encoding="utf-8"))
    done = repo.pre_commit("try-repo", ROOT, hook_id, "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "E9501" in done.stdout
