"""Values as Terraform computes and writes them: each expected text below is what `terraform console` (1.11) prints
for `jsonencode(EXPRESSION)` (numbers are 512-bit binary floats: 1.1 * 1.1 is not 1.21); where tlspath does not
compute a value the way Terraform would, it is unknown, saying why -- never a Python spelling of it (443.0,
0.30000000000000004, a YAML document in another style, a base64 function's argument as its result)."""

from __future__ import annotations

import json

import pytest

from linter.model import Choice, Unknown
from linter.parse.terraform.evaluate import Evaluator
from linter.parse.terraform.functions import FUNCTIONS
from linter.parse.terraform.modules import Configuration, Sources
from linter.parse.terraform.values import to_model
from terraform_snippets import nlb, pass_through_path, rest_integration, tls_listener, vpc_link, acm_certificate


def encoded(tmp_path, expression: str) -> object:
    """``jsonencode(expression)`` as tlspath evaluates it: the text, or the unknown."""
    (tmp_path / "main.tf").write_text(f"locals {{\n  probe = jsonencode({expression})\n}}\n", encoding="utf-8")
    sources = Sources()
    configuration = Configuration(sources.module(str(tmp_path), str(tmp_path)), str(tmp_path), {}, sources,
                                  Evaluator(FUNCTIONS))
    return to_model(configuration.root.local("probe"))


@pytest.mark.parametrize("expression, console", [  # what terraform console prints for jsonencode(EXPRESSION)
    ('886 / 2',
     '"443"'),
    ('2 * 1.5',
     '"3"'),
    ('1e3',
     '"1000"'),
    ('1e21',
     '"1000000000000000000000"'),
    ('0.1 + 0.2',
     '"0.3"'),
    ('-7 % 3',
     '"-1"'),
    ('7 % -3',
     '"1"'),
    ('2 / 0.5',
     '"4"'),
    ('"${886 / 2}"',
     '"443"'),
    ('tostring(2 * 1.5)',
     '"\\"3\\""'),
    ('format("%s", 886 / 2)',
     '"\\"443\\""'),
    ('tonumber("+5")',
     '"5"'),
    ('tonumber(".5")',
     '"0.5"'),
    ('jsondecode("[1.0, 2.5, 1e3]")',
     '"[1,2.5,1000]"'),
    ('yamldecode("a: 1.0")',
     '"{\\"a\\":1}"'),
    ('yamldecode("a: 2024-01-02")',
     '"{\\"a\\":\\"2024-01-02T00:00:00Z\\"}"'),
    ('tolist(["a", 1])',
     '"[\\"a\\",\\"1\\"]"'),
    ('tomap({a = true, b = "x"})',
     '"{\\"a\\":\\"true\\",\\"b\\":\\"x\\"}"'),
    ('toset([3, 1, 2])',
     '"[1,2,3]"'),
    ('jsonencode("a<b>&é")',
     '"\\"\\\\\\"a\\\\\\\\u003cb\\\\\\\\u003e\\\\\\\\u0026é\\\\\\"\\""'),
    ('yamlencode({a = 1, b = ["x", "y"]})',
     '"\\"\\\\\\"a\\\\\\": 1\\\\n\\\\\\"b\\\\\\":\\\\n- \\\\\\"x\\\\\\"\\\\n- \\\\\\"y\\\\\\"\\\\n\\""'),
    ('yamlencode([{a = 1, b = 2}, ["x", ["y"]], {}])',
     '"\\"- \\\\\\"a\\\\\\": 1\\\\n  \\\\\\"b\\\\\\": 2\\\\n- - \\\\\\"x\\\\\\"\\\\n  - - \\\\\\"y\\\\\\"\\\\n- {}\\\\n\\""'),
    ('yamlencode({s = "line1\\nline2", t = "trailing\\n", u = "x \\ny"})',
     '"\\"\\\\\\"s\\\\\\": |-\\\\n  line1\\\\n  line2\\\\n\\\\\\"t\\\\\\": |\\\\n  trailing\\\\n\\\\\\"u\\\\\\": \\\\\\"x \\\\\\\\ny\\\\\\"\\\\n\\""'),
    ('yamlencode({a = "word word word word word word word word word word word word word word word word word"})',
     '"\\"\\\\\\"a\\\\\\": \\\\\\"word word word word word word word word word word word word word word word word\\\\n  word\\\\\\"\\\\n\\""'),
    ('yamlencode("plain")',
     '"\\"\\\\\\"plain\\\\\\"\\\\n\\""'),
    ('yamlencode(null)',
     '"\\"null\\\\n...\\\\n\\""'),
    ('yamlencode({a = "\\u0001", e = "😀"})',
     '"\\"\\\\\\"a\\\\\\": \\\\\\"\\\\\\\\x01\\\\\\"\\\\n\\\\\\"e\\\\\\": \\\\\\"\\\\\\\\U0001F600\\\\\\"\\\\n\\""'),
    ('-5.5 % 2',
     '"-1.5"'),
    ('5 % 0',
     '"5"'),
    ('0.1 % 1',
     '"0.1"'),
    ('(0.1 % 1) * 3',
     '"0.3"'),
    ('1 / 10 * 3',
     '"0.3"'),
    ('1.15 * 100',
     '"115"'),
    ('123456789012345678901234567890',
     '"123456789012345678901234567890"'),
    ('tostring(2e200 * 3)',
     '"\\"600000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\\""'),
    ('tonumber("5.")',
     '"5"'),
    ('tonumber("1p3")',
     '"8"'),
    ('tonumber("-.5e-1")',
     '"-0.05"'),
    ('"port ${443.0}"',
     '"\\"port 443\\""'),
    ('0.1 + 0.2 == 0.3',
     '"true"'),
    ('[10, 20, 30][1.0]',
     '"20"'),
    ('length("abc") / 2',
     '"1.5"'),
    ('format("%v", 1000000)',
     '"\\"1e+06\\""'),
    ('format("%v", 1e21)',
     '"\\"1e+21\\""'),
    ('format("%v", 886 / 2)',
     '"\\"443\\""'),
    ('format("%05v|", 12)',
     '"\\"00012|\\""'),
    ('format("%.2v", "abcdef")',
     '"\\"abcdef\\""'),
    ('format("%s", 1000000)',
     '"\\"1000000\\""'),
    ('format("%b", 5)',
     '"\\"101\\""'),
    ('format("%x", -255)',
     '"\\"-ff\\""'),
    ('format("%08.3f", 3.14159)',
     '"\\"0003.142\\""'),
    ('format("%.2f", 2.675)',
     '"\\"2.67\\""'),
    ('format("%.0f", 2.5)',
     '"\\"2\\""'),
    ('format("%e", 0)',
     '"\\"0.000000e+00\\""'),
    ('format("%e", 12345.678)',
     '"\\"1.234568e+04\\""'),
    ('format("%.3g", 123.456)',
     '"\\"123\\""'),
    ('format("%g", 1000000)',
     '"\\"1e+06\\""'),
    ('format("%G", 1e21)',
     '"\\"1E+21\\""'),
    ('format("%f", 1e21)',
     '"\\"1000000000000000000000.000000\\""'),
    ('format("%-8.2f|", 3.14159)',
     '"\\"3.14    |\\""'),
    ('format("% .1f", 2.0)',
     '"\\" 2.0\\""'),
    ('format("%+e", -1)',
     '"\\"-1.000000e+00\\""'),
    ('format("%10.3q", "abcdef")',
     '"\\"     \\\\\\"abc\\\\\\"\\""'),
    ('format("%[2]s.%[1]s", "com", "example")',
     '"\\"example.com\\""'),
    ('base64encode("api")',
     '"\\"YXBp\\""'),
    ('base64encode("héllo")',
     '"\\"aMOpbGxv\\""'),
    ('base64encode(5)',
     '"\\"NQ==\\""'),
    ('base64decode(base64encode("x y"))',
     '"\\"x y\\""'),
    ('textencodebase64("api", "UTF-8")',
     '"\\"YXBp\\""'),
    ('jsondecode(base64decode("eyJhIjoxfQ=="))',
     '"{\\"a\\":1}"'),
    ('base64encode(jsonencode({a = 1}))',
     '"\\"eyJhIjoxfQ==\\""'),
    ('yamlencode({runcmd = ["echo hi", "openssl req -x509"], packages = ["nginx"]})',
     '"\\"\\\\\\"packages\\\\\\":\\\\n- \\\\\\"nginx\\\\\\"\\\\n\\\\\\"runcmd\\\\\\":\\\\n- \\\\\\"echo hi\\\\\\"\\\\n- \\\\\\"openssl req -x509\\\\\\"\\\\n\\""'),
    ('yamlencode({nested = {x = {y = "z"}}, list = [[1, 2], {k = "v"}]})',
     '"\\"\\\\\\"list\\\\\\":\\\\n- - 1\\\\n  - 2\\\\n- \\\\\\"k\\\\\\": \\\\\\"v\\\\\\"\\\\n\\\\\\"nested\\\\\\":\\\\n  \\\\\\"x\\\\\\":\\\\n    \\\\\\"y\\\\\\": \\\\\\"z\\\\\\"\\\\n\\""'),
    ('yamlencode({s = "a: b", t = "#x", u = "yes", v = "1", w = ""})',
     '"\\"\\\\\\"s\\\\\\": \\\\\\"a: b\\\\\\"\\\\n\\\\\\"t\\\\\\": \\\\\\"#x\\\\\\"\\\\n\\\\\\"u\\\\\\": \\\\\\"yes\\\\\\"\\\\n\\\\\\"v\\\\\\": \\\\\\"1\\\\\\"\\\\n\\\\\\"w\\\\\\": \\\\\\"\\\\\\"\\\\n\\""'),
    ('yamlencode({write_files = [{path = "/etc/x", content = "line1\\nline2\\n"}]})',
     '"\\"\\\\\\"write_files\\\\\\":\\\\n- \\\\\\"content\\\\\\": |\\\\n    line1\\\\n    line2\\\\n  \\\\\\"path\\\\\\": \\\\\\"/etc/x\\\\\\"\\\\n\\""'),
    ('yamlencode({port = 886 / 2})',
     '"\\"\\\\\\"port\\\\\\": 443\\\\n\\""'),
    ('yamlencode({a = "line1\\nline2\\n\\n"})',
     '"\\"\\\\\\"a\\\\\\": |+\\\\n  line1\\\\n  line2\\\\n\\\\n\\""'),
    ('yamlencode({a = ["x\\ny", "z"]})',
     '"\\"\\\\\\"a\\\\\\":\\\\n- |-\\\\n  x\\\\n  y\\\\n- \\\\\\"z\\\\\\"\\\\n\\""'),
    ('yamlencode({a = "#!/bin/bash\\necho hello\\nopenssl req -x509 -newkey rsa:2048 -keyout k -out c -days 1 -nodes -subj /CN=x\\n"})',
     '"\\"\\\\\\"a\\\\\\": |\\\\n  #!/bin/bash\\\\n  echo hello\\\\n  openssl req -x509 -newkey rsa:2048 -keyout k -out c -days 1 -nodes -subj /CN=x\\\\n\\""'),
    ('yamlencode({a = "word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word"})',
     '"\\"\\\\\\"a\\\\\\": \\\\\\"word  word  word  word  word  word  word  word  word  word  word  word  word\\\\n  \\\\\\\\ word  word  word  word\\\\\\"\\\\n\\""'),
    ('yamlencode({a = "x \\ny"})',
     '"\\"\\\\\\"a\\\\\\": \\\\\\"x \\\\\\\\ny\\\\\\"\\\\n\\""'),
    ('yamlencode({b = 1, a = 2, C = 3, _ = 4, "1" = 5})',
     '"\\"\\\\\\"1\\\\\\": 5\\\\n\\\\\\"C\\\\\\": 3\\\\n\\\\\\"_\\\\\\": 4\\\\n\\\\\\"a\\\\\\": 2\\\\n\\\\\\"b\\\\\\": 1\\\\n\\""'),
    ('jsondecode("{\\"a\\": \\"x\\\\\\" 0.12345678901234567890\\", \\"b\\": 0.30000000000000004}")',
     '"{\\"a\\":\\"x\\\\\\" 0.12345678901234567890\\",\\"b\\":0.30000000000000004}"'),
    ('format("%.1s|", "e\\u0301x")',
     '"\\"é|\\""'),
    ('format("%3s|", "e\\u0301")',
     '"\\"  é|\\""'),
    ('format("%.2s|", "👍🏽xy")',
     '"\\"👍🏽x|\\""'),
    ('format("%-4v|", "👨\u200d👩\u200d👧x")',
     '"\\"👨\\u200d👩\\u200d👧x  |\\""'),
    ('format("%.1q|", "e\\u0301x")',
     '"\\"\\\\\\"é\\\\\\"|\\""'),
    ('format("%5q|", "é")',
     '"\\"  \\\\\\"é\\\\\\"|\\""'),
    ('length("e\\u0301")',
     '"1"'),
    ('substr("e\\u0301xy", 0, 1)',
     '"\\"é\\""'),
    ('"caf\\u0065\\u0301.example.com"',
     '"\\"café.example.com\\""'),
    ('upper("e\\u0301")',
     '"\\"É\\""'),
    ('"${"e\\u0301"}x"',
     '"\\"éx\\""'),
])
def test_values_are_computed_and_written_as_terraform_does(tmp_path, expression, console):
    assert encoded(tmp_path, expression) == json.loads(console)


@pytest.mark.parametrize("expression, reason", [  # terraform console writes these; tlspath does not carry them
    ("10 / 3", "a number Terraform writes as 3.3333333333…333332 (156 characters)"),
    ('"${1 / 3}"', "a number Terraform writes as 0.3333333333…333335 (157 characters)"),
    ("1.1 * 1.1", "a number Terraform writes as 1.2100000000…000001 (156 characters)"),  # not 1.21
    ("0.3 - 0.1 == 0.2", "a number Terraform writes as 0.2000000000…000002 (157 characters)"),
    ("tostring(0.000012)", "a number Terraform writes as 0.000012"),
    ("-1 * 0", "negative zero, written '-0'"),
    ("1 / 0", "infinite"),
    ('tonumber("Inf")', "infinite"),
    ('format("%.2f", 1.1 * 1.1)', "1.2100000000…000001"),
    ('yamlencode({a = " leading\\nline"})', "yamlencode() of a string that starts with a space"),
    ('yamlencode({a = "\\u2028x\\ny"})', "other than \\n (\\r, U+2028)"),
    ('base64gzip("x")', "base64gzip() is not computed by tlspath"),
    ('format("%v", null)', "format()'s %v of null is 'null' or unknown in Terraform"),
    ('format("%999999999999d", 1)', "a format width of 12 digits"),  # terraform: "%!(NOVERB)%!(EXTRA *big.Int=1)"
    ('jsondecode("{\\"n\\": 12345678901234567890.5}")', "a number Terraform writes as 12345678901234567890.5"),
])
def test_what_tlspath_cannot_write_as_terraform_does_is_unknown(tmp_path, expression, reason):
    value = encoded(tmp_path, expression)
    assert isinstance(value, Unknown) and reason in value.reason


@pytest.mark.parametrize("expression, message", [  # terraform console: an error
    ('element(["a", "b"], -1)', "element() of a negative index"),
    ('tonumber(" 5")', "' 5' is not a number"),
    ('tonumber("0x10")', "'0x10' is not a number"),
    ("0 / 0", "division of zero by zero"),
    ('format("%d", 2.5)', "2.5 is not a whole number"),
    ('base64decode("!!")', "base64decode(): the text is not base64 of UTF-8 text"),
    ('"a${null}b"', "a null value cannot be placed in a string template"),
    ('join(",", ["a", null])', "a null value cannot be placed in a string"),
    ('format("a%sb", tostring(null))', "format(): a null value cannot be formatted with '%s'"),
])
def test_what_terraform_rejects_is_an_error_of_the_expression(tmp_path, expression, message):
    value = encoded(tmp_path, expression)
    assert isinstance(value, Unknown) and message in value.reason and value.supply == "fix the expression"


def test_a_null_in_one_branch_of_a_template_leaves_the_other_branch_known(tmp_path):
    """Terraform stops on "prefix-${var.on ? "x" : null}" only when var.on is false: that branch is unknown,
    the other is followed -- and try() still falls back on a null placed in a string."""
    (tmp_path / "main.tf").write_text('variable "on" {\n  type = bool\n}\nlocals {\n'
                                      '  probe = "prefix-${var.on ? "x" : null}"\n'
                                      '  tried = try("a${null}b", "fallback")\n}\n', encoding="utf-8")
    sources = Sources()
    root = Configuration(sources.module(str(tmp_path), str(tmp_path)), str(tmp_path), {}, sources,
                         Evaluator(FUNCTIONS)).root
    probe = to_model(root.local("probe"))
    assert isinstance(probe, Choice) and probe.if_true == "prefix-x" and isinstance(probe.if_false, Unknown)
    assert to_model(root.local("tried")) == "fallback"


def test_file_text_is_unicode_nfc_as_terraform_holds_every_string(tmp_path):
    """A file written with é as e + U+0301: Terraform holds its text as é (U+00E9), one character."""
    (tmp_path / "t.tftpl").write_bytes("e\u0301x".encode())
    assert encoded(tmp_path, 'file("t.tftpl")') == '"\u00e9x"'
    assert encoded(tmp_path, '[templatefile("t.tftpl", {}), file("t.tftpl"), length(file("t.tftpl"))]') == \
        json.loads('"[\\"éx\\",\\"éx\\",2]"')


def test_a_port_computed_with_division_is_a_port(tlspath, write, tmp_path):
    """886 / 2 is 443, not '443.0' (which is no port): the path is judged, and it is clean."""
    write("main.tf", rest_integration(uri='"https://api.example.com:${886 / 2}/"') + vpc_link() + nlb() +
          tls_listener() + acm_certificate())
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings == [] and run.report["summary"]["paths"] == 1


def test_cloud_init_written_with_yamlencode_is_read(tlspath, write, tmp_path):
    """The usual way to write cloud-init: a map through yamlencode() -- the script is read, the module kept."""
    write("main.tf", pass_through_path('"#cloud-config\\n${yamlencode({ packages = ["nginx"], runcmd = ['
                                       '"openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=api.example.com '
                                       '-keyout /k.pem -out /c.pem"] })}"'))
    run = tlspath(tmp_path, "--format", "json")
    assert run.report["errors"] == [] and [f["rule"] for f in run.findings] == ["E9501"]
