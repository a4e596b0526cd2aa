"""The formats CI systems read -- GitHub workflow commands, JUnit XML, GitLab Code Quality -- and the path
graphs (Mermaid, DOT), each checked with the real consumer's rules: the Actions runner's command parser
(modelled on actions/runner ActionCommand.cs, both its ``::`` and its legacy ``##[`` form), an XML parser
(and the JUnit XSD where ../shared has one), GitLab's documented fields, pydot's DOT grammar and Mermaid's
own parser (when tests/mermaid has been installed). Hostile names must never become commands or markup."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from conftest import ROOT, SAMPLES, column_of, edit, line_of

HEADLINE = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"
PRIVATE_CA = SAMPLES / "cloudformation" / "bad" / "e9501-private-ca-certificate.yaml"
INFO_ONLY = SAMPLES / "cloudformation" / "bad" / "i9513-parameter-without-default.yaml"
HOSTILE = ('"Fleet\\r\\n::error file=x.yaml,line=1::pwned ##[stop-commands]tok ##vso[task.complete]'
           ' %0A%3A \\u202e\\u2066\\x1b[31m\\x00 <b>&\\"#\\\\N`]\\""')


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The headline template with its Auto Scaling group renamed to something out to inject: CR/LF and a
    workflow command, GitHub's legacy and Azure's commands, percent escapes, bidi overrides, ESC, NUL, markup
    and the quotes and backslashes of every format."""
    template = tmp_path / "hostile.yaml"
    template.write_text(edit(HEADLINE.read_text(), {"  OrdersFleet:\n": f"  {HOSTILE}:\n"}), encoding="utf-8")
    return template


# ------------------------------------------------------------------------------------ GitHub Actions

REGISTERED = {"error", "warning", "notice", "debug", "group", "endgroup", "add-mask", "add-matcher", "echo",
              "remove-matcher", "save-state", "set-output", "set-env", "add-path", "stop-commands"}


def _unescape(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for escaped, plain in pairs:
        text = text.replace(escaped, plain)
    return text


DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


def runner_commands(line: str) -> list[tuple[str, dict[str, str], str]]:
    """What the Actions runner makes of one output line: ActionCommand.TryParseV2 (``::`` after leading
    white space) or, failing that, the legacy TryParse (``##[`` anywhere in the line)."""
    message = line.lstrip()
    if message.startswith("::") and (end := message.find("::", 2)) >= 0:
        info = message[2:end]
        name, _, rest = info.partition(" ")
        if name in REGISTERED:
            properties = dict(pair.split("=", 1) for pair in rest.strip().split(",") if "=" in pair.strip("="))
            return [(name, {k: _unescape(v, PROPERTY) for k, v in properties.items()},
                     _unescape(message[end + 2:], DATA))]
    start = line.find("##[")
    if start >= 0 and (close := line.find("]", start)) >= 0:
        name = line[start + 3:close].split(" ", 1)[0]
        if name in REGISTERED:
            return [(name, {}, line[close + 1:])]
    return []


def test_github_annotations_name_file_line_and_rule(tlspath, tmp_path):
    run = tlspath(HEADLINE, INFO_ONLY, "--format", "github")
    commands = [command for line in run.out.splitlines() for command in runner_commands(line)]
    assert [name for name, _, _ in commands] == ["error", "notice"]
    _, properties, message = commands[0]
    assert properties == {"file": HEADLINE.relative_to(ROOT).as_posix(),
                          "line": str(line_of(HEADLINE, "openssl req -x509")),
                          "col": str(column_of(HEADLINE, "openssl req -x509")),
                          "title": "E9501 API Gateway will reject a certificate that is not publicly trusted"}
    lines = message.splitlines()
    assert lines[0].startswith("TCP listener 'OrdersListener' passes TLS through") and lines[-1].startswith("fix: ")
    assert lines[1].startswith("path: integration OrdersGet") and lines[-2].startswith("  -> target OrdersFleet")
    assert run.out.splitlines()[-1] == "2 files, 2 paths: 1 error, 0 warnings, 1 info"


def test_github_input_errors_are_error_annotations(tlspath, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    run = tlspath(broken, "--format", "github", cwd=tmp_path)
    (name, properties, message), = [c for line in run.out.splitlines() for c in runner_commands(line)]
    assert run.code == 2 and name == "error" and message.startswith("YAML syntax error")
    assert properties == {"file": "broken.yaml", "line": "3", "title": "tlspath: input error"}


def test_no_name_can_issue_a_workflow_command(tlspath, hostile):
    for fmt in ("github", "text"):
        run = tlspath(hostile, "--format", fmt)
        commands = [command for line in (run.out + run.err).splitlines() for command in runner_commands(line)]
        assert [name for name, _, _ in commands] == (["error"] if fmt == "github" else []), fmt
        for unsafe in ("\x1b", "\u202e", "\u2066", "\r", "\x00", "##[", "##vso["):
            assert unsafe not in run.out + run.err, (fmt, unsafe)
    github = tlspath(hostile.name, "--format", "github", cwd=hostile.parent).out
    (_, properties, message), = runner_commands(github.splitlines()[0])
    assert properties["file"] == "hostile.yaml"
    assert "pwned ##\\x5bstop-commands]" in message and "Fleet\\x0d\\x0a" in message  # shown, not obeyed


def test_github_escaping_follows_the_toolkit(tmp_path):
    from linter.report.github import command

    line = command("warning", "100% done\r\nnext", file="a,b:c.yaml", line=3, title="50%: x,y", col=None)
    assert line == "::warning file=a%2Cb%3Ac.yaml,line=3,title=50%25%3A x%2Cy::100%25 done%0D%0Anext"
    assert runner_commands(line) == [("warning", {"file": "a,b:c.yaml", "line": "3", "title": "50%: x,y"},
                                      "100% done\r\nnext")]


# --------------------------------------------------------------------------------------------- JUnit

JUNIT_XSD = ROOT / "tests" / "fixtures" / "schemas" / "junit-10.xsd"  # provenance: its README.md


def _junit(tlspath, *args) -> tuple[ET.Element, str]:
    run = tlspath(*args, "--format", "junit")
    return ET.fromstring(run.out.encode("utf-8")), run.out


def test_junit_a_suite_per_file_a_case_per_finding(tlspath, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    root, _ = _junit(tlspath, HEADLINE, INFO_ONLY, broken)
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "2"
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {HEADLINE.relative_to(ROOT).as_posix(), INFO_ONLY.relative_to(ROOT).as_posix(),
                           str(broken)}
    case, = suites[HEADLINE.relative_to(ROOT).as_posix()].iter("testcase")
    assert case.get("name") == f"E9501 OrdersFleet (line {line_of(HEADLINE, 'openssl req -x509')})"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "E9501" and "fix: " in (failure.text or "")
    info_case, = suites[INFO_ONLY.relative_to(ROOT).as_posix()].iter("testcase")
    assert info_case.find("skipped") is not None and info_case.find("failure") is None  # below the fail level
    error_case, = suites[str(broken)].iter("testcase")
    assert error_case.find("failure").get("type") == "input error"


def test_junit_follows_the_fail_level(tlspath):
    root, _ = _junit(tlspath, INFO_ONLY, "--fail-level", "info")
    assert root.get("failures") == "1"
    root, _ = _junit(tlspath, HEADLINE, "--fail-level", "none")
    assert root.get("failures") == "0" and next(root.iter("skipped")) is not None


def test_junit_is_valid_xml_even_for_hostile_names(tlspath, hostile):
    root, text = _junit(tlspath, hostile)
    case, = root.iter("testcase")
    assert "pwned" in case.get("name") and "\\x1b" in case.get("name") and "\x00" not in text


def test_junit_matches_the_schema_ci_tools_validate_against(tlspath, hostile):
    schema = xmlschema.XMLSchema(str(JUNIT_XSD))
    for args in ((SAMPLES, "--fail-level", "error"), (hostile,)):
        _, text = _junit(tlspath, *args)
        assert list(schema.iter_errors(text)) == []


# --------------------------------------------------------------------------------------------- GitLab

def test_gitlab_code_quality_issues(tlspath, tmp_path):
    run = tlspath(SAMPLES, "--format", "gitlab", "--fail-level", "none")
    issues = json.loads(run.out)
    assert not run.out.startswith("\ufeff") and len(issues) > 20
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert not Path(issue["location"]["path"]).is_absolute() and issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    headline = next(i for i in issues if i["location"]["path"] == HEADLINE.relative_to(ROOT).as_posix())
    assert headline["check_name"] == "E9501" and headline["severity"] == "critical"
    assert headline["location"]["lines"]["begin"] == line_of(HEADLINE, "openssl req -x509")


def test_gitlab_fingerprints_survive_moved_lines(tlspath, tmp_path):
    (tmp_path / ".git").mkdir()  # the repository's top, which paths are relative to
    template = tmp_path / "stack.yaml"
    template.write_text(HEADLINE.read_text())
    before, = json.loads(tlspath(".", "--format", "gitlab", cwd=tmp_path).out)
    template.write_text(edit(HEADLINE.read_text(), {"Resources:\n": "Resources:\n  # moved\n"}))
    (tmp_path / "sub").mkdir()
    after, = json.loads(tlspath("..", "--format", "gitlab", cwd=tmp_path / "sub").out)
    assert after["fingerprint"] == before["fingerprint"] and after["location"]["path"] == "stack.yaml"
    assert after["location"]["lines"]["begin"] == before["location"]["lines"]["begin"] + 1


# --------------------------------------------------------------------------------------- path graphs

MERMAID = Path(__file__).resolve().parent / "mermaid"


def _mermaid_parse(*diagrams: str) -> list[str]:
    """Mermaid's own parser (mermaid.parse under node), one verdict per diagram: "ok" or the error."""
    node = shutil.which("node")
    if node is None or not (MERMAID / "node_modules" / "mermaid").is_dir():
        pytest.skip("Mermaid's parser is not installed (npm install --prefix tests/mermaid)")
    done = subprocess.run([node, str(MERMAID / "parse.mjs")], input=json.dumps(diagrams), capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_mermaid_draws_every_path_with_roles_tls_and_levels(tlspath):
    text = tlspath(HEADLINE, PRIVATE_CA, "--format", "mermaid").out
    assert text.startswith("flowchart LR\n")
    fleet = next(line for line in text.splitlines() if "OrdersFleet" in line)
    assert fleet.strip().startswith(tuple(f"n{i}[(" for i in range(1, 20)))  # a target: a cylinder
    assert "TLS ends here" in fleet and "certificate validated by API Gateway" in fleet and "E9501" in fleet
    listener = next(line for line in text.splitlines() if "LedgerListener" in line)
    assert "TLS ends here" in listener and "validated" not in listener
    certificate = next(line for line in text.splitlines() if "LedgerCertificate" in line)
    assert "certificate validated by API Gateway" in certificate
    fleet_id = fleet.split("[", 1)[0].strip()
    assert f"class {fleet_id} error" in text and f"class {fleet_id} tlsEnds" in text
    assert text.count("subgraph ") == 2 and text.count("-->") == 5 + 5


def test_mermaid_parses_with_mermaid_itself(tlspath, hostile):
    diagrams = [tlspath(SAMPLES, "--format", "mermaid").out, tlspath(hostile, "--format", "mermaid").out]
    assert _mermaid_parse(*diagrams) == ["ok", "ok"]


def test_mermaid_labels_carry_no_markup_from_the_files(tlspath, hostile):
    text = tlspath(hostile, "--format", "mermaid").out
    fleet = next(line for line in text.splitlines() if "pwned" in line)
    label = fleet.split('"')[1]
    assert re.fullmatch(r"[A-Za-z0-9 .,:;/()_+=@'!?*#-]*(<br/>[A-Za-z0-9 .,:;/()_+=@'!?*#-]*)*", label), label


def test_dot_parses_and_quotes_hostile_names(tlspath, hostile):
    pydot = pytest.importorskip("pydot")
    graph, = pydot.graph_from_dot_data(tlspath(SAMPLES, "--format", "dot").out)
    assert len(graph.get_subgraphs()) >= 10 and len(graph.get_edges()) > 50
    graph, = pydot.graph_from_dot_data(tlspath(hostile, "--format", "dot").out)
    nodes = [node for cluster in graph.get_subgraphs() for node in cluster.get_nodes()]
    fleet, = [node for node in nodes if "pwned" in (node.get_label() or "")]
    label = fleet.get_label()
    assert fleet.get_shape() == '"cylinder"' and fleet.get("peripheries") == '"2"' and "\\\\x1b" in label
    assert fleet.get("fillcolor") == '"#fde2e2"'


PUBLIC_SAMPLES = (SAMPLES / "cloudformation/bad/e9501-public-integration-to-self-signed-instance.yaml",
                  SAMPLES / "cloudformation/good/public-integration-through-route53-alias.yaml")


def test_public_path_roles_have_shapes_of_their_own(tlspath):
    """A DNS record, an Elastic IP and the endpoint API Gateway connects to are drawn apart from each other and
    from the other roles, never as plain boxes."""
    text = tlspath(*PUBLIC_SAMPLES, "--format", "mermaid").out
    lines = {role: next(line.strip() for line in text.splitlines() if f'"{role}<br/>' in line)
             for role in ("integration", "DNS record", "Elastic IP", "endpoint", "load balancer", "listener",
                          "target group", "certificate")}
    shapes = {role: (line.split('"', 1)[0].lstrip("n0123456789"), line.rsplit('"', 1)[1]) for role, line in lines.items()}
    assert ("[", "]") not in shapes.values() and len(set(shapes.values())) == len(shapes), shapes
    pydot = pytest.importorskip("pydot")
    graph, = pydot.graph_from_dot_data(tlspath(*PUBLIC_SAMPLES, "--format", "dot").out)
    shapes = {node.get_label().strip('"').split("\\n")[0]: node.get_shape().strip('"')
              for cluster in graph.get_subgraphs() for node in cluster.get_nodes() if node.get_label()}
    public = [shapes[role] for role in ("DNS record", "Elastic IP", "endpoint")]
    assert "box" not in public and len(set(shapes.values())) == len(shapes), shapes


def test_graph_marks_partial_tls_with_the_conditions(tlspath, tmp_path):
    """A listener whose protocol depends on an undecided condition: TLS ends there on one branch only."""
    template = tmp_path / "t.yaml"
    template.write_text(edit(PRIVATE_CA.read_text(), {
        "Resources:\n": "Conditions:\n  UseTls: !Equals [!Ref 'AWS::Region', eu-west-1]\n\nResources:\n",
        "      Protocol: TLS\n": "      Protocol: !If [UseTls, TLS, TCP]\n"}))
    text = tlspath(template, "--format", "mermaid").out
    listener = next(line for line in text.splitlines() if "LedgerListener" in line)
    assert "TLS ends here (when UseTls is true)" in listener


def test_the_readme_shows_what_tlspath_draws(tlspath):
    block = (ROOT / "README.md").read_text(encoding="utf-8").split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == tlspath(HEADLINE.relative_to(ROOT), "--format", "mermaid").out
