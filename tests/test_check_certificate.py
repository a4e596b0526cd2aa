"""tlspath --check-certificate FILE.pem [--host NAME]: a chain in hand judged as API Gateway judges it on a
path -- the same rules, the same trust store, the same report and exit codes. Real public chains
(tests/fixtures/public_chains) are judged with --at inside their leaf's validity."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from pki import issue, pem_bundle, private_ca

CHAINS = ROOT / "tests" / "fixtures" / "public_chains"


@pytest.fixture
def check(tlspath, tmp_path):
    """Write the PEM files (concatenated, leaf first) and run ``tlspath --check-certificate`` on them."""

    def run(*pems: str, args: tuple[str, ...] = ()):
        path = tmp_path / "chain.pem"
        path.write_text("".join(pems))
        return tlspath("--check-certificate", str(path), "--format", "json", *args), path

    return run


def real(*names: str) -> str:
    return "".join((CHAINS / name).read_text() for name in names)


def test_a_complete_chain_to_a_listed_root_with_sha1_below_it(check):
    run, path = check(real("secure.comodo.com.pem", "comodo-ev-ca-and-root.pem"),
                      args=("--at", "2012-06-01", "--host", "secure.comodo.com"))
    assert (run.code, run.ids()) == (1, ["W9505"])
    finding = run.findings[0]
    assert (finding["file"], finding["line"], finding["level"]) == (str(path), 1, "warning")
    assert finding["message"].startswith(f"the certificate in {path} has weak signatures below COMODO "
                                         "Certification Authority: the server certificate (SHA-1)")
    assert set(run.report) == {"tool", "findings", "errors", "unchecked_endpoints", "summary"}
    assert run.report["summary"] == {"files": 1, "paths": 0, "error": 0, "warning": 1, "info": 0, "unchecked_endpoints": 0}


def test_the_verified_host_name(check):
    chain = real("cryptography.io.pem", "rapidssl-sha256-ca-g3.pem")
    run, path = check(chain, args=("--at", "2016-06-01", "--host", "api.example.com"))
    assert run.ids() == ["E9503"]
    assert run.findings[0]["message"] == (f"API Gateway verifies host 'api.example.com', but the certificate in {path} "
                                          "covers www.cryptography.io, cryptography.io")
    clean, _ = check(chain, args=("--at", "2016-06-01", "--host", "WWW.cryptography.io"))
    assert (clean.code, clean.findings) == (0, [])
    nameless, _ = check(chain, args=("--at", "2016-06-01"))  # without --host no name is verified
    assert (nameless.code, nameless.findings) == (0, [])  # no W9514 either: the NLB's key limits are not API Gateway's


def test_a_missing_intermediate_and_expiry(check):
    run, path = check(real("cryptography.io.pem"))
    assert run.ids() == ["E9504", "E9505"]
    assert f"the certificate in {path} expired on 2018-11-16; API Gateway rejects it" in run.findings[0]["message"]


def test_a_root_only_mozilla_holds_against_a_trust_store_without_it(check, tmp_path):
    store = tmp_path / "store.txt"
    store.write_text("ff856a2d251dcd88d36656f450126798cfabaade40799c722de4d2b5db36a73a\n")  # GeoTrust Global CA
    run, path = check(real("letsencrypt-authority-x1.pem", "isrg-root-x1.pem"),
                      args=("--at", "2018-01-01", "--trust-store", str(store)))
    assert run.ids() == ["W9501"]
    assert run.findings[0]["message"] == (f"the certificate in {path} chains to ISRG Root X1, which Mozilla's CA bundle "
                                          f"holds but the trust store {store} does not; API Gateway may reject it")


def test_a_private_chain(check):
    root, intermediate = private_ca()
    leaf = issue("api.example.com", issuer=intermediate, sans=("api.example.com",))
    run, path = check(pem_bundle(leaf, intermediate, root), args=("--at", "2026-06-01"))
    assert run.ids() == ["E9501"]
    message = run.findings[0]["message"]
    assert message.startswith(f"the certificate in {path} is issued by a private CA")
    assert message.endswith("; API Gateway rejects it")
    assert "a REST integration can turn on insecureSkipVerification" in run.findings[0]["fix"]


def test_a_chain_as_a_server_sends_it_out_of_order(check, tmp_path):
    """The file holds the chain as the server sends it: API Gateway builds the path whatever the order."""
    root, intermediate = private_ca("Example Public Root")
    store = tmp_path / "store.pem"
    store.write_text(root.pem)
    leaf = issue("api.example.com", issuer=intermediate, sans=("api.example.com",))
    run, _ = check(leaf.pem, root.pem, intermediate.pem, args=("--trust-store", str(store), "--at", "2026-06-01"))
    assert (run.code, run.findings) == (0, [])


def test_the_same_judgement_as_a_scan(check, tlspath, write):
    """A chain uploaded as an IAM server certificate on a path, and the same chain in a file, get the same ids."""
    from test_certs import template

    for leaf, chain, host, at in (("secure.comodo.com.pem", "comodo-ev-ca-and-root.pem", "secure.comodo.com",
                                   "2012-06-01"),
                                  ("www.cacert.org.pem", "cacert-root.pem", "www.cacert.org", "2014-06-01"),
                                  ("cryptography.io.pem", None, "www.cryptography.io", "2019-01-01")):
        scanned = tlspath(str(write("stack.yaml", template(real(leaf), real(chain) if chain else None, host=host))),
                          "--format", "json", "--at", at)
        checked, _ = check(real(leaf, *([chain] if chain else [])), args=("--at", at, "--host", host))
        assert [r for r in scanned.ids() if r != "W9514"] == checked.ids(), leaf  # W9514 is about the NLB


def test_a_real_chain_whose_intermediate_expired(check):
    """COMODO's EV intermediate expired in 2020: a chain bundled with it fails then, whatever its leaf."""
    chain = real("secure.comodo.com.pem", "comodo-ev-ca-and-root.pem")
    run, path = check(chain, args=("--at", "2020-06-01", "--host", "secure.comodo.com"))
    assert run.ids() == ["E9504", "E9504", "W9505"]
    assert [f["message"].split(";")[0] for f in run.findings[:2]] == [
        f"the certificate in {path} expired on 2013-06-27",
        f"the intermediate 'COMODO Extended Validation Secure Server CA' in the chain of the certificate in {path} "
        "expired on 2020-05-30"]
    valid, _ = check(chain, args=("--at", "2012-06-01", "--host", "secure.comodo.com"))
    assert valid.ids() == ["W9505"]


def test_what_path_validation_refuses_below_the_root(check, tmp_path):
    """A chain in hand gets the checks Java's PKIX validation makes below the trust anchor, as on a path."""
    root, _ = private_ca("Example Public Root")
    store = tmp_path / "store.pem"
    store.write_text(root.pem)
    not_a_ca = issue("Example Issuing CA", issuer=root, ca=False, key_cert_sign=True, slot=4)
    leaf = issue("api.example.com", issuer=not_a_ca, sans=("api.example.com",))
    run, path = check(leaf.pem, not_a_ca.pem, args=("--trust-store", str(store), "--at", "2026-06-01"))
    assert run.ids() == ["E9505"]
    assert run.findings[0]["message"] == (f"the chain of the certificate in {path} cannot be validated: the intermediate "
                                          "'Example Issuing CA' is not a CA (no basicConstraints CA:TRUE); API Gateway "
                                          "rejects it")


def test_a_leaf_whose_issuer_may_be_listed_by_fingerprint_only_is_unknown_not_silent(check):
    """ACM's issuing intermediates are on API Gateway's list by fingerprint alone: a leaf naming Amazon as its
    issuer, without its chain, cannot be judged -- said as I9513, neither an error nor silence."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    amazon = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Amazon"),
                        x509.NameAttribute(NameOID.COMMON_NAME, "Amazon RSA 2048 M01")])
    leaf = issue("api.example.com", issuer=issue("Amazon", ca=True, subject=amazon, slot=6), sans=("api.example.com",))
    run, path = check(leaf.pem, args=("--at", "2026-06-01", "--host", "api.example.com"))
    assert (run.code, run.ids()) == (0, ["I9513"])
    assert run.findings[0]["message"] == (
        f"the certificate in {path} cannot be judged: the issuer of the server certificate (CN=Amazon RSA 2048 "
        "M01,O=Amazon,C=US) is not given, and it may be amazon-ca-g4-acm1, which API Gateway's published CA list "
        "(2022-01-24) holds by fingerprint only")
    assert run.findings[0]["fix"] == "add the intermediate chain up to a root"


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read the certificate file (No such file or directory)"),
    ("TODO: paste the certificate", "the file holds no PEM certificate"),
    ("-----BEGIN CERTIFICATE-----\nMIIB\n", "has no END line (truncated?)"),
])
def test_a_file_that_is_not_a_chain_is_one_input_error(tlspath, tmp_path, content, expected):
    path = tmp_path / "chain.pem"
    if content is not None:
        path.write_text(content)
    run = tlspath("--check-certificate", str(path), "--format", "json")
    assert run.code == 2 and run.findings == []
    assert run.err.count("\n") == 1 and run.err.startswith(f"{path}: ") and expected in run.err


@pytest.mark.parametrize("args, message", [
    (["--check-certificate", "chain.pem", "samples"], "--check-certificate judges one file: give no PATH"),
    (["--host", "api.example.com", "samples"], "--host goes with --check-certificate"),
])
def test_check_certificate_usage_errors(tlspath, args, message):
    run = tlspath(*args)
    assert run.code == 2 and run.err.splitlines()[-1] == f"tlspath: error: {message}" + (
        " (a scan takes host names from the files)" if "--host" in message else "")


def test_sarif_and_text_reports(tlspath):
    path = CHAINS / "www.cacert.org.pem"
    sarif = json.loads(tlspath("--check-certificate", str(path), "--format", "sarif", "--at", "2013-06-01").out)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["E9505"]
    text = tlspath("--check-certificate", str(path), "--at", "2013-06-01").out
    assert f"the certificate in {path} is issued by a CA but no certificate chain is given" in text
    assert text.rstrip().endswith("1 file, 0 paths: 1 error, 0 warnings, 0 info")
