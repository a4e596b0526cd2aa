"""The rule pack in the real cfn-lint: ``cfn-lint -a linter.rules`` and ``cfn-lint -a rules/``.

Every test runs the ``cfn-lint`` executable of this environment in a subprocess, with HOME pointed at an
empty folder so that a developer's ``~/.cfnlintrc`` cannot change the outcome.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, SHARED, column_of, edit, line_of
from linter.parse.cloudformation import CloudFormation
from linter.rules import catalogue

BIN = Path(sys.executable).parent
CFN_LINT = shutil.which("cfn-lint", path=str(BIN))
pytestmark = pytest.mark.skipif(CFN_LINT is None, reason=f"no cfn-lint next to {sys.executable}")

SELF_SIGNED = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"
PASS_THROUGH = SAMPLES / "cloudformation" / "bad" / "w9502-tls-pass-through-to-ecs.json"
UNRESOLVED = SAMPLES / "cloudformation" / "bad" / "i9513-parameter-without-default.yaml"
TLS13_ONLY = SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml"
CFN_SAMPLES = sorted(p for p in (SAMPLES / "cloudformation").rglob("*") if p.suffix in (".yaml", ".json"))
PACK_IDS = sorted(["E9500", *(rule.id for rule in catalogue())])

LEVELS = {"Error": "error", "Warning": "warning", "Informational": "info"}
RULE_ROW = re.compile(r"[EWI]\d{4}: ")
PACK_RULE_CRASH = re.compile(r"Unknown exception while processing rule [EWI]95")
EXIT_BIT = {"Error": 2, "Warning": 4, "Informational": 8}  # cfn-lint's exit code is a bitmask of levels

LISTENER_TYPE = "    Type: AWS::ElasticLoadBalancingV2::Listener\n"
IGNORE_E9508 = "    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [E9508]\n"


def cfn_lint(*args: object, cwd: Path = ROOT, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the real cfn-lint; a crash (exit 1), a crash of a pack rule (E0002) or a duplicate rule fails the test
    here."""
    env = {**os.environ, "HOME": str(home)}
    done = subprocess.run([CFN_LINT, *map(str, args)], cwd=cwd, env=env, input=stdin, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode != 1, done.stderr
    assert not PACK_RULE_CRASH.search(done.stdout), done.stdout  # E0002 from one of our rules
    assert "DuplicateRuleError" not in done.stderr, done.stderr
    return done


def matches(done: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(done.stdout or "[]")


def ours(found: list[dict]) -> list[dict]:
    return [m for m in found if m["Rule"]["Id"] in PACK_IDS]


def exit_bits(found: list[dict]) -> int:
    code = 0
    for match in found:
        code |= EXIT_BIT[match["Level"]]
    return code


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def all_samples(home) -> list[dict]:
    """One cfn-lint run over every CloudFormation sample, informational rules included."""
    done = cfn_lint("-a", "linter.rules", "-c", "I", "-f", "json", "--", *(p.relative_to(ROOT) for p in CFN_SAMPLES),
                    home=home)
    found = matches(done)
    assert done.returncode == exit_bits(found)
    return found


@pytest.mark.parametrize("append", ["linter.rules", "rules/"])
def test_self_signed_backend_is_e9501_at_the_openssl_line(tlspath, home, append):
    sample = SELF_SIGNED.relative_to(ROOT)
    done = cfn_lint("-a", append, "-f", "json", "--", sample, home=home)
    found = ours(matches(done))
    line = line_of(SELF_SIGNED, "openssl req -x509")
    assert [(m["Rule"]["Id"], m["Level"], m["Location"]["Start"]["LineNumber"]) for m in found] == [
        ("E9501", "Error", line)]
    assert [f["line"] for f in tlspath(sample, "--format", "json").findings] == [line]  # the line tlspath reports
    assert found[0]["Filename"] == str(sample)
    assert found[0]["Location"]["Path"][:2] == ["Resources", "OrdersFleet"]
    assert done.returncode & 2  # the error bit


@pytest.mark.parametrize("sample", CFN_SAMPLES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_sample_gives_tlspaths_findings_at_tlspaths_lines(tlspath, all_samples, sample):
    """cfn-lint judges each template alone, so tlspath is run on the one file too."""
    name = str(sample.relative_to(ROOT))
    run = tlspath(name, "--format", "json")
    want = sorted((f["rule"], f["level"], f["line"]) for f in run.findings if f["file"] == name)
    found = [m for m in ours(all_samples) if m["Filename"] == name]
    assert sorted((m["Rule"]["Id"], LEVELS[m["Level"]], m["Location"]["Start"]["LineNumber"]) for m in found) == want
    for match in found:
        finding = next(f for f in run.findings
                       if (f["rule"], f["line"]) == (match["Rule"]["Id"], match["Location"]["Start"]["LineNumber"]))
        assert match["Message"].startswith(finding["message"])
        assert match["Message"].endswith(f"Fix: {finding['fix']}")
        assert match["Rule"]["ShortDescription"] == finding["title"]


def test_a_public_path_carries_its_elastic_ip_and_endpoint_hops(all_samples):
    sample = SAMPLES / "cloudformation" / "bad" / "e9501-public-integration-to-self-signed-instance.yaml"
    match, = [m for m in ours(all_samples) if m["Filename"] == str(sample.relative_to(ROOT))]
    assert (f"Path: integration ReportsAny (line {line_of(sample, 'ReportsAny:')}) -> Elastic IP ReportsAddress "
            f"(line {line_of(sample, 'ReportsAddress:')}) -> endpoint ReportsServer "
            f"(line {line_of(sample, 'ReportsServer:')})") in match["Message"]


def test_every_bad_sample_is_reported(all_samples):
    reported = {m["Filename"] for m in ours(all_samples)}
    bad = {str(p.relative_to(ROOT)) for p in CFN_SAMPLES if p.parent.name == "bad"}
    assert bad <= reported


def test_parseable_format(home):
    sample = SELF_SIGNED.relative_to(ROOT)
    done = cfn_lint("-a", "linter.rules", "-f", "parseable", "--", sample, home=home)
    line = line_of(SELF_SIGNED, "openssl req -x509")
    ours_lines = [row.split(":", 6) for row in done.stdout.splitlines() if ":E95" in row]
    assert len(ours_lines) == 1
    file, start, column, end, end_column, rule, message = ours_lines[0]
    assert (file, int(start), int(end), rule) == (str(sample), line, line, "E9501")
    text = SELF_SIGNED.read_text(encoding="utf-8").splitlines()[line - 1]
    assert text[int(column) - 1:int(end_column) - 1] == text.strip()  # the command, without its indentation
    assert "openssl req -x509" in message and "Path: integration OrdersGet" in message


def test_parseable_format_starts_at_the_column_tlspath_knows(home):
    sample = SAMPLES / "cloudformation" / "bad" / "w9510-skip-verification-in-openapi-body.yaml"
    done = cfn_lint("-a", "linter.rules", "-f", "parseable", "--", sample.relative_to(ROOT), home=home)
    row, = [row.split(":", 6) for row in done.stdout.splitlines() if ":W9510:" in row]
    needle = "insecureSkipVerification: true"
    assert (int(row[1]), int(row[2])) == (line_of(sample, needle), column_of(sample, needle))


@pytest.mark.parametrize(("sample", "args", "bit"), [
    (SELF_SIGNED, (), 2),
    (PASS_THROUGH, (), 4),
    (UNRESOLVED, ("-c", "I95"), 8),
])
def test_levels_set_cfn_lints_exit_bits(home, sample, args, bit):
    done = cfn_lint("-a", "linter.rules", *args, "-f", "json", "--", sample.relative_to(ROOT), home=home)
    found = matches(done)
    assert {EXIT_BIT[m["Level"]] for m in ours(found)} == {bit}
    assert done.returncode == exit_bits(found)
    assert done.returncode & bit


def test_informational_findings_are_hidden_unless_included(home):
    done = cfn_lint("-a", "linter.rules", "-f", "json", "--", UNRESOLVED.relative_to(ROOT), home=home)
    assert ours(matches(done)) == []
    assert not done.returncode & 8


def test_ignore_by_prefix_silences_the_pack(home):
    sample = SELF_SIGNED.relative_to(ROOT)
    done = cfn_lint("-a", "linter.rules", "-i", "E95", "-f", "json", "--", sample, home=home)
    found = matches(done)
    assert ours(found) == []
    assert found  # cfn-lint's own findings stay (W1020)
    assert done.returncode == exit_bits(found)
    assert not done.returncode & 2


def test_resource_metadata_ignores_a_rule_on_that_resource(home, write):
    text = TLS13_ONLY.read_text(encoding="utf-8")
    ignored = write("ignored.yaml", edit(text, {LISTENER_TYPE: LISTENER_TYPE + IGNORE_E9508}))
    plain = TLS13_ONLY.relative_to(ROOT)
    done = cfn_lint("-a", "linter.rules", "-f", "json", "--", plain, ignored, home=home)
    found = ours(matches(done))
    assert [(m["Filename"], m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"]) for m in found] == [
        (str(plain), "E9508", line_of(TLS13_ONLY, "SslPolicy:"))]


def test_cfnlintrc_append_rules(home, tmp_path):
    shutil.copy(SELF_SIGNED, tmp_path / "template.yaml")
    (tmp_path / ".cfnlintrc").write_text("append_rules:\n  - linter.rules\n", encoding="utf-8")
    done = cfn_lint("-f", "json", "template.yaml", cwd=tmp_path, home=home)
    assert [(m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"]) for m in ours(matches(done))] == [
        ("E9501", line_of(SELF_SIGNED, "openssl req -x509"))]
    assert done.returncode & 2


def test_the_pack_adds_rules_and_changes_no_built_in_one(home):
    def listed(*args: str) -> set[str]:  # "E9501: title" rows (each is followed by its description)
        return {row for row in cfn_lint(*args, "-l", home=home).stdout.splitlines() if RULE_ROW.match(row)}

    plain, packed = listed(), listed("-a", "linter.rules")
    assert plain < packed
    assert sorted(row.split(":", 1)[0] for row in packed - plain) == PACK_IDS

    sample = SELF_SIGNED.relative_to(ROOT)
    without = matches(cfn_lint("-f", "json", "--", sample, home=home))
    with_pack = matches(cfn_lint("-a", "linter.rules", "-f", "json", "--", sample, home=home))
    assert [m for m in with_pack if m not in ours(with_pack)] == without
    assert ours(with_pack)


def test_directory_form_loads_the_same_rules(home):
    def listed(append: str) -> list[str]:
        rows = cfn_lint("-a", append, "-l", "--", home=home).stdout.splitlines()
        return sorted(row for row in rows if row.split(":", 1)[0] in PACK_IDS)

    assert listed("rules/") == listed("linter.rules")
    assert len(listed("rules/")) == len(PACK_IDS)


def test_template_tlspath_cannot_analyse_is_e9500(home, write):
    template = write("cycle.yaml", """
        AWSTemplateFormatVersion: "2010-09-09"
        Conditions:
          IsA: !Condition IsB
          IsB: !Condition IsA
        Resources:
          Nlb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Condition: IsA
            Properties:
              Type: network
              Subnets: [subnet-0aa11bb22cc33dd44]
        """)
    found = ours(matches(cfn_lint("-a", "linter.rules", "-f", "json", "--", template, home=home)))
    assert [(m["Rule"]["Id"], m["Level"]) for m in found] == [("E9500", "Error")]
    assert "condition 'IsA' refers to itself" in found[0]["Message"]


def test_template_on_standard_input(home):
    done = cfn_lint("-a", "linter.rules", "-f", "json", stdin=SELF_SIGNED.read_text(encoding="utf-8"), home=home)
    assert [m["Rule"]["Id"] for m in ours(matches(done))] == ["E9501"]
    assert done.returncode & 2


def test_documents_that_are_not_templates_get_nothing_from_the_pack(home, write):
    workflow = write(".github/workflows/ci.yaml", """
        name: ci
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps: [{run: make test}]
        """)
    found = matches(cfn_lint("-a", "linter.rules", "-f", "json", "--", workflow, home=home))
    assert found  # cfn-lint itself complains (E1001): that is why hooks narrow files:
    assert ours(found) == []


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not present")
def test_the_pack_never_crashes_on_the_corpus(home):
    """cfn-lint's own fixtures (many deliberately broken) and real repositories, templates or not."""
    folders = [SHARED / "corpus" / "robust" / "cfn-lint", SHARED / "corpus" / "real"]
    files = sorted(str(p) for folder in folders for p in folder.rglob("*") if CloudFormation.claims.document(p.name)
                   and p.is_file())
    assert len(files) > 200
    found = matches(cfn_lint("-a", "linter.rules", "-c", "I95", "-f", "json", "--", *files, home=home))
    assert not [m for m in ours(found) if m["Rule"]["Id"] == "E9500" and "internal error" in m["Message"]]
