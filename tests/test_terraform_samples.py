"""Every Terraform sample gives exactly the findings it was written for, at the lines it was written for;
the plan JSON made by real terraform gives the same verdicts as the HCL it was planned from."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLES, line_of

BAD = SAMPLES / "terraform" / "bad"
GOOD = SAMPLES / "terraform" / "good"
HEADLINE = BAD / "e9501-tcp-to-self-signed-user-data"

# sample folder -> [(rule, file in the folder, text on the line the finding must point at)]
EXPECTED = {
    "e9501-tcp-to-self-signed-user-data": [("E9501", "main.tf", "openssl req -x509"),
                                           ("E9501", "main.tf", "openssl req -x509")],  # one per instance
    "e9501-cdktf-tcp-to-self-signed-user-data": [("E9501", "cdktf.out/stacks/orders/cdk.tf.json", "openssl req -x509"),
                                                 ("E9501", "cdktf.out/stacks/orders/cdk.tf.json", "openssl req -x509")],
    "e9501-override-turns-tls-into-tcp": [("E9501", "main.tf", "openssl req -x509"),
                                          ("E9501", "main.tf", "openssl req -x509")],
    "e9501-tls-self-signed-cert-on-tls-listener": [("E9501", "main.tf", "certificate_body = tls_self_signed_cert")],
    "e9501-private-ca-certificate-from-file": [("E9501", "main.tf", "certificate_body  = file(")],
    "e9505-imported-certificate-without-chain": [("E9505", "main.tf", "resource \"aws_acm_certificate\"")],  # no chain
    "e9506-http-api-tls-to-http-listener-behind-registry-link": [("E9506", "main.tf", "tls_config {"),
                                                                 ("I9513", "main.tf", "connection_id      =")],
    "e9507-alb-target-group-port-without-alb-listener": [("E9507", "main.tf", "port        = 8443")],
    "e9501-self-signed-backend-unless-tls-terminates": [("E9501", "main.tf", "openssl req -x509")],
    "e9507-module-for-each-tfvars": [("E9507", "main.tf", "uri                     ="),
                                     ("I9513", "terraform.tfvars", "certificate_arn =")],  # where the ARN is set
    "e9507-stage-variable-port-on-green-stage": [("E9507", "main.tf", "uri                     =")],  # green only
    "e9508-terragrunt-tls13-policy-in-inputs": [("E9508", "live/prod/nlb/terragrunt.hcl", "ssl_policy ")],
    "e9512-private-key-in-heredoc": [("E9512", "main.tf", "BEGIN RSA PRIVATE KEY")],
    "e9515-nlb-shared-with-endpoint-service": [("E9515", "main.tf", "network_load_balancer_arns =")],
    "e9516-certificate-from-cloudfront-region": [("E9516", "main.tf", "provider          = aws.us_east_1")],
    "w9517-nlb-security-group-closes-listener": [("W9517", "main.tf", "security_groups    =")],
    "w9518-listener-uses-certificate-before-validation": [("W9518", "main.tf", 'validation_method = "DNS"')],
    "w9518-validation-records-in-private-zone": [("W9518", "main.tf", "zone_id = data.aws_route53_zone.internal")],
    "w9510-skip-verification": [("W9510", "main.tf", "insecure_skip_verification = true")],
    "w9520-expired-suppression": [("W9520", "main.tf", "# tlspath:ignore W9510"),  # expired: W9510 is back
                                  ("W9510", "main.tf", "insecure_skip_verification = true")],
    "w9504-short-lived-tls-certificate": [("W9504", "main.tf", "validity_period_hours = 168"),
                                          ("W9510", "main.tf", "insecure_skip_verification = true")],
    "e9503-public-integration-to-alb-dns-name": [("E9503", "main.tf", "uri                     =")],
    "e9503-http-api-quick-create-to-alb-dns-name": [("E9503", "main.tf", "target        =")],
    "e9503-websocket-uri-host-not-on-certificate": [("E9503", "main.tf", "integration_uri    =")],
    "e9501-public-integration-to-self-signed-instance": [("E9501", "main.tf", "openssl req -x509")],
    "i9519-public-http-integration": [("I9519", "main.tf", "uri                     =")],
    "e9525-http-api-quick-create-on-port-22": [("E9525", "main.tf", "target        =")],
    "w9509-connection-id-without-vpc-link": [("W9509", "main.tf", "connection_id      =")],
    "i9523-certificate-only-on-sni-list": [("I9523", "main.tf", "certificate_arn   = aws_acm_certificate_validation.legacy")],
    "w9524-http-api-to-internal-alb": [("W9524", "main.tf", "integration_uri    =")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_sample_gives_exactly_its_findings(tlspath, name):
    sample = BAD / name
    run = tlspath(sample, "--format", "json")
    got = sorted((f["rule"], f["file"], f["line"]) for f in run.findings)
    want = sorted((rule, str(sample / file), line_of(sample / file, needle)) for rule, file, needle in EXPECTED[name])
    assert got == want
    for finding in run.findings:
        assert finding["level"] == {"E": "error", "W": "warning", "I": "info"}[finding["rule"][0]]
        assert finding["fix"] and finding["title"] and finding["message"]
    assert run.code == (1 if any(rule[0] in "EW" for rule, _, _ in EXPECTED[name]) else 0)
    assert run.report["errors"] == []


def test_every_sample_folder_is_expected():
    assert {p.name for p in BAD.iterdir() if p.is_dir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_path_findings_carry_the_whole_path(tlspath, name):
    for finding in tlspath(BAD / name, "--format", "json").findings:
        if finding["rule"] in ("E9512", "W9520"):  # about a file, not a path
            assert finding["trace"] == []
            continue
        assert finding["trace"][0]["role"] == "integration"
        for step in finding["trace"]:
            assert step["file"].endswith((".tf", ".tf.json", ".tfvars", ".hcl")) and step["line"] and step["resource"]


def test_headline_trace_goes_hop_by_hop_to_the_instance(tlspath):
    main = HEADLINE / "main.tf"
    finding = tlspath(HEADLINE, "--format", "json").findings[0]
    assert [(s["role"], s["resource"], s["line"]) for s in finding["trace"]] == [
        ("integration", "aws_api_gateway_integration.list_orders", line_of(main, 'resource "aws_api_gateway_integration"')),
        ("vpc_link", "aws_api_gateway_vpc_link.orders", line_of(main, 'resource "aws_api_gateway_vpc_link"')),
        ("load_balancer", "aws_lb.orders", line_of(main, 'resource "aws_lb" "orders"')),
        ("listener", "aws_lb_listener.orders", line_of(main, 'resource "aws_lb_listener"')),
        ("target_group", "aws_lb_target_group.orders", line_of(main, 'resource "aws_lb_target_group" "orders"')),
        ("target", "aws_instance.orders[0]", line_of(main, 'resource "aws_instance"')),
        ("target", "aws_instance.orders[1]", line_of(main, 'resource "aws_instance"')),
    ]
    assert 'Set protocol = "TLS" on listener' in finding["fix"]


def test_good_samples_are_clean_because_their_paths_are_right(tlspath):
    run = tlspath(GOOD, "--format", "json")
    assert run.findings == [] and run.code == 0 and run.report["errors"] == []
    assert run.report["summary"]["paths"] >= 1


# ------------------------------------------------------------------------------------------- plan JSON


def test_sample_plan_was_made_by_real_terraform():
    plan = json.loads((HEADLINE / "plan.json").read_text())
    assert plan["format_version"].startswith("1.") and plan["terraform_version"] == "1.11.4"
    assert {"planned_values", "configuration", "resource_changes"} <= set(plan)


def test_plan_next_to_its_configuration_gives_the_hcl_verdicts(tlspath):
    from_hcl = tlspath(HEADLINE / "main.tf", "--format", "json").findings
    from_plan = tlspath(HEADLINE / "plan.json", "--format", "json").findings
    key = [(f["rule"], f["file"], f["line"], f["message"]) for f in from_hcl]
    assert [(f["rule"], f["file"], f["line"], f["message"]) for f in from_plan] == key


def test_plan_alone_names_addresses_and_cannot_read_hashed_user_data(tlspath, tmp_path):
    plan = tmp_path / "plan.json"
    shutil.copy(HEADLINE / "plan.json", plan)
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["file"], finding["line"]) == ("W9502", str(plan), None)
    assert finding["resource"] == "aws_lb_listener.orders"
    assert [s["resource"] for s in finding["trace"]][:4] == [
        "aws_api_gateway_integration.list_orders", "aws_api_gateway_vpc_link.orders", "aws_lb.orders",
        "aws_lb_listener.orders"]
    assert all(s["file"] == str(plan) and s["line"] is None for s in finding["trace"])
