"""CloudFormation parameter values from outside the template: ``--parameter``, ``--parameters-file`` in the
formats deploys read, the configuration's ``parameters``/``parameter-files``, command-line order, one template
targeted, declarations respected (types, AllowedValues, AllowedPattern), NoEcho never printed, SSM types."""

from __future__ import annotations

import json

import pytest

from cloudformation_snippets import NLB_TLS, rest_method
from conftest import line_of

# The integration verifies the host the ApiHost parameter holds; the listener's certificate is for
# api.example.com. With no value given, the path stops at the host name (I9513).
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ApiHost:
    Type: String
    AllowedPattern: "[a-z0-9.-]+"
  Env:
    Type: String
    AllowedValues: [prod, dev]
    Default: dev
  Retries:
    Type: Number
    Default: 3
Resources:""" + rest_method('!Sub "https://${ApiHost}/orders"') + NLB_TLS


@pytest.fixture
def template(write):
    return write("orders.yaml", TEMPLATE)


def test_without_a_value_the_unresolved_host_names_the_flag(tlspath, template):
    run = tlspath(template, "--format", "json")
    gap, = run.findings
    assert gap["rule"] == "I9513" and "parameter 'ApiHost' has no Default" in gap["message"]
    assert gap["fix"] == "give parameter 'ApiHost' a Default, or pass --parameter ApiHost=VALUE"


def test_a_value_on_the_command_line_completes_the_path(tlspath, template):
    assert tlspath(template, "--format", "json", "--parameter", "ApiHost=api.example.com").findings == []
    wrong = tlspath(template, "--format", "json", "--parameter", "ApiHost=shop.example.com")
    finding, = wrong.findings
    assert finding["rule"] == "E9503" and "'shop.example.com'" in finding["message"]
    assert wrong.code == 1


def test_command_line_order_decides_like_terraform(tlspath, template, write):
    file = write("prod.json", json.dumps({"Parameters": {"ApiHost": "shop.example.com"}}))
    file_last = tlspath(template, "--format", "json", "--parameter", "ApiHost=api.example.com",
                        "--parameters-file", file)
    assert file_last.ids() == ["E9503"]
    flag_last = tlspath(template, "--format", "json", "--parameters-file", file,
                        "--parameter", "ApiHost=api.example.com")
    assert flag_last.findings == [] and flag_last.code == 0


PARAMETER_FILES = {
    "cli.json": json.dumps([{"ParameterKey": "ApiHost", "ParameterValue": "shop.example.com"},
                            {"ParameterKey": "Env", "ParameterValue": "prod"}], indent=2),
    "pipeline.json": json.dumps({"Parameters": {"ApiHost": "shop.example.com", "Env": "prod"},
                                 "Tags": {"team": "orders"}}, indent=2),
    "deploy-list.json": json.dumps(["ApiHost=shop.example.com", "Env=prod"]),
    "overrides.txt": "# aws cloudformation deploy --parameter-overrides $(cat overrides.txt)\n"
                     "ApiHost=shop.example.com Env='prod'\n",
    "samconfig.toml": 'version = 0.1\n[default.deploy.parameters]\nstack_name = "orders"\n'
                      'parameter_overrides = "ApiHost=\\"shop.example.com\\" Env=prod"\n',
    "samconfig.yaml": "version: 0.1\ndefault:\n  deploy:\n    parameters:\n"
                      "      parameter_overrides:\n        - ApiHost=shop.example.com\n        - Env=prod\n",
}


@pytest.mark.parametrize("name", PARAMETER_FILES)
def test_parameter_files_in_the_formats_deploys_read(tlspath, template, write, name):
    file = write(name, PARAMETER_FILES[name])
    run = tlspath(template, "--format", "json", "--parameters-file", file)
    finding, = run.findings
    assert finding["rule"] == "E9503" and "'shop.example.com'" in finding["message"], run.err
    assert run.err == ""


def test_samconfig_deploy_table_beats_the_global_one(tlspath, template, write):
    file = write("samconfig.toml", '[default.global.parameters]\nparameter_overrides = "ApiHost=shop.example.com"\n'
                                   '[default.deploy.parameters]\nparameter_overrides = "ApiHost=api.example.com"\n')
    assert tlspath(template, "--format", "json", "--parameters-file", file).findings == []


SAMCONFIG = ('version = 0.1\n\n[default.deploy.parameters]\nstack_name = "orders"\n'
             'parameter_overrides = "ApiHost=\\"shop.example.com\\" Env=prod"\n\n'
             '[prod.deploy.parameters]\nparameter_overrides = "ApiHost=api.example.com"\n')


def test_a_samconfig_beside_the_template_is_applied_as_sam_deploy_applies_it(tlspath, template, write):
    """sam deploy reads samconfig.toml beside the template (environment default): its value is judged, not
    the Default, and the finding says where it was given; a value the user gives wins over it."""
    write("samconfig.toml", SAMCONFIG)
    run = tlspath(template, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["level"], run.code) == ("E9503", "error", 1)
    assert finding["message"].endswith("(the value comes from parameter 'ApiHost', given in "
                                       f"{template.parent / 'samconfig.toml'}:5)")
    assert run.err == ""
    assert tlspath(template, "--format", "json", "--parameter", "ApiHost=api.example.com").findings == []


def test_the_samconfig_environment_is_chosen_in_the_configuration(tlspath, template, write):
    write("samconfig.toml", SAMCONFIG)
    write(".tlspath.toml", 'sam-config-env = "prod"\n')
    run = tlspath(template, "--format", "json")
    assert run.findings == [] and run.code == 0, run.findings
    samconfig_elsewhere = write("config/samconfig.toml", SAMCONFIG)  # named with --parameters-file: the same
    assert tlspath(template, "--format", "json", "--parameters-file", samconfig_elsewhere).findings == []


@pytest.mark.parametrize("samconfig, said", [
    ("samconfig.yaml", None),  # no samconfig.toml: the YAML one is read
    ("other", None),  # template_file names another template
    ("broken", "not valid TOML"),
])
def test_which_samconfig_beside_a_template_is_read(tlspath, template, write, samconfig, said):
    if samconfig == "samconfig.yaml":
        write("samconfig.yaml", "version: 0.1\ndefault:\n  deploy:\n    parameters:\n"
                                "      parameter_overrides: ApiHost=shop.example.com\n")
    elif samconfig == "other":
        write("samconfig.toml", SAMCONFIG.replace('stack_name = "orders"', 'template_file = "billing.yaml"'))
    else:
        write("samconfig.toml", "[default.deploy.parameters\n")
    run = tlspath(template, "--format", "json")
    if said is not None:
        error, = run.report["errors"]
        assert run.code == 2 and (error["file"], error["line"]) == (str(template.parent / "samconfig.toml"), 1)
        assert said in error["message"] and "read as sam deploy reads it" in error["message"]
    elif samconfig == "other":  # the template's own gap, as without a samconfig
        assert run.ids() == ["I9513"] and run.code == 0
    else:
        assert run.ids() == ["E9503"] and run.findings[0]["message"].endswith(
            f"given in {template.parent / 'samconfig.yaml'}:5)")


def test_a_value_outside_allowed_values_is_an_input_error_naming_the_parameter(tlspath, template):
    run = tlspath(template, "--format", "json", "--parameter", "ApiHost=api.example.com", "--parameter", "Env=staging")
    assert run.code == 2
    assert (f"{template}:{line_of(template, 'Env:')}: parameter 'Env' (--parameter): the value 'staging' is not one "
            "of its AllowedValues (prod, dev)") in run.err


@pytest.mark.parametrize(("setting", "says"), [
    ("ApiHost=API.example.com", "does not match its AllowedPattern ([a-z0-9.-]+)"),
    ("Retries=three", "is not a number (Type: Number)"),
])
def test_type_and_pattern_are_respected(tlspath, template, setting, says):
    run = tlspath(template, "--format", "json", "--parameter", setting)
    assert run.code == 2 and says in run.err
    if setting.startswith("ApiHost"):  # the path does not go on with a value CloudFormation refuses
        gap, = run.findings
        assert gap["rule"] == "I9513" and f"the value given for parameter 'ApiHost' {says}" in gap["message"]


def test_a_file_value_for_a_file_line(tlspath, template, write):
    file = write("bad.json", '[\n  {"ParameterKey": "Env",\n   "ParameterValue": "qa"}\n]\n')
    run = tlspath(template, "--format", "json", "--parameters-file", file)
    assert f"parameter 'Env' ({file}:2): the value 'qa' is not one of its AllowedValues" in run.err


@pytest.mark.parametrize("written", ["true", '"true"', '"True"', "True"])
def test_no_echo_values_are_never_printed(tlspath, write, written):
    """However NoEcho is spelled, CloudFormation reads it as a boolean: the value given is masked both where the
    template reads it and in the input error that refuses it (these once read NoEcho apart: "True" showed it)."""
    template = write("orders.yaml", TEMPLATE.replace("    AllowedPattern:", f"    NoEcho: {written}\n    AllowedPattern:"))
    for fmt in ("json", "text", "sarif"):
        run = tlspath(template, "--format", fmt, "--parameter", "ApiHost=hidden.example.com")
        assert "hidden" not in run.out + run.err and "(sensitive value)" in run.out
    refused = tlspath(template, "--format", "json", "--parameter", "ApiHost=HIDDEN")
    assert "HIDDEN" not in refused.out + refused.err
    assert "parameter 'ApiHost' (--parameter): the value (sensitive value) does not match" in refused.err


def test_ssm_parameter_types_stay_unknown_unless_their_value_is_given(tlspath, write):
    template = write("orders.yaml", TEMPLATE.replace("    Type: String\n    AllowedPattern",
                                                     "    Type: AWS::SSM::Parameter::Value<String>\n    AllowedPattern"))
    deployed = write("params.json", json.dumps([{"ParameterKey": "ApiHost", "ParameterValue": "/orders/host"}]))
    gap, = tlspath(template, "--format", "json", "--parameters-file", deployed).findings
    assert "parameter 'ApiHost' is read from the SSM parameter '/orders/host' at deploy time" in gap["message"]
    assert gap["fix"] == "pass --parameter ApiHost=VALUE with the value that SSM parameter holds"
    assert tlspath(template, "--format", "json", "--parameter", "ApiHost=api.example.com").findings == []
    described = write("stack.json", json.dumps([{"ParameterKey": "ApiHost", "ParameterValue": "/orders/host",
                                                 "ResolvedValue": "shop.example.com"}]))
    assert tlspath(template, "--format", "json", "--parameters-file", described).ids() == ["E9503"]


def test_use_previous_value_is_not_a_value_the_files_show(tlspath, template, write):
    file = write("params.json", json.dumps([{"ParameterKey": "ApiHost", "UsePreviousValue": True}]))
    gap, = tlspath(template, "--format", "json", "--parameters-file", file).findings
    assert "keeps the value the stack has (UsePreviousValue" in gap["message"]


def test_one_template_is_targeted_by_its_path(tlspath, write):
    orders = write("orders.yaml", TEMPLATE)
    billing = write("billing/api.yaml", TEMPLATE)
    file = write("billing.json", json.dumps({"Parameters": {"ApiHost": "shop.example.com"}}))
    run = tlspath(orders, billing, "--format", "json", "--parameter", "ApiHost=api.example.com",
                  "--parameters-file", f"{billing}:{file}")
    assert [(f["rule"], f["file"]) for f in run.findings] == [("E9503", str(billing))]
    run = tlspath(orders, billing, "--format", "json", "--parameter", f"{orders}:ApiHost=api.example.com")
    assert [(f["rule"], f["file"]) for f in run.findings] == [("I9513", str(billing))]


def test_a_name_no_template_declares_is_a_warning(tlspath, template, write):
    run = tlspath(template, "--format", "json", "--parameter", "ApiHost=api.example.com",
                  "--parameter", "ApiHots=api.example.com")
    assert run.code == 0
    assert "tlspath: warning: --parameter ApiHots: no scanned template declares a parameter 'ApiHots'" in run.err


@pytest.mark.parametrize(("given", "says"), [
    (("--parameter", "api-host=x"), "--parameter 'api-host=x' is not [TEMPLATE:]NAME=VALUE"),
    (("--parameter", "ApiHost"), "--parameter 'ApiHost' is not [TEMPLATE:]NAME=VALUE"),
])
def test_malformed_flags_are_usage_errors(tlspath, template, given, says):
    run = tlspath(template, *given)
    assert run.code == 2 and says in run.err


def test_unreadable_parameter_files_are_input_errors_and_the_templates_are_still_judged(tlspath, template, write):
    broken = write("broken.json", '[{"ParameterKey": "ApiHost",\n  "ParameterValue": ["a", "b"]}]\n')
    run = tlspath(template, "--format", "json", "--parameters-file", broken, "--parameters-file", "missing.json")
    assert run.code == 2
    assert f"{broken}:1: --parameters-file: expected a parameter name and a string value" in run.err
    assert "missing.json: --parameters-file: cannot read file: No such file or directory" in run.err
    assert run.ids() == ["I9513"]


def test_the_configuration_gives_values_and_flags_beat_it(tlspath, template, write, tmp_path):
    write("params/prod.json", json.dumps({"Parameters": {"ApiHost": "shop.example.com"}}))
    write(".tlspath.toml", 'parameter-files = ["params/prod.json"]\nparameters = { Env = "prod" }\n')
    assert tlspath(template, "--format", "json", cwd=tmp_path).ids() == ["E9503"]
    assert tlspath(template, "--format", "json", "--parameter", "ApiHost=api.example.com", cwd=tmp_path).findings == []
    write(".tlspath.toml", 'parameters = { Env = "staging" }\n')
    assert "parameter 'Env'" in tlspath(template, cwd=tmp_path).err


def test_configured_parameter_files_stay_in_the_repository(tlspath, template, write, tmp_path):
    write("repo/.git/HEAD", "ref: refs/heads/main\n")
    write("outside.json", "[]")
    write("repo/.tlspath.toml", 'parameter-files = ["../outside.json"]\n')
    run = tlspath(template, "--config", tmp_path / "repo" / ".tlspath.toml")
    assert run.code == 2 and "parameter-files: '../outside.json' is outside the repository" in run.err


def test_a_nested_stack_parameter_is_given_by_its_parent(tlspath, write):
    write("child.yaml", TEMPLATE)
    parent = write("parent.yaml", 'Resources:\n  Orders:\n    Type: AWS::CloudFormation::Stack\n'
                                  '    Properties: {TemplateURL: child.yaml}\n')
    gap, = tlspath(parent, "--format", "json").findings
    assert gap["fix"] == f"give parameter 'ApiHost' a Default, or pass it in Parameters of 'Orders' ({parent})"


@pytest.mark.parametrize(("pattern", "value", "says", "fix"), [
    ("^(a|a)*$", "a" * 40 + "!", "its AllowedPattern (^(a|a)*$) takes too long on the value (the pattern backtracks)",
     "simplify the AllowedPattern: no repetition of alternatives that match the same text, such as (a|a)*"),
    ("\\\\Qapi.example.com\\\\E", "api.example.com", "tlspath cannot read its AllowedPattern (\\Qapi.example.com\\E)",
     "write the AllowedPattern without Java-only syntax (\\Q...\\E, \\p{javaLowerCase}), or check the value by hand"),
])
def test_a_pattern_tlspath_cannot_run_leaves_the_value_unknown_not_accepted(tlspath, write, pattern, value, says, fix):
    template = write("orders.yaml", TEMPLATE.replace('"[a-z0-9.-]+"', f'"{pattern}"'))
    run = tlspath(template, "--format", "json", "--parameter", f"ApiHost={value}")
    gap, = run.findings
    assert gap["rule"] == "I9513"
    assert ("tlspath cannot tell whether CloudFormation takes the value given for parameter 'ApiHost' (--parameter): "
            + says) in gap["message"]
    assert gap["fix"] == fix and run.code == 0 and run.err == ""


@pytest.mark.parametrize(("pattern", "value", "taken"), [
    ("\\\\d+\\\\.example\\\\.com", "\u0661\u0662.example.com", False),  # Java's \d is ASCII digits only
    ("[a-z&&[^q]]+\\\\.example\\\\.com", "api.example.com", True),  # Java's class intersection
    ("[a-z&&[^p]]+\\\\.example\\\\.com", "api.example.com", False),
    ("(?i)API\\\\.EXAMPLE\\\\.COM", "api.example.com", True),
])
def test_allowed_pattern_is_read_as_java_reads_it(tlspath, write, pattern, value, taken):
    template = write("orders.yaml", TEMPLATE.replace('"[a-z0-9.-]+"', f'"{pattern}"'))
    run = tlspath(template, "--format", "json", "--parameter", f"ApiHost={value}")
    assert (run.code, "does not match its AllowedPattern" in run.err) == ((0, False) if taken else (2, True)), run.err


@pytest.mark.parametrize("given", ["flag", "file"])
def test_a_wrong_host_given_from_outside_is_fixed_where_it_is_given(tlspath, template, write, given):
    file = write("prod.json", '{\n  "Parameters": {\n    "ApiHost": "shop.example.com"\n  }\n}\n')
    args = ["--parameter", "ApiHost=shop.example.com"] if given == "flag" else ["--parameters-file", str(file)]
    finding, = tlspath(template, "--format", "json", *args).findings
    where = "given with --parameter" if given == "flag" else f"given in {file}:3"
    assert finding["rule"] == "E9503"
    assert finding["message"].endswith(f"(the value comes from parameter 'ApiHost', {where})")
    assert finding["fix"] == (f"Change the value of parameter 'ApiHost', {where}, to a host a certificate of listener "
                              "'Listener' covers, or add the verified name to the certificate's names")
