"""Front ends claim files by name (linter.frontend.Claims); the run asks every front end in linter.frontends.

The formats to come -- Terraform JSON (``*.tf.json``, CDK for Terraform's ``cdk.tf.json``), Terragrunt units
(``terragrunt.hcl``) -- must fit the protocol without changing the scan: a front end added to the list below is
given the files it claims, the way a pre-commit hook or a folder scan names them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pytest

import linter.scan
from conftest import SAMPLES
from linter.discover import discover
from linter.frontend import Built, Candidate, Claims, Document, FrontEndSettings
from linter.frontends import FRONT_ENDS
from linter.parse.terraform import Terraform
from terraform_snippets import SELF_SIGNING_SCRIPT, clean_rest_path, instance, tcp_listener

TERRAFORM = Terraform.claims
TERRAGRUNT = Claims(folders=("terragrunt.hcl",), companions=("*.hcl",))
TERRAFORM_JSON = Claims(folders=("*.tf.json",), companions=("*.tfvars.json",))
TEMPLATES = Claims(documents=("*.yaml", "*.json"))


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """Create files (relative names) under tmp_path and work from there, as a hook does."""
    monkeypatch.chdir(tmp_path)

    def make(*names: str) -> None:
        for name in names:
            os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
            with open(name, "w", encoding="utf-8") as handle:
                handle.write("{}\n")

    return make


def folders(paths: list[str], *claims: Claims) -> list[list[str]]:
    return [[c.path for c in found] for found in discover(paths, claims).folders]


def test_a_changed_tf_or_tfvars_file_stands_for_its_module(tree):
    tree("app/main.tf", "app/terraform.tfvars", "app/prod.tfvars.json")
    for changed in ("app/main.tf", "app/terraform.tfvars", "app/prod.tfvars.json"):
        assert folders([changed], TERRAFORM) == [["app"]]


def test_a_variables_file_without_a_module_stands_for_nothing(tree):
    tree("vars/prod.tfvars")
    assert discover(["vars/prod.tfvars"], [TERRAFORM]) == discover([], [TERRAFORM])


def test_a_file_that_marks_a_folder_is_never_a_document(tree):
    """``cdk.tf.json`` is Terraform JSON: a template front end claiming ``*.json`` never gets to parse it."""
    tree("cdktf.out/stacks/api/cdk.tf.json", "cdktf.out/stacks/api/manifest.json", "prod.tfvars.json")
    inputs = discover(["."], [TEMPLATES, TERRAFORM_JSON])
    assert [c.path for c in inputs.documents] == [os.path.join("cdktf.out", "stacks", "api", "manifest.json")]
    assert [[c.path for c in found] for found in inputs.folders] == [[], [os.path.join("cdktf.out", "stacks", "api")]]


def test_two_front_ends_may_claim_one_folder_each_once(tree):
    """A Terragrunt unit that holds .tf files: each front end is given the folder, once, whatever is named."""
    tree("unit/terragrunt.hcl", "unit/main.tf", "unit/variables.tf", "unit/env.hcl")
    named = ["unit/main.tf", "unit/terragrunt.hcl", "unit/env.hcl", "unit"]
    assert folders(named, TERRAFORM, TERRAGRUNT) == [["unit"], ["unit"]]


def test_files_named_on_the_command_line_are_documents_whatever_their_name(tree):
    tree("stack.template.txt")
    inputs = discover(["stack.template.txt", "missing.yaml"], [TEMPLATES])
    assert inputs.documents == [Candidate("stack.template.txt", ".", True)]
    assert inputs.missing == ["missing.yaml"]


class _Recorder:
    """A front end added to the list: it claims Terragrunt units and plan-like documents, and records them."""

    claims = Claims(documents=("*.json",), folders=("terragrunt.hcl",))

    def __init__(self) -> None:
        self.given: list[tuple[list[Candidate], list[Document], FrontEndSettings]] = []

    def may_read(self, text: str) -> bool:
        return '"toy"' in text

    def reads(self, document: Document) -> bool:
        return isinstance(document.data, dict) and "toy" in document.data

    def build(self, folders: list[Candidate], documents: Iterable[Document], settings: FrontEndSettings) -> Built:
        documents = list(documents)  # read one at a time as they are iterated
        self.given.append((folders, documents, settings))
        return Built(files=len(folders) + len(documents))


def test_a_front_end_added_to_the_list_is_given_what_it_claims(tlspath, write, monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(linter.scan, "FRONT_ENDS", (*FRONT_ENDS, recorder))
    unit = write("live/api/terragrunt.hcl", 'terraform { source = "../../modules/api" }\n')
    toy = write("toy.json", '{"toy": 1}\n')
    lock = write("package-lock.json", '{"name": "x"}\n')
    run = tlspath("--format", "json", unit, toy, lock)
    # 3 files: the recorder's unit and document, and the Terraform front end reads the Terragrunt unit too
    assert (run.code, run.err, run.report["summary"]["files"]) == (0, "", 3)
    [(given_folders, given_documents, _)] = recorder.given
    assert [c.path for c in given_folders] == [str(unit.parent)]
    assert [d.candidate.path for d in given_documents] == [str(toy)]


@pytest.mark.parametrize("arguments, shown", [
    (["."], {"main.tf", "template.yaml"}),
    (["./"], {"main.tf", "template.yaml"}),
    (["main.tf", "template.yaml"], {"main.tf", "template.yaml"}),
    (["./main.tf", ".//template.yaml"], {"main.tf", "template.yaml"}),
    (["../project"], {"../project/main.tf", "../project/template.yaml"}),
])
def test_every_front_end_shows_a_path_the_same_way(tlspath, tmp_path, arguments, shown):
    """``tlspath .`` showed Terraform findings under ``./main.tf`` and CloudFormation ones under
    ``template.yaml``: one spelling for every front end, without ``./`` steps."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.tf").write_text(clean_rest_path() + tcp_listener("other") + instance(SELF_SIGNING_SCRIPT,
                                                                                            group="other"))
    (project / "template.yaml").write_text((SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml").read_text())
    run = tlspath(*arguments, "--format", "json", cwd=project)
    assert {f["file"] for f in run.findings} == shown, run.findings


BROKEN_OPENAPI = "openapi: 3.0.1\npaths:\n  /orders:\n    get:\n      x-amazon-apigateway-integration: [type: http_proxy\n"
NAMING_THE_BROKEN_FILE = {
    "sam-definition-uri": ("template.yaml", "DefinitionUri", "Transform: AWS::Serverless-2016-10-31\nResources:\n"
                           "  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n"
                           "      DefinitionUri: ./openapi.yaml\n"),
    "aws-include": ("template.yaml", "Body", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                    "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n"
                    "        Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./openapi.yaml}}\n"),
    "terraform-rest-api": ("main.tf", "body", 'resource "aws_api_gateway_rest_api" "api" {\n  name = "orders"\n'
                           '  body = file("openapi.yaml")\n}\n'),
    "terraform-http-api": ("main.tf", "body", 'resource "aws_apigatewayv2_api" "api" {\n  name          = "orders"\n'
                           '  protocol_type = "HTTP"\n  body          = file("${path.module}/openapi.yaml")\n}\n'),
}


@pytest.mark.parametrize("case", NAMING_THE_BROKEN_FILE)
def test_every_front_end_says_an_openapi_file_that_does_not_parse_the_same_way(tlspath, tmp_path, case):
    """A template's DefinitionUri / AWS::Include file, or a Terraform body read with file(), that does not parse
    is broken input like a broken template: an input error at its own line (exit 2), and an I9513 at the line
    that names it -- even where no VPC link is written (Terraform said nothing at all then)."""
    name, field_name, text = NAMING_THE_BROKEN_FILE[case]
    (tmp_path / name).write_text(text)
    (tmp_path / "openapi.yaml").write_text(BROKEN_OPENAPI)
    run = tlspath(".", "--format", "json", cwd=tmp_path)
    assert run.code == 2
    assert run.err.splitlines() == ["openapi.yaml:6: YAML syntax error: while parsing a flow sequence: "
                                    "did not find expected ',' or ']'"]
    gap, = run.findings
    assert (gap["rule"], gap["level"], gap["file"]) == ("I9513", "info", name)
    assert gap["line"] == next(number for number, line in enumerate(text.splitlines(), 1)
                               if line.lstrip().startswith((field_name, "Fn::Transform")))
    assert gap["message"].endswith(f": the API definition in {field_name} did not parse (openapi.yaml:6), so its "
                                   "private integrations cannot be checked")
    assert gap["fix"] == "fix what the input error at openapi.yaml:6 reports"
