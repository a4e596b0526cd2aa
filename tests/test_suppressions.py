"""Suppressions written in the files: CloudFormation ``Metadata: tlspath: ignore`` (and cfn-lint's
``ignore_checks``), Terraform ``tlspath:ignore`` comments (``#``, ``//``, ``/* */``, a ``"//"`` property in
``.tf.json``); a reason is required and an ``expires`` date is judged at ``--at``; what cannot apply is W9520,
what silences nothing is I9521; ``--no-inline-suppressions`` ignores them all."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, SAMPLES, edit, line_of
from terraform_snippets import SELF_SIGNING_SCRIPT, instance, nlb, rest_integration, tcp_listener, vpc_link
from linter.parse.documents import load_yaml

TLS13 = SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml"  # E9508 on ClaimsListener
LISTENER = "  ClaimsListener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n"
TERRAFORM = SAMPLES / "terraform" / "bad" / "e9501-tcp-to-self-signed-user-data"  # E9501 on aws_instance.orders
INSTANCE = 'resource "aws_instance" "orders" {\n'
CDKTF = (SAMPLES / "terraform" / "bad" / "e9501-cdktf-tcp-to-self-signed-user-data" / "cdktf.out" / "stacks" / "orders"
         / "cdk.tf.json")
REASON = 'reason="self-signed test fleet, moving to ACM" expires=2027-01-31'
BEFORE, AFTER = "2026-12-01", "2027-02-01"  # --at: before and after that date


def findings(run) -> list[tuple[str, str, int]]:
    return sorted((f["rule"], f["file"].removeprefix("./"), f["line"]) for f in run.findings)


def template(write, metadata: str):
    """The E9508 sample with ``metadata`` (YAML under ``Metadata:``) on the listener the finding names."""
    text = edit(TLS13.read_text(encoding="utf-8"), {LISTENER: LISTENER + "    Metadata:\n" + metadata})
    return write("claims.yaml", text)


TLSPATH_IGNORE = """\
      tlspath:
        ignore:
          - rule: E9508
            reason: TLS 1.3-only policy is rolled back in change 4711
            expires: 2027-01-31
"""


def test_a_reasoned_suppression_silences_the_finding(tlspath, write):
    path = template(write, TLSPATH_IGNORE)
    run = tlspath("--format", "json", "--at", BEFORE, path)
    assert run.findings == [] and run.code == 0


def test_past_its_date_it_does_not_apply_and_says_so(tlspath, write):
    path = template(write, TLSPATH_IGNORE)
    run = tlspath("--format", "json", "--at", AFTER, path)
    entry = line_of(path, "- rule: E9508")
    assert findings(run) == [("E9508", str(path), line_of(path, "SslPolicy")), ("W9520", str(path), entry)]
    [w9520] = [f for f in run.findings if f["rule"] == "W9520"]
    assert w9520["message"] == ("the suppression of E9508 does not apply: it expired on 2027-01-31 (its reason: TLS "
                                "1.3-only policy is rolled back in change 4711)")
    assert w9520["resource"] == "ClaimsListener"
    assert run.code == 1


def test_the_date_is_inclusive(tlspath, write):
    assert tlspath("--format", "json", "--at", "2027-01-31T23:59Z", template(write, TLSPATH_IGNORE)).findings == []


def test_without_a_reason_it_does_not_apply(tlspath, write):
    path = template(write, "      tlspath:\n        ignore:\n          - {rule: E9508}\n")
    run = tlspath("--format", "json", path)
    assert findings(run) == [("E9508", str(path), line_of(path, "SslPolicy")),
                             ("W9520", str(path), line_of(path, "- {rule: E9508}"))]
    assert "it gives no reason" in next(f["message"] for f in run.findings if f["rule"] == "W9520")


@pytest.mark.parametrize(("metadata", "message"), [
    ("      tlspath:\n        ignore:\n          - {rule: E9999, reason: typo}\n",
     "no rule id starts with E9999"),
    ("      tlspath:\n        ignore:\n          - {rule: E9508, reason: x, expires: soon}\n",
     "expires: soon is not a date"),
    ("      tlspath:\n        ignore:\n          - {rule: E9508, reason: x, until: 2027-01-31}\n",
     "'until' is no key of Metadata tlspath ignore (known: rule, reason, expires)"),
    ("      tlspath:\n        ignore: E9508\n", "Metadata tlspath ignore must be a list"),
    ("      tlspath:\n        ignores: []\n", "Metadata tlspath: 'ignores' is no key (known: ignore)"),
])
def test_a_suppression_written_wrong_is_reported_not_dropped(tlspath, write, metadata, message):
    run = tlspath("--format", "json", template(write, metadata))
    assert "E9508" in {f["rule"] for f in run.findings}
    [w9520] = [f for f in run.findings if f["rule"] == "W9520"]
    assert message in w9520["message"]


@pytest.mark.parametrize(("entry", "message"), [
    ('{rule: "", reason: x}', "'' is not a rule id (one rule id per entry, e.g. rule: W9510)"),
    ("{rule: [E9508], reason: x}", "rule is a list (one rule id per entry, e.g. rule: W9510)"),
    ("{rule: E9508}", "it gives no reason (reason: ...: why the finding is accepted)"),
    ("{rule: E9508, reason: yes}", "reason is true/false (reason: ...: why the finding is accepted, as text)"),
    ("{rule: E9508, reason: [legacy]}", "reason is a list (reason: ...: why the finding is accepted, as text)"),
])
def test_a_metadata_suppression_is_told_in_metadata_words(tlspath, write, entry, message):
    """Never the comment syntax (tlspath:ignore, reason="..."), nor Python's spelling of what was written."""
    run = tlspath("--format", "json", template(write, f"      tlspath:\n        ignore:\n          - {entry}\n"))
    [w9520] = [f for f in run.findings if f["rule"] == "W9520"]
    assert message in w9520["message"]
    assert "{rule: RULE, reason: why, expires: YYYY-MM-DD}" in w9520["fix"]
    assert not any(word in w9520["message"] + w9520["fix"] for word in ("tlspath:ignore", "reason=", "expires=", "['"))


@pytest.mark.parametrize("reason", ["4711", "5", "2.5"])
def test_a_number_is_a_reason_as_written(tlspath, write, reason):
    """A ticket number (``reason: 4711``) is the reason: YAML reads it as a number, the user wrote text."""
    path = template(write, TLSPATH_IGNORE.replace("reason: TLS 1.3-only policy is rolled back in change 4711",
                                                  f"reason: {reason}"))
    assert tlspath("--format", "json", "--at", BEFORE, path).findings == []
    run = tlspath("--format", "json", "--at", AFTER, path)
    [w9520] = [f for f in run.findings if f["rule"] == "W9520"]
    assert w9520["message"] == f"the suppression of E9508 does not apply: it expired on 2027-01-31 (its reason: {reason})"


def test_a_suppression_that_silences_nothing_is_info(tlspath, write):
    path = template(write, TLSPATH_IGNORE.replace("E9508", "W9502"))
    run = tlspath("--format", "json", "--at", BEFORE, path)
    assert findings(run) == [("E9508", str(path), line_of(path, "SslPolicy")),
                             ("I9521", str(path), line_of(path, "- rule: W9502"))]
    [unused] = [f for f in run.findings if f["rule"] == "I9521"]
    assert unused["message"] == "the suppression of W9502 silences no finding on ClaimsListener: remove it"
    assert unused["level"] == "info"


def test_an_unused_suppression_of_a_rule_the_run_does_not_apply_is_not_reported(tlspath, write):
    path = template(write, TLSPATH_IGNORE.replace("E9508", "W9502"))
    assert "I9521" not in {f["rule"] for f in tlspath("--format", "json", "--ignore", "W9502", path).findings}


def test_cfn_lint_ignore_checks_keeps_working_without_a_reason(tlspath, write):
    path = template(write, "      cfn-lint:\n        config:\n          ignore_checks: [E9508, E3012, W9502]\n")
    run = tlspath("--format", "json", path)
    assert run.findings == [] and run.code == 0  # cfn-lint's own ids and unused entries are not judged


def test_no_inline_suppressions_ignores_them_all(tlspath, write):
    path = template(write, TLSPATH_IGNORE + "      cfn-lint:\n        config:\n          ignore_checks: [E9508]\n"
                                            "      x: 1\n")
    run = tlspath("--format", "json", "--at", BEFORE, "--no-inline-suppressions", path)
    assert [f["rule"] for f in run.findings] == ["E9508"]


def test_ignoring_w9520_keeps_a_broken_suppression_from_applying(tlspath, write):
    path = template(write, "      tlspath:\n        ignore:\n          - {rule: E9508}\n")
    assert [f["rule"] for f in tlspath("--format", "json", "--ignore", "W9520", path).findings] == ["E9508"]


# ------------------------------------------------------------------------------------------------ Terraform


@pytest.fixture
def module(tmp_path):
    if not TERRAFORM.is_dir():
        pytest.skip(f"no Terraform sample at {TERRAFORM}")
    folder = tmp_path / "stack"
    folder.mkdir()
    for source in [*TERRAFORM.glob("*.tf"), *TERRAFORM.glob("*.tfvars")]:
        shutil.copy(source, folder / source.name)
    return folder


def annotate(module, replacements: dict[str, str]):
    main = module / "main.tf"
    main.write_text(edit(main.read_text(encoding="utf-8"), replacements), encoding="utf-8")
    return main


@pytest.mark.parametrize("written", [
    f"# tlspath:ignore E9501 {REASON}\n" + INSTANCE,  # on the line above
    f"// tlspath:ignore E9501 {REASON}\n// (the fleet is rebuilt in Q3)\n" + INSTANCE,  # comment lines above
    INSTANCE + f"  # tlspath:ignore E9501 {REASON}\n",  # in the block
    INSTANCE + f"  /* tlspath:ignore E9501\n     {REASON} */\n",  # a block comment over lines
    f"# tlspath:ignore W9502,E9501 {REASON}\n" + INSTANCE,  # several rules (W9502 silences nothing: I9521)
])
def test_terraform_comments_silence_the_block(tlspath, module, written):
    annotate(module, {INSTANCE: written})
    run = tlspath("--format", "json", "--at", BEFORE, module)
    assert "E9501" not in {f["rule"] for f in run.findings}
    assert {f["rule"] for f in run.findings} <= {"I9521"}


def test_terraform_comment_past_its_date_is_reported_at_its_line(tlspath, module):
    main = annotate(module, {INSTANCE: f"# tlspath:ignore E9501 {REASON}\n" + INSTANCE})
    run = tlspath("--format", "json", "--at", AFTER, module)
    assert ("W9520", str(main), line_of(main, "tlspath:ignore")) in findings(run)
    assert "E9501" in {f["rule"] for f in run.findings}


def test_a_comment_written_wrong_is_told_in_comment_words_each_problem_once(tlspath, module):
    annotate(module, {INSTANCE: "# tlspath:ignore E9501 " + "reason=x " * 2000 + "\n" + INSTANCE})
    [w9520] = [f for f in tlspath("--format", "json", "--at", BEFORE, module).findings if f["rule"] == "W9520"]
    assert w9520["message"] == ('the suppression of E9501 does not apply: reason= is given twice (tlspath:ignore RULE '
                                'reason="why" expires=YYYY-MM-DD)')
    assert 'as tlspath:ignore RULE reason="why" expires=YYYY-MM-DD' in w9520["fix"]


def test_a_comment_apart_from_the_block_stands_on_nothing(tlspath, module):
    main = annotate(module, {INSTANCE: f"# tlspath:ignore E9501 {REASON}\n\n" + INSTANCE})
    run = tlspath("--format", "json", "--at", BEFORE, module)
    assert "E9501" in {f["rule"] for f in run.findings}
    [unused] = [f for f in run.findings if f["rule"] == "I9521"]
    assert unused["line"] == line_of(main, "tlspath:ignore")
    assert unused["message"] == "the suppression of E9501 silences no finding (it stands on no resource): remove it"


def test_a_hash_inside_a_string_is_no_comment(tlspath, module):
    annotate(module, {INSTANCE: INSTANCE + f'  volume_tags = {{ note = "# tlspath:ignore E9501 {REASON.replace(chr(34), "")}" }}\n'})
    run = tlspath("--format", "json", "--at", BEFORE, module)
    assert "E9501" in {f["rule"] for f in run.findings}
    assert not {"W9520", "I9521"} & {f["rule"] for f in run.findings}


def test_terraform_json_takes_the_suppression_in_the_blocks_comment_property(tlspath, tmp_path):
    document = json.loads(CDKTF.read_text(encoding="utf-8"))
    document["resource"]["aws_instance"]["orders"]["//"] = f"tlspath:ignore E9501 {REASON.replace(chr(34), chr(39))}"
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert tlspath("--format", "json", "--at", BEFORE, tmp_path).findings == []
    run = tlspath("--format", "json", "--at", AFTER, tmp_path)
    assert {f["rule"] for f in run.findings} == {"E9501", "W9520"}
    [w9520] = [f for f in run.findings if f["rule"] == "W9520"]
    assert w9520["line"] == line_of(path, '"//": "tlspath:ignore')


def test_a_module_called_twice_reports_its_suppression_once(tlspath, tmp_path, write):
    write("modules/lb/main.tf", """
        variable "name" {}
        # tlspath:ignore W9502 reason="nothing to silence here"
        resource "aws_lb" "this" {
          name               = var.name
          load_balancer_type = "network"
        }
    """)
    write("root/main.tf", """
        module "a" {
          source = "../modules/lb"
          name   = "a"
        }
        module "b" {
          source = "../modules/lb"
          name   = "b"
        }
    """)
    run = tlspath("--format", "json", tmp_path)
    assert [f["rule"] for f in run.findings] == ["I9521"]


FOR_EACH_PLAN = ROOT / "tests" / "fixtures" / "terraform" / "plan-module-for-each"  # module.svc["cards"]: E9508
ON_THE_CALL = '# tlspath:ignore E9508 reason="cards moves to a TLS 1.2 policy in Q1" expires=2027-01-31\nmodule "svc" {'


def test_a_suppression_on_a_module_call_accepts_what_that_call_makes_and_no_other_callers(tlspath, tmp_path):
    for root in ("prod", "dev"):
        shutil.copytree(FOR_EACH_PLAN / "modules", tmp_path / root / "modules")
        shutil.copy(FOR_EACH_PLAN / "main.tf", tmp_path / root / "main.tf")
    prod = tmp_path / "prod" / "main.tf"
    prod.write_text(edit(prod.read_text(encoding="utf-8"), {'module "svc" {': ON_THE_CALL}), encoding="utf-8")
    run = tlspath("--format", "json", "--at", BEFORE, tmp_path)
    e9508, = [f for f in run.findings if f["rule"] == "E9508"]  # dev's call has no suppression: still reported
    assert (e9508["file"], e9508["resource"]) == (str(tmp_path / "dev" / "main.tf"), 'module.svc["cards"].aws_lb_listener.tls')
    assert not {"I9521", "W9520"} & {f["rule"] for f in run.findings}


def test_a_suppression_on_a_module_call_holds_for_its_planned_resources(tlspath, tmp_path):
    shutil.copytree(FOR_EACH_PLAN, tmp_path / "plan")
    main = tmp_path / "plan" / "main.tf"
    main.write_text(edit(main.read_text(encoding="utf-8"), {'module "svc" {': ON_THE_CALL}), encoding="utf-8")
    run = tlspath("--format", "json", "--at", BEFORE, tmp_path / "plan" / "plan.json")
    assert [f["rule"] for f in run.findings] == ["E9503"]  # the integration's own finding is not the module's


def test_an_unused_suppression_names_a_finding_of_its_file_reported_in_a_script_the_file_reads(tlspath, write):
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener().replace(
        'resource "aws_lb_listener"', f'# tlspath:ignore E9501 {REASON}\nresource "aws_lb_listener"')
        + instance('file("${path.module}/boot.sh")'))
    script = write("boot.sh", SELF_SIGNING_SCRIPT.removeprefix("<<-EOT\n").removesuffix("  EOT").replace("    ", ""))
    run = tlspath("--format", "json", "--at", BEFORE, main.parent)
    assert findings(run) == [("E9501", str(script), line_of(script, "openssl")),
                             ("I9521", str(main), line_of(main, "tlspath:ignore"))]
    unused, = [f for f in run.findings if f["rule"] == "I9521"]
    assert unused["fix"] == (f"E9501 is reported on aws_instance.web ({script}:{line_of(script, 'openssl')}): to "
                             "accept it, move the suppression to that resource (or to the one whose declaration holds "
                             "the finding's line); else remove it")


# ------------------------------------------------------------------------------------------ which resource

FLEET = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"  # E9501 at the launch template's
# openssl line, naming the Auto Scaling group OrdersFleet


def fleet(write, logical: str):
    """The fleet sample with an E9501 suppression on ``logical``."""
    text = FLEET.read_text(encoding="utf-8")
    declaration = text[text.index(f"\n  {logical}:\n") + 1:]
    head = declaration[:declaration.index("\n", declaration.index("Type:")) + 1]
    return write("fleet.yaml", edit(text, {head: head + "    Metadata:\n" + TLSPATH_IGNORE.replace("E9508", "E9501")}))


@pytest.mark.parametrize("logical", ["OrdersFleet", "OrdersLaunchTemplate"])
def test_a_suppression_on_the_resource_named_or_on_the_one_holding_the_line_silences_it(tlspath, write, logical):
    path = fleet(write, logical)
    run = tlspath("--format", "json", "--at", BEFORE, path)
    assert run.findings == [] and run.code == 0


def test_a_suppression_on_another_resource_is_told_where_the_finding_is(tlspath, write):
    path = fleet(write, "OrdersNlb")
    run = tlspath("--format", "json", "--at", BEFORE, path)
    openssl = line_of(path, "openssl req -x509")
    assert findings(run) == [("E9501", str(path), openssl), ("I9521", str(path), line_of(path, "- rule: E9501"))]
    [unused] = [f for f in run.findings if f["rule"] == "I9521"]
    assert unused["message"] == "the suppression of E9501 silences no finding on OrdersNlb: remove it"
    assert unused["fix"] == (f"E9501 is reported on OrdersFleet ({path}:{openssl}): to accept it, move the suppression "
                             "to that resource (or to the one whose declaration holds the finding's line); else "
                             "remove it")


def test_a_terraform_comment_on_the_launch_template_silences_the_groups_finding(tlspath, module):
    annotate(module, {
        INSTANCE + "  count = var.instance_count\n\n  ami           = var.ami_id\n": f"# tlspath:ignore E9501 {REASON}\n"
        'resource "aws_launch_template" "orders" {\n  image_id      = var.ami_id\n',
        "  subnet_id     = element(var.subnet_ids, count.index)\n": "",
        '    Name = "${local.name}-${count.index}"': "    Name = local.name",
        'resource "aws_lb_target_group_attachment" "orders" {\n  count = var.instance_count\n': (
            'resource "aws_autoscaling_group" "orders" {\n  min_size = 2\n  max_size = 2\n'
            "  vpc_zone_identifier = var.subnet_ids\n  target_group_arns = [aws_lb_target_group.orders.arn]\n"
            "  launch_template {\n    id = aws_launch_template.orders.id\n  }\n}\n\n"
            'resource "aws_lb_target_group_attachment" "unused" {\n  count = 0\n'),
    })
    assert tlspath("--format", "json", "--at", BEFORE, module).findings == []
    run = tlspath("--format", "json", "--at", AFTER, module)  # past its date: the finding is the group's, at the script
    assert {(f["rule"], f["resource"]) for f in run.findings} == {
        ("E9501", "aws_autoscaling_group.orders"), ("W9520", "aws_launch_template.orders")}


def test_in_minified_json_a_suppression_holds_only_its_own_resources_findings(tlspath, tmp_path):
    """Every resource on one line: the line says nothing about which holds a finding, so only the resource the
    finding names counts (the last resource must not take the whole line)."""
    document = load_yaml(TLS13.read_text(encoding="utf-8"))
    document["Resources"]["ClaimsTargets"]["Metadata"] = {"tlspath": {"ignore": [
        {"rule": "E9508", "reason": "stands on the target group", "expires": "2027-01-31"}]}}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert [f["rule"] for f in tlspath("--format", "json", "--at", BEFORE, path).findings] == ["E9508", "I9521"]
