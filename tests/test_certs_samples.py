"""The CloudFormation certificate samples give exactly their findings, and the script that minted their
certificates still produces samples with the same findings."""

from __future__ import annotations

import shutil

import pytest

import make_sample_certificates
from conftest import SAMPLES, line_of

BAD = SAMPLES / "cloudformation" / "bad"

# sample -> [(rule, text on the line the finding points at)]
EXPECTED = {
    "e9504-expired-self-signed-iam-certificate.yaml": [("E9501", "CertificateBody:"), ("E9504", "CertificateBody:")],
    "e9505-chainless-iam-certificate.yaml": [("E9505", "BillingCertificate:")],
    "e9505-private-root-without-keycertsign.yaml": [("W9510", "insecureSkipVerification: true"),
                                                    ("E9505", "CertificateChain:")],
    "e9522-client-certificate-as-server-certificate.yaml": [("E9501", "CertificateBody:"),
                                                            ("E9522", "CertificateBody:")],
}


def findings_of(tlspath, sample) -> list[tuple[str, int]]:
    run = tlspath(sample, "--format", "json")
    assert run.code == 1 and run.report["errors"] == []
    return sorted((f["rule"], f["line"]) for f in run.findings)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_certificate_sample_gives_exactly_its_findings(tlspath, name):
    sample = BAD / name
    assert findings_of(tlspath, sample) == sorted((rule, line_of(sample, needle)) for rule, needle in EXPECTED[name])


def test_expired_sample_says_when(tlspath):
    run = tlspath(BAD / "e9504-expired-self-signed-iam-certificate.yaml", "--format", "json")
    assert any("expired on 2024-01-31" in f["message"] for f in run.findings)


def test_samples_carry_no_private_key(tlspath):
    for name in EXPECTED:
        assert "PRIVATE KEY" not in (BAD / name).read_text()


def test_the_minting_script_regenerates_equivalent_samples(tlspath, tmp_path, monkeypatch, capsys):
    for name in EXPECTED:
        shutil.copy(BAD / name, tmp_path / name)
    monkeypatch.setattr(make_sample_certificates, "BAD", tmp_path)
    make_sample_certificates.main()
    assert capsys.readouterr().out.count("wrote ") == len(EXPECTED)
    for name in EXPECTED:
        fresh, committed = tmp_path / name, BAD / name
        assert fresh.read_text() != committed.read_text()  # new keys, new signatures ...
        assert findings_of(tlspath, fresh) == findings_of(tlspath, committed)  # ... same verdicts
