"""CDK assets in ``cdk synth`` output: a property CDK fills with a computed S3 location, whose local file the
resource's ``Metadata`` names (``aws:asset:path``, ``aws:asset:property``) -- a NestedStack's ``TemplateURL``
(redteam R6-2) and a SpecRestApi's ``BodyS3Location`` (``ApiDefinition.fromAsset``, R6-17). The file is read from the cloud assembly beside the template, inside the scanned tree only;
where it is absent, the I9513 says the asset is not in the scanned tree, never "scan what you scanned"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import line_of

NESTED = "OrdersStackNetwork1A2B3C4D.nested.template.json"
S3_URL = {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/",
                            {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "/3f1e2d.json"]]}


def parent(asset: str = NESTED) -> dict:
    """The stack with the API; its NestedStack (as ``cdk synth`` writes one) holds the network."""
    return {"Resources": {
        "NetworkNestedStackResource9B4E2F1A": {
            "Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": S3_URL, "Parameters": {"referencetoOrdersStackPortRef": "443"}},
            "Metadata": {"aws:cdk:path": "OrdersStack/Network.NestedStack/Network.NestedStackResource",
                         "aws:asset:path": asset, "aws:asset:property": "TemplateURL"}},
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "orders"}},
        "ApiGet": {"Type": "AWS::ApiGateway::Method", "Properties": {
            "RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "HttpMethod": "GET",
            "AuthorizationType": "NONE", "Integration": {
                "Type": "HTTP_PROXY", "IntegrationHttpMethod": "GET", "ConnectionType": "VPC_LINK",
                "ConnectionId": {"Fn::GetAtt": ["NetworkNestedStackResource9B4E2F1A", "Outputs.LinkRef"]},
                "Uri": "https://orders.example.com/"}}}}}


NETWORK = {
    "Parameters": {"referencetoOrdersStackPortRef": {"Type": "String"}},
    "Resources": {
        "Link": {"Type": "AWS::ApiGateway::VpcLink", "Properties": {"Name": "l", "TargetArns": [{"Ref": "Nlb"}]}},
        "Nlb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "Properties": {"Type": "network", "Scheme": "internal"}},
        "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
            "LoadBalancerArn": {"Ref": "Nlb"}, "Port": {"Ref": "referencetoOrdersStackPortRef"}, "Protocol": "TCP",
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}]}},
        "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
            "Protocol": "TCP", "Port": 443, "Targets": [{"Id": {"Ref": "Box"}}]}},
        "Box": {"Type": "AWS::EC2::Instance", "Properties": {"UserData": {"Fn::Base64": (
            "#!/bin/bash\nopenssl req -x509 -newkey rsa:2048 -nodes -subj /CN=orders -keyout k.pem -out c.pem\n")}}}},
    "Outputs": {"LinkRef": {"Value": {"Ref": "Link"}}}}


@pytest.fixture
def assembly(tmp_path):
    """Write ``cdk.out`` with the given templates (file name -> template) and return the folder."""
    def write(**templates: dict) -> Path:
        folder = tmp_path / "cdk.out"
        folder.mkdir(exist_ok=True)
        for name, template in templates.items():
            (folder / name).write_text(json.dumps(template, indent=1), encoding="utf-8")
        return folder
    return write


def test_a_nested_stack_is_read_from_its_asset_file(tlspath, assembly):
    folder = assembly(**{"OrdersStack.template.json": parent(), NESTED: NETWORK})
    for scanned in (folder, folder / "OrdersStack.template.json"):  # the folder, or the parent named alone
        run = tlspath(scanned, "--format", "json")
        finding, = run.findings
        assert (finding["rule"], finding["level"]) == ("E9501", "error")
        assert (finding["file"], finding["line"]) == (str(folder / NESTED), line_of(folder / NESTED, "openssl req"))
        assert [(step["role"], Path(step["file"]).name) for step in finding["trace"]][:2] == [
            ("integration", "OrdersStack.template.json"), ("vpc_link", NESTED)]
        assert run.code == 1


def test_a_nested_stack_asset_that_is_not_in_the_scanned_tree_says_so(tlspath, assembly):
    folder = assembly(**{"OrdersStack.template.json": parent()})
    run = tlspath(folder, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["level"]) == ("I9513", "info")
    assert finding["line"] == line_of(folder / "OrdersStack.template.json", '"ConnectionId"')
    assert finding["message"].endswith(
        f"nested stack 'NetworkNestedStackResource9B4E2F1A' ({NESTED}) is the CDK asset file its Metadata "
        "aws:asset:path names, which is not in the scanned tree")
    assert finding["fix"] == ("run cdk synth and scan the cdk.out folder it writes (the asset file is written "
                              "beside this template)")
    assert run.code == 0


def test_a_nested_stack_asset_outside_the_scanned_tree_is_not_read(tlspath, assembly, tmp_path):
    (tmp_path / NESTED).write_text(json.dumps(NETWORK), encoding="utf-8")
    folder = assembly(**{"OrdersStack.template.json": parent(f"../{NESTED}")})
    finding, = tlspath(folder, "--format", "json").findings
    assert finding["rule"] == "I9513" and finding["message"].endswith(
        f"nested stack 'NetworkNestedStackResource9B4E2F1A' (../{NESTED}) lies outside the scanned tree and is not read")


SPEC = """\
openapi: "3.0.1"
info: {title: orders, version: "1.0"}
paths:
  /orders:
    get:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        connectionType: VPC_LINK
        connectionId: abc123
        uri: https://orders.example.com/orders
        tlsConfig:
          insecureSkipVerification: true
"""
SPEC_ASSET = "asset.9f8e7d6c5b4a.yaml"
SPEC_REST_API = {"Resources": {"OrdersApi0A1B2C3D": {
    "Type": "AWS::ApiGateway::RestApi",
    "Properties": {"Name": "orders", "BodyS3Location": {
        "Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "Key": "9f8e7d6c5b4a.yaml"}},
    "Metadata": {"aws:cdk:path": "ApiStack/OrdersApi/Resource", "aws:asset:path": SPEC_ASSET,
                 "aws:asset:property": "BodyS3Location"}}}}


def test_a_spec_rest_api_definition_is_read_from_its_asset_file(tlspath, assembly):
    folder = assembly(**{"ApiStack.template.json": SPEC_REST_API})
    spec = folder / SPEC_ASSET
    spec.write_text(SPEC, encoding="utf-8")
    run = tlspath(folder, "--format", "json")
    assert sorted((f["rule"], f["level"], f["file"], f["line"]) for f in run.findings) == [
        ("I9513", "info", str(spec), line_of(spec, "connectionId")),  # a literal link id: not in the files
        ("W9510", "warning", str(spec), line_of(spec, "insecureSkipVerification"))]
    assert run.code == 1 and run.report["summary"]["files"] == 1


def test_a_spec_rest_api_asset_that_is_not_in_the_scanned_tree_says_so(tlspath, assembly):
    folder = assembly(**{"ApiStack.template.json": SPEC_REST_API})
    run = tlspath(folder, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["level"]) == ("I9513", "info")
    assert finding["line"] == line_of(folder / "ApiStack.template.json", '"BodyS3Location"')
    assert finding["message"] == (f"'OrdersApi0A1B2C3D': '{SPEC_ASSET}' is the CDK asset file its Metadata "
                                  "aws:asset:path names, which is not in the scanned tree (OrdersApi0A1B2C3D is CDK construct "
                                  "ApiStack/OrdersApi)")
    assert finding["fix"].startswith("run cdk synth and scan the cdk.out folder it writes")
    assert run.code == 0
