"""Inputs for the large cases of the benchmark, made on the fly (nothing large is committed).

Each is what a big real repository looks like to tlspath: one API Gateway private integration path in every ten
resources (a VPC link, its NLB, a TCP listener, a target group, a REST method) and six unrelated resources around
it (queues with tags), so both the reading of every resource and the following of paths are measured.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

PATHS_EVERY = 10  # resources per integration path (5 on the path, 5 around it)


def template(resources: int) -> dict:
    """A CloudFormation template of ``resources`` resources (and the API they hang from)."""
    found: dict[str, dict] = {"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "orders"}}}
    for index in range(resources):
        found.update(_cloudformation(index))
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": found}


def _cloudformation(index: int) -> dict[str, dict]:
    base = index - index % PATHS_EVERY
    match index % PATHS_EVERY:
        case 0:
            return {f"Link{index}": {"Type": "AWS::ApiGateway::VpcLink",
                                     "Properties": {"Name": f"link-{index}", "TargetArns": [{"Ref": f"Nlb{base}"}]}}}
        case 1:
            return {f"Nlb{base}": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                                   "Properties": {"Type": "network", "Scheme": "internal",
                                                  "Subnets": ["subnet-0a1b2c3d", "subnet-0e5f6a7b"]}}}
        case 2:
            return {f"Listener{base}": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
                "LoadBalancerArn": {"Ref": f"Nlb{base}"}, "Port": 443, "Protocol": "TCP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": f"Targets{base}"}}]}}}
        case 3:
            return {f"Targets{base}": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
                "Port": 443, "Protocol": "TCP", "VpcId": "vpc-0a1b2c3d", "TargetType": "ip"}}}
        case 4:
            return {f"Get{base}": {"Type": "AWS::ApiGateway::Method", "Properties": {
                "RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
                "HttpMethod": "GET", "AuthorizationType": "NONE",
                "Integration": {"Type": "HTTP_PROXY", "IntegrationHttpMethod": "GET", "ConnectionType": "VPC_LINK",
                                "ConnectionId": {"Ref": f"Link{base}"},
                                "Uri": {"Fn::Sub": f"https://orders{base}.example.com/"}}}}}
    return {f"Queue{index}": {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": f"orders-{index}", "VisibilityTimeout": 30,
        "Tags": [{"Key": "team", "Value": "orders"}, {"Key": "index", "Value": str(index)}]}}}


def write_template(folder: Path, resources: int, syntax: str) -> Path:
    """``template(resources)`` as ``stack-N.yaml`` (block style, as people write it) or ``stack-N.json``
    (indented, as CDK writes it)."""
    document = template(resources)
    path = folder / f"stack-{resources}.{syntax}"
    if syntax == "json":
        path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def write_terraform(folder: Path, resources: int, per_file: int = 500) -> Path:
    """A Terraform root module of ``resources`` resources in files of ``per_file`` blocks."""
    root = folder / f"terraform-{resources}"
    root.mkdir()
    blocks = ['variable "env" {\n  default = "prod"\n}\n',
              'locals {\n  tags = { team = "orders", env = var.env }\n}\n',
              'resource "aws_api_gateway_rest_api" "api" {\n  name = "orders-${var.env}"\n}\n',
              *(_terraform(index) for index in range(resources))]
    for start in range(0, len(blocks), per_file):
        (root / f"part{start // per_file:03}.tf").write_text("\n".join(blocks[start:start + per_file]), "utf-8")
    return root


def _terraform(index: int) -> str:
    base = index - index % PATHS_EVERY
    match index % PATHS_EVERY:
        case 0:
            return (f'resource "aws_api_gateway_vpc_link" "link{base}" {{\n  name        = "link-{base}"\n'
                    f'  target_arns = [aws_lb.nlb{base}.arn]\n}}\n')
        case 1:
            return (f'resource "aws_lb" "nlb{base}" {{\n  name               = "nlb-{base}"\n'
                    '  internal           = true\n'
                    '  load_balancer_type = "network"\n  subnets            = ["subnet-0a1b2c3d", "subnet-0e5f6a7b"]\n'
                    '  tags               = local.tags\n}\n')
        case 2:
            return (f'resource "aws_lb_listener" "tcp{base}" {{\n  load_balancer_arn = aws_lb.nlb{base}.arn\n'
                    '  port              = 443\n  protocol          = "TCP"\n\n  default_action {\n'
                    f'    type             = "forward"\n    target_group_arn = aws_lb_target_group.tg{base}.arn\n'
                    '  }\n}\n')
        case 3:
            return (f'resource "aws_lb_target_group" "tg{base}" {{\n  port        = 443\n  protocol    = "TCP"\n'
                    '  vpc_id      = "vpc-0a1b2c3d"\n  target_type = "ip"\n}\n')
        case 4:
            return (f'resource "aws_api_gateway_integration" "get{base}" {{\n'
                    '  rest_api_id             = aws_api_gateway_rest_api.api.id\n'
                    '  resource_id             = aws_api_gateway_rest_api.api.root_resource_id\n'
                    '  http_method             = "GET"\n  type                    = "HTTP_PROXY"\n'
                    '  integration_http_method = "GET"\n'
                    f'  uri                     = "https://orders{base}.example.com/"\n'
                    '  connection_type         = "VPC_LINK"\n'
                    f'  connection_id           = aws_api_gateway_vpc_link.link{base}.id\n}}\n')
    return (f'resource "aws_sqs_queue" "q{index}" {{\n  name                       = "orders-{index}-${{var.env}}"\n'
            '  visibility_timeout_seconds = 30\n'
            f'  tags                       = merge(local.tags, {{ index = "{index}" }})\n}}\n')


def write_repository(folder: Path, sample: Path, templates: int = 200) -> list[Path]:
    """A repository of ``templates`` small templates (copies of ``sample`` under other names, in folders of
    twenty): the pre-commit case names one changed file of it."""
    text = sample.read_text(encoding="utf-8")
    written = []
    for index in range(templates):
        stack = folder / f"service{index // 20:02}" / f"stack{index:03}.yaml"
        os.makedirs(stack.parent, exist_ok=True)
        stack.write_text(text.replace("Orders", f"Orders{index}"), encoding="utf-8")
        written.append(stack)
    return written
