"""Fn::ImportValue in a CDK app with several stages (redteam R5-6). Exports belong to one account and region,
so two stages deployed to different environments may both export ``orders-vpc-link``; an import is resolved
only among the exports of its own stack's environment (``cdk.out/assembly-*/manifest.json``). Where the
environment is unknown on either side, any export of the name may be meant, as before; two exports of one name
in one environment are an I9513, never a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import line_of

TLS12 = "ELBSecurityPolicy-TLS13-1-2-2021-06"
TLS13_ONLY = "ELBSecurityPolicy-TLS13-1-3-2021-06"


def network(policy: str = TLS12, export: str = "orders-vpc-link") -> dict:
    """A stack with a VPC link v1 to an NLB TLS listener (certificate for orders.example.com); it exports the
    link's id under ``export``."""
    return {"Resources": {
        "Nlb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network"}},
        "Cert": {"Type": "AWS::CertificateManager::Certificate",
                 "Properties": {"DomainName": "orders.example.com", "ValidationMethod": "DNS"}},
        "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
            "LoadBalancerArn": {"Ref": "Nlb"}, "Protocol": "TLS", "Port": 443, "SslPolicy": policy,
            "Certificates": [{"CertificateArn": {"Ref": "Cert"}}],
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}]}},
        "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
               "Properties": {"Protocol": "TCP", "Port": 8080, "TargetType": "ip"}},
        "Link": {"Type": "AWS::ApiGateway::VpcLink", "Properties": {"Name": "orders", "TargetArns": [{"Ref": "Nlb"}]}}},
        "Outputs": {"LinkId": {"Value": {"Ref": "Link"}, "Export": {"Name": export}}}}


API = {"Resources": {
    "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "orders"}},
    "Get": {"Type": "AWS::ApiGateway::Method", "Properties": {
        "RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "HttpMethod": "GET",
        "AuthorizationType": "NONE", "Integration": {
            "Type": "HTTP_PROXY", "IntegrationHttpMethod": "GET", "ConnectionType": "VPC_LINK",
            "ConnectionId": {"Fn::ImportValue": "orders-vpc-link"}, "Uri": "https://orders.example.com/"}}}}}


@pytest.fixture
def stage(tmp_path):
    """Write one stage of the app: ``cdk.out/assembly-NAME`` with its templates and, when ``environment`` is
    given, the manifest that places them there."""
    def write(name: str, environment: str | None, **templates: dict) -> Path:
        folder = tmp_path / "cdk.out" / f"assembly-{name}"
        folder.mkdir(parents=True)
        for stack, template in templates.items():
            (folder / f"{stack}.template.json").write_text(json.dumps(template, indent=1), encoding="utf-8")
        if environment is not None:
            artifacts = {stack: {"type": "aws:cloudformation:stack", "environment": environment,
                                 "properties": {"templateFile": f"{stack}.template.json"}} for stack in templates}
            (folder / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": artifacts}, indent=1),
                                                  encoding="utf-8")
        return folder
    return write


def summary(run) -> list[tuple[str, str, str, int]]:
    return sorted((f["rule"], f["level"], Path(f["file"]).name, f["line"]) for f in run.findings)


def test_each_stage_imports_the_export_of_its_own_account(tlspath, stage, tmp_path):
    dev = stage("Dev", "aws://111111111111/eu-west-1", DevNetwork=network(TLS13_ONLY), DevApi=API)
    prod = stage("Prod", "aws://222222222222/eu-west-1", ProdNetwork=network(), ProdApi=API)
    run = tlspath(tmp_path / "cdk.out", "--format", "json")
    assert run.report["errors"] == []
    assert summary(run) == [("E9508", "error", "DevNetwork.template.json",
                             line_of(dev / "DevNetwork.template.json", '"SslPolicy"'))]
    assert run.report["summary"]["paths"] == 2
    (finding,) = run.findings
    assert [Path(step["file"]).parent.name for step in finding["trace"]] == ["assembly-Dev"] * len(finding["trace"])
    assert run.code == 1
    # Prod's path reaches Prod's own network, which is healthy: its listener, not Dev's, is checked. (The named
    # DevNetwork is judged with DevApi beside it, which imports its export: Dev's own path, as above.)
    text = tlspath(prod / "ProdApi.template.json", prod / "ProdNetwork.template.json", dev / "DevNetwork.template.json",
                   "--format", "json")
    assert [f["trace"][0]["file"] for f in text.findings] == [str(dev / "DevApi.template.json")]


def test_an_import_with_no_export_in_its_environment_is_i9513_not_a_cross_account_path(tlspath, stage, tmp_path):
    stage("Dev", "aws://111111111111/eu-west-1", DevNetwork=network())
    prod = stage("Prod", "aws://222222222222/eu-west-1", ProdApi=API)
    run = tlspath(tmp_path / "cdk.out", "--format", "json")
    assert summary(run) == [("I9513", "info", "ProdApi.template.json",
                             line_of(prod / "ProdApi.template.json", "\"ConnectionId\""))]
    message = run.findings[0]["message"]
    assert "orders-vpc-link" in message and "aws://222222222222/eu-west-1" in message
    assert "aws://111111111111/eu-west-1" in message
    assert run.code == 0


def test_two_exports_of_one_name_in_one_environment_are_i9513(tlspath, stage, tmp_path):
    prod = stage("Prod", "aws://222222222222/eu-west-1", ProdNetwork=network(), ProdNetworkCopy=network(TLS13_ONLY),
                 ProdApi=API)
    run = tlspath(tmp_path / "cdk.out", "--format", "json")
    assert summary(run) == [("I9513", "info", "ProdApi.template.json",
                             line_of(prod / "ProdApi.template.json", "\"ConnectionId\""))]
    message = run.findings[0]["message"]
    assert "ProdNetwork.template.json" in message and "ProdNetworkCopy.template.json" in message
    assert run.code == 0


@pytest.mark.parametrize("dev_environment", [None, "aws://unknown-account/unknown-region"])
def test_an_export_whose_environment_is_unknown_is_imported_as_before(tlspath, stage, tmp_path, dev_environment):
    """A stage without a manifest (or with an environment-agnostic one) may be deployed anywhere: its export is
    the one the import means, and the path is checked through it."""
    dev = stage("Dev", dev_environment, DevNetwork=network(TLS13_ONLY))
    stage("Prod", "aws://222222222222/eu-west-1", ProdApi=API)
    run = tlspath(tmp_path / "cdk.out", "--format", "json")
    assert summary(run) == [("E9508", "error", "DevNetwork.template.json",
                             line_of(dev / "DevNetwork.template.json", '"SslPolicy"'))]
    assert run.code == 1
