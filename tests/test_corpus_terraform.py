"""Robustness on Terraform nobody here wrote: checkov's 1,502 test files and real repositories.

The corpus lives in ../shared (not copied into the repository); these tests skip cleanly without it. The run
time is printed (``pytest -s``) rather than asserted: speed is measured by benchmarks/, not by tests.
"""

from __future__ import annotations

import re
import time

import pytest

from conftest import SHARED

CHECKOV = SHARED / "corpus" / "robust" / "terraform-checkov"
REAL = SHARED / "corpus" / "real"

# checkov's own deliberately broken fixtures, and files that are not valid HCL (a block inside an object,
# a quoted attribute name in a block)
_KNOWN_BROKEN = ("invalid", "bad_tf_", "hcl_timeout", "unbalanced_eval_brackets", "maze_of_variables",
                 "example_AdminPolicyDocument", "example_StarActionPolicyDocument",
                 "example_SecurityListUnrestrictedIngress22")


_TWICE = re.compile(r"^.+ is declared twice: first at (?P<file>.+):(?P<line>\d+) ")


_SET_TWICE = re.compile(r'^the argument "[^"]+" was already set at line (?P<line>\d+);')


def _declared_twice(error: dict) -> bool:
    """A duplicate declaration or argument terraform would refuse too: both lines declare or set the same
    thing. checkov's fixtures keep passing and failing variants of one resource side by side in one folder."""
    match = _TWICE.match(error["message"]) or _SET_TWICE.match(error["message"])
    if match is None:
        return False

    def declares(file: str, line: int) -> str:
        with open(file, encoding="utf-8-sig") as handle:
            text = handle.read().splitlines()[line - 1]
        return " ".join(re.split(r"[={]", text, maxsplit=1)[0].split())

    first = match.groupdict().get("file") or error["file"]
    return declares(first, int(match["line"])) == declares(error["file"], error["line"])


def _run(tlspath, folder):
    started = time.perf_counter()
    run = tlspath(folder, "--format", "json", "--fail-level", "none")
    print(f"\n{folder}: {run.report['summary']} in {time.perf_counter() - started:.1f} s")
    assert "Traceback" not in run.err
    assert not [e for e in run.report["errors"] if "internal error" in e["message"]]
    return run


@pytest.mark.skipif(not CHECKOV.exists(), reason="shared corpus not present")
def test_checkov_corpus_has_no_crash_and_no_false_error(tlspath):
    run = _run(tlspath, CHECKOV)
    assert run.report["summary"]["files"] > 1400
    for error in run.report["errors"]:
        assert any(name in error["file"] for name in _KNOWN_BROKEN) or _declared_twice(error), error
    # no API Gateway private integration there: the only error worth reporting is a committed private key
    assert [f for f in run.findings if f["level"] in ("error", "warning") and f["rule"] != "E9512"] == []
    assert all(f["resource"] for f in run.findings)


@pytest.mark.skipif(not REAL.exists(), reason="shared corpus not present")
def test_real_repositories_are_followed_not_guessed(tlspath):
    run = _run(tlspath, REAL)
    terraform = [f for f in run.findings if f["file"].endswith(".tf")]
    assert run.report["summary"]["paths"] > 20
    by_repository = {(f["file"].split("/real/")[1].split("/")[0], f["rule"]) for f in terraform}
    # stage-variable ports and remote-state VPC links are named, never guessed past
    # its URI ports are stage variables its aws_api_gateway_stage sets: followed per stage, no longer an I9513
    assert not any("stage variable" in f["message"] for f in run.findings if "04-wellcomecollection" in f["file"])
    assert ("13-fintechless__ftl-api", "I9513") in by_repository
    # a private key committed in a real repository is a true E9512
    assert ("11-cloudquery__cq-provider-aws", "E9512") in by_repository
    for error in run.report["errors"]:
        if error["file"].endswith(".tf"):
            assert "symbolic link stored as text" in error["message"] or _declared_twice(error), error
