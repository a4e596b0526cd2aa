"""Robustness on real CloudFormation nobody here wrote (cfn-lint's fixtures, public repositories).

The corpus lives in ../shared (not copied into the repository); these tests skip cleanly without it.
"""

from __future__ import annotations

import pytest

from conftest import SHARED

CFN_LINT = SHARED / "corpus" / "robust" / "cfn-lint"
REAL = SHARED / "corpus" / "real" / "01-aws-samples__serverless-patterns"


@pytest.mark.skipif(not CFN_LINT.exists(), reason="shared corpus not present")
def test_cfn_lint_fixture_templates_never_crash(tlspath):
    run = tlspath(CFN_LINT, "--format", "json", "--fail-level", "none")
    assert run.report["summary"]["files"] > 200
    for error in run.report["errors"]:
        assert "internal error" not in error["message"], error
        assert "/bad/" in error["file"], error  # only cfn-lint's deliberately broken fixtures are unreadable
    assert "Traceback" not in run.err


@pytest.mark.skipif(not REAL.exists(), reason="shared corpus not present")
def test_real_sam_repositories_are_followed_not_guessed(tlspath):
    run = tlspath(REAL, "--format", "json", "--fail-level", "none")
    assert not [e for e in run.report["errors"] if "internal error" in e["message"]]
    assert run.report["summary"]["paths"] >= 4
    by_file = {(f["file"].rsplit("/", 2)[-2], f["rule"]) for f in run.findings}
    # a parameter without Default is named, never guessed past
    assert ("apigw-rest-api-vpclink", "I9513") in by_file
    # four nested SAM applications are followed end to end (plain HTTP to an ALB on port 80: nothing to say)
    assert not any(folder == "cognito-restapi-vpclink" for folder, _ in by_file)
    assert all(f["level"] == "info" for f in run.findings)
