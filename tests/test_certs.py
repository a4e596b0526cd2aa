"""Certificates a CloudFormation template carries (AWS::IAM::ServerCertificate), judged the way API Gateway
will: self-signed / private / untrusted (E9501), host names (E9503), validity at --at (E9504), expiry soon
(W9504), chains (E9505), key type on an NLB (W9514), skip-verification (W9510). Every certificate is minted
here with fixed dates (tests/pki.py); tlspath runs with --at 2026-06-01.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import textwrap

import pytest
from conftest import ROOT, SAMPLES, SHARED, column_of, edit, line_of
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import AT, UTC, issue, pem_bundle, private_ca
from tls_stack import HOST, api_path, stack

import linter.certs
import linter.truststore
from linter.truststore import TrustStore, anchor_of

AT_ARG = ("--at", AT.date().isoformat())


def _block(pem: str) -> str:
    return "|\n" + textwrap.indent(pem.strip("\n") + "\n", " " * 8)


def template(body: str, chain: str | None = None, *, skip: bool = False, host: str = HOST,
             chain_yaml: str | None = None) -> str:
    """The test stack, its listener presenting an IAM server certificate with ``body`` (and ``chain``, or
    ``chain_yaml`` written as is). ``body`` is PEM text, or a YAML scalar already (quoted, ``|``, ``>``)."""
    chain_line = ""
    if chain_yaml is not None:
        chain_line = f"      CertificateChain: {chain_yaml}\n"
    elif chain is not None:
        chain_line = f"      CertificateChain: {_block(chain)}"
    body_yaml = body + "\n" if body.startswith(("'", '"', "|", ">")) else _block(body)
    return stack(api_path("!GetAtt ServerCertificate.Arn", host=host, skip=skip),
                 parameters="\n  ChainFromPipeline: {Type: String}\n", resources=f"""
  ServerCertificate:
    Type: AWS::IAM::ServerCertificate
    Properties:
      ServerCertificateName: orders
      PrivateKey: '{{{{resolve:secretsmanager:orders/tls-key}}}}'
      CertificateBody: {body_yaml}{chain_line}""")


@pytest.fixture
def scan(tlspath, write):
    """Write the template, run ``tlspath --format json --at 2026-06-01`` on it; returns (run, path)."""

    def run(text: str, *args: str):
        path = write("stack.yaml", text)
        return tlspath(str(path), "--format", "json", *AT_ARG, *args), path

    return run


@pytest.fixture
def public_root(monkeypatch):
    """A root API Gateway's list holds, standing in for a public CA: tests cannot sign with a real one's key."""
    root = issue("Example Public Root", ca=True, slot=7, not_before=dt.datetime(2020, 1, 1, tzinfo=UTC),
                 not_after=dt.datetime(2040, 1, 1, tzinfo=UTC))
    store = TrustStore("API Gateway's published CA list (test copy)", [anchor_of(root.certificate)])
    monkeypatch.setattr(linter.truststore, "shipped", lambda: store)
    return root


def by_rule(run, rule: str) -> list[dict]:
    return [f for f in run.findings if f["rule"] == rule]


def assert_clean_run(run) -> None:
    """No input error, no traceback, no internal error: odd material is the user's problem, not ours."""
    assert run.report["errors"] == []
    assert "Traceback" not in run.err and "internal error" not in run.err


# ------------------------------------------------------------------------------------ E9501 / E9504


def test_expired_self_signed_iam_certificate(scan):
    leaf = issue(HOST, sans=(HOST,), not_after=dt.datetime(2026, 3, 1, tzinfo=UTC))
    run, path = scan(template(leaf.pem))
    assert run.code == 1
    assert run.ids() == ["E9501", "E9504"]
    line = line_of(path, "CertificateBody")
    untrusted, expired = by_rule(run, "E9501")[0], by_rule(run, "E9504")[0]
    assert (untrusted["level"], untrusted["line"]) == ("error", line)
    assert "IAM server certificate 'ServerCertificate'" in untrusted["message"] and "self-signed" in untrusted["message"]
    assert (expired["line"], expired["file"]) == (line, str(path))
    assert "expired on 2026-03-01" in expired["message"]
    assert [step["role"] for step in expired["trace"]][-1] == "certificate"


def test_validity_is_judged_at_the_given_moment(scan):
    leaf = issue(HOST, sans=(HOST,), not_after=dt.datetime(2026, 3, 1, tzinfo=UTC))
    before, _ = scan(template(leaf.pem), "--at", "2026-02-10")
    assert before.ids() == ["E9501", "W9504"]
    assert "expires on 2026-03-01 (in 19 days)" in by_rule(before, "W9504")[0]["message"]
    narrow, _ = scan(template(leaf.pem), "--at", "2026-02-10", "--expiry-days", "7")
    assert narrow.ids() == ["E9501"]


def test_not_yet_valid(scan):
    leaf = issue(HOST, sans=(HOST,), not_before=dt.datetime(2026, 7, 1, tzinfo=UTC))
    run, _ = scan(template(leaf.pem))
    assert "not valid before 2026-07-01" in by_rule(run, "E9504")[0]["message"]


def test_private_ca_chain_is_untrusted(scan):
    root, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, path = scan(template(leaf.pem, pem_bundle(intermediate, root)))
    assert run.ids() == ["E9501"]
    assert "issued by a private CA" in run.findings[0]["message"]
    assert run.findings[0]["line"] == line_of(path, "CertificateBody")


def test_public_chain_is_trusted(scan, public_root):
    intermediate = issue("Example Public Issuing CA", issuer=public_root, ca=True)
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, _ = scan(template(leaf.pem, intermediate.pem))
    assert (run.code, run.findings) == (0, [])
    direct = issue(HOST, issuer=public_root, sans=(HOST,))
    run, _ = scan(template(direct.pem))  # issued by the root itself: nothing to chain
    assert (run.code, run.findings) == (0, [])


def test_a_root_that_only_borrows_a_public_name_is_private(scan, public_root):
    impostor = issue("Example Public Root", ca=True, slot=8)  # same subject, other key
    leaf = issue(HOST, issuer=impostor, sans=(HOST,))
    run, _ = scan(template(leaf.pem, impostor.pem))
    assert run.ids() == ["E9501"]


# ------------------------------------------------------------------------------------------- E9505


def test_chainless_ca_issued_certificate(scan):
    _, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, path = scan(template(leaf.pem))
    assert run.ids() == ["E9505"]  # not I9513 on top: the missing chain explains the unknown issuer
    assert "issued by a CA but no certificate chain is given" in run.findings[0]["message"]
    assert run.findings[0]["line"] == line_of(path, "ServerCertificate:")


def test_public_leaf_without_its_intermediate(scan, public_root):
    intermediate = issue("Example Public Issuing CA", issuer=public_root, ca=True)
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, _ = scan(template(leaf.pem))
    assert run.ids() == ["E9505"]


@pytest.mark.parametrize("order, expected", [
    ("reversed", "does not link to it"),
    ("unrelated", "does not link to it"),
    ("no root", "does not end at a root"),
])
def test_chain_that_does_not_reach_a_root(scan, order, expected):
    root, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    chain = {"reversed": pem_bundle(root, intermediate), "no root": intermediate.pem,
             "unrelated": issue("Someone Else CA", ca=True, slot=5).pem}[order]
    run, path = scan(template(leaf.pem, chain))
    assert run.ids() == ["E9505"]
    assert expected in run.findings[0]["message"]
    assert run.findings[0]["line"] == line_of(path, "CertificateChain")


def test_chain_only_known_at_deploy_time_is_unresolved_not_missing(scan):
    _, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, _path = scan(template(leaf.pem, chain_yaml="!Ref ChainFromPipeline"))
    assert run.ids() == ["I9513"]
    assert "ChainFromPipeline" in run.findings[0]["message"]


# ------------------------------------------------- below the trusted root: what Java's PKIX validation refuses


@pytest.mark.parametrize("window, expected", [
    ((dt.datetime(2020, 1, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC)), "expired on 2026-04-01"),
    ((dt.datetime(2026, 7, 1, tzinfo=UTC), dt.datetime(2030, 1, 1, tzinfo=UTC)), "is not valid before 2026-07-01"),
])
def test_an_intermediate_outside_its_validity_is_an_expired_chain(scan, public_root, window, expected):
    intermediate = issue("Example Public Issuing CA", issuer=public_root, ca=True, not_before=window[0],
                         not_after=window[1])
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, path = scan(template(leaf.pem, intermediate.pem))
    assert run.ids() == ["E9504"]
    finding = run.findings[0]
    assert finding["message"] == (f"the intermediate 'Example Public Issuing CA' in the chain of IAM server certificate "
                                  f"'ServerCertificate' {expected}; API Gateway (OrdersGet (GET /)) rejects the chain")
    assert finding["line"] == line_of(path, "CertificateChain")
    assert finding["fix"] == "Give the current intermediate chain of the certificate's CA in CertificateChain"


@pytest.mark.parametrize("flaw, options, expected", [
    ("not a CA", {"ca": False, "key_cert_sign": True},
     "the intermediate 'Example Public Issuing CA' is not a CA (no basicConstraints CA:TRUE)"),
    ("no keyCertSign", {"ca": True, "key_cert_sign": False},
     "the intermediate 'Example Public Issuing CA' may not sign certificates (keyUsage without keyCertSign)"),
])
def test_an_intermediate_that_may_not_issue_is_a_broken_chain(scan, public_root, flaw, options, expected):
    intermediate = issue("Example Public Issuing CA", issuer=public_root, slot=4, **options)
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, path = scan(template(leaf.pem, intermediate.pem))
    assert run.ids() == ["E9505"], flaw
    finding = run.findings[0]
    assert finding["message"] == (f"the chain of IAM server certificate 'ServerCertificate' cannot be validated: "
                                  f"{expected}; API Gateway (OrdersGet (GET /)) rejects it")
    assert finding["line"] == line_of(path, "CertificateChain")


def test_a_path_longer_than_an_intermediates_path_length_constraint(scan, public_root):
    policy = issue("Example Policy CA", issuer=public_root, ca=True, path_length=0, slot=4)
    issuing = issue("Example Issuing CA", issuer=policy, ca=True, slot=5)
    leaf = issue(HOST, issuer=issuing, sans=(HOST,))
    run, _ = scan(template(leaf.pem, pem_bundle(issuing, policy)))
    assert run.ids() == ["E9505"]
    assert ("the intermediate 'Example Policy CA' allows 0 intermediates below it (pathLenConstraint) but the chain "
            "has 1") in run.findings[0]["message"]
    within = issue("Example Policy CA", issuer=public_root, ca=True, path_length=1, slot=4)
    issuing = issue("Example Issuing CA", issuer=within, ca=True, slot=5)
    leaf = issue(HOST, issuer=issuing, sans=(HOST,))
    run, _ = scan(template(leaf.pem, pem_bundle(issuing, within)))
    assert (run.code, run.findings) == (0, [])


def test_the_trust_anchors_own_constraints_are_not_judged(scan, public_root, monkeypatch):
    """Java takes a trust anchor as a name and a key: a listed intermediate's pathLenConstraint or expiry is not
    part of the path it validates (ACM's issuing intermediates are on API Gateway's list)."""
    listed = issue("Example Listed Issuing CA", issuer=public_root, ca=True, path_length=0, slot=4,
                   not_after=dt.datetime(2026, 3, 1, tzinfo=UTC))
    monkeypatch.setattr(linter.truststore, "shipped",
                        lambda: TrustStore("API Gateway's published CA list (test copy)", [anchor_of(listed.certificate)]))
    leaf = issue(HOST, issuer=listed, sans=(HOST,))
    run, _ = scan(template(leaf.pem, listed.pem))
    assert (run.code, run.findings) == (0, [])


@pytest.mark.parametrize("purposes, expected", [
    ((ExtendedKeyUsageOID.CLIENT_AUTH,), "clientAuth"),
    ((ExtendedKeyUsageOID.CODE_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION), "codeSigning, emailProtection"),
    ((ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH), None),
    ((ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,), None),
    (None, None),  # no extended key usage: every purpose
])
def test_a_server_certificate_whose_extended_key_usage_excludes_servers(scan, public_root, purposes, expected):
    leaf = issue(HOST, issuer=public_root, sans=(HOST,), purposes=purposes)
    run, path = scan(template(leaf.pem))
    if expected is None:
        assert (run.code, run.findings) == (0, [])
        return
    assert run.ids() == ["E9522"]
    finding = run.findings[0]
    assert (finding["level"], finding["line"]) == ("error", line_of(path, "CertificateBody"))
    assert finding["message"] == (f"IAM server certificate 'ServerCertificate' is not for TLS servers: its extended "
                                  f"key usage allows {expected}, not serverAuth; API Gateway (OrdersGet (GET /)) "
                                  "rejects it")


def test_skip_verification_claims_nothing_about_intermediates_or_usage(scan):
    """insecureSkipVerification keeps expiry, host name and a root that may sign; what else it checks is not
    published, so no intermediate or EKU error is claimed on top of W9510."""
    root, _ = private_ca()
    intermediate = issue("Example Private Issuing CA", issuer=root, ca=False, key_cert_sign=True, slot=4,
                         not_after=dt.datetime(2026, 3, 1, tzinfo=UTC))
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,), purposes=(ExtendedKeyUsageOID.CLIENT_AUTH,))
    run, _ = scan(template(leaf.pem, pem_bundle(intermediate, root), skip=True))
    assert run.ids() == ["W9510"]


# ------------------------------------------------- issuers API Gateway's list holds by fingerprint only


def test_a_chainless_leaf_whose_issuer_may_be_a_listed_acm_intermediate_is_unknown(scan):
    """ACM's issuing intermediates are on API Gateway's list by fingerprint alone: a leaf one of them issued is
    accepted without its chain, so a leaf whose issuer names Amazon, given without a chain, is not claimed
    incomplete -- tlspath cannot tell (I9513)."""
    amazon = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Amazon"),
                        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Server CA 1B"),
                        x509.NameAttribute(NameOID.COMMON_NAME, "Amazon")])
    issuer = issue("Amazon", ca=True, subject=amazon, slot=6)  # named like ACM's issuer; tests cannot have its key
    leaf = issue(HOST, issuer=issuer, sans=(HOST,))
    run, path = scan(template(leaf.pem))
    assert run.ids() == ["I9513"]
    assert run.findings[0]["message"] == (
        "OrdersGet (GET /): cannot resolve the certificate: the issuer of the server certificate (CN=Amazon,OU=Server "
        "CA 1B,O=Amazon,C=US) is not given, and it may be amazon-ca-g4-acm1, which API Gateway's published CA list "
        "(2022-01-24) holds by fingerprint only")
    assert run.findings[0]["line"] == line_of(path, "CertificateBody")


def test_a_chainless_leaf_against_a_fingerprint_list_tlspath_cannot_place_is_unknown(scan, write):
    """A fingerprint tlspath knows no certificate for may be any issuer's: no E9505 is claimed."""
    _, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    store = write("store.txt", "Alias name: our-issuing-ca\n SHA256: " + "ab" * 32 + "\n")
    run, _ = scan(template(leaf.pem), "--trust-store", str(store))
    assert run.ids() == ["I9513"]
    assert "it may be our-issuing-ca, which the trust store" in run.findings[0]["message"]


# ---------------------------------------------------------------------------------- skip-verification


def test_skip_verification_accepts_a_private_root_that_can_sign(scan):
    root, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, _ = scan(template(leaf.pem, pem_bundle(intermediate, root), skip=True))
    assert run.ids() == ["W9510"]


def test_skip_verification_still_needs_keycertsign_on_the_private_root(scan):
    root, intermediate = private_ca(key_cert_sign=False)
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, _ = scan(template(leaf.pem, pem_bundle(intermediate, root), skip=True))
    assert run.ids() == ["E9505", "W9510"]
    assert "lacks basicConstraints CA:TRUE or keyUsage keyCertSign" in by_rule(run, "E9505")[0]["message"]


def test_skip_verification_does_not_excuse_expiry(scan):
    leaf = issue(HOST, sans=(HOST,), not_after=dt.datetime(2026, 3, 1, tzinfo=UTC))
    run, _ = scan(template(leaf.pem, skip=True))
    assert run.ids() == ["E9504", "W9510"]


# ------------------------------------------------------------------------------------------- E9503


def test_host_is_checked_against_the_real_sans(scan, public_root):
    leaf = issue(HOST, issuer=public_root, sans=("other.example.com",))  # CN matches, SANs do not
    run, path = scan(template(leaf.pem))
    assert run.ids() == ["E9503"]
    assert "presents certificates for other.example.com" in run.findings[0]["message"]
    assert run.findings[0]["line"] == line_of(path, "Uri:")


@pytest.mark.parametrize("cn, sans", [("*.example.com", ("*.example.com",)), (HOST, ())])
def test_wildcard_san_and_bare_common_name_cover_the_host(scan, public_root, cn, sans):
    leaf = issue(cn, issuer=public_root, sans=sans)
    run, _ = scan(template(leaf.pem))
    assert run.findings == []


# ------------------------------------------------------------------------------------------- W9514


def test_rsa_4096_on_an_nlb_may_not_be_accepted(scan, public_root):
    leaf = issue(HOST, issuer=public_root, sans=(HOST,), algorithm="RSA-4096")
    run, _ = scan(template(leaf.pem))
    assert run.ids() == ["W9514"]
    assert "has key type RSA-4096" in run.findings[0]["message"] and "may not be" in run.findings[0]["message"]


@pytest.mark.parametrize("algorithm", ["RSA-2048", "RSA-3072", "EC-P256"])
def test_key_types_nlb_documents_since_2024_are_fine(scan, public_root, algorithm):
    leaf = issue(HOST, issuer=public_root, sans=(HOST,), algorithm=algorithm)
    run, _ = scan(template(leaf.pem))
    assert (run.code, run.findings) == (0, [])


def test_a_key_algorithm_no_certificate_can_have_is_no_internal_error(tlspath, write):
    """A requested key algorithm with more digits than Python turns into a number (ACM refuses it anyway)."""
    sample = (SAMPLES / "cloudformation" / "bad" / "e9508-tls13-only-policy.yaml").read_text()
    path = write("stack.yaml", edit(sample, {"ValidationMethod: DNS": f"ValidationMethod: DNS\n      KeyAlgorithm: "
                                                                     f"RSA_{'9' * 5000}"}))
    run = tlspath(str(path), "--format", "json")
    assert (run.report["errors"], run.ids()) == ([], ["E9508"])


# ------------------------------------------------------------------------------------ odd encodings


def _odd_bodies():
    _, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    pem = leaf.pem
    lines = pem.strip().splitlines()
    return {
        "DER by mistake": (_block(base64.encodebytes(leaf.der).decode()), "base64 DER without PEM armour"),
        "base64 of the PEM": (_block(base64.encodebytes(pem.encode()).decode()), "base64-encoded PEM text"),
        "several certificates": (_block(pem_bundle(leaf, intermediate)), "holds 2 certificates"),
        "garbage between blocks": (_block(leaf.pem + "Bag Attributes\n    friendlyName: orders\n" + intermediate.pem),
                                   "text outside its PEM blocks ('Bag Attributes friendlyName: orders')"),
        "truncated base64": (_block("\n".join([*lines[:6], lines[6][:23], *lines[-1:]])),
                             "not valid base64 (truncated or corrupted)"),
        "cut off": (_block("\n".join(lines[:6])), "has no END line (truncated?)"),
        "literal newlines": ("'" + pem.strip().replace("\n", "\\n") + "'", "literal \\n sequences"),
        "folded block": (">\n" + textwrap.indent(pem, " " * 8).rstrip("\n"), "lines joined by spaces"),
        "a signing request": (_block("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"),
                              "CERTIFICATE REQUEST material, not a CERTIFICATE"),
        "no PEM at all": ("TODO-paste-certificate-here", "holds no PEM certificate"),
    }


ODD = _odd_bodies()


@pytest.mark.parametrize("case", ODD)
def test_odd_encodings_get_a_clear_message_not_a_verdict(scan, case):
    body, expected = ODD[case]
    run, path = scan(template(body))
    assert_clean_run(run)
    assert run.ids() == ["I9513"]
    finding = run.findings[0]
    assert expected in finding["message"]
    assert finding["message"].startswith("OrdersGet (GET /): cannot resolve the certificate: the certificate body")
    assert finding["line"] == line_of(path, "CertificateBody")
    assert run.code == 0  # info only: the run goes on, exit code follows --fail-level


def test_many_broken_blocks_make_one_bounded_message(scan):
    run, _ = scan(template("-----BEGIN CERTIFICATE-----\nMIIB\n" * 5000))
    message = run.findings[0]["message"]
    assert "the CERTIFICATE block 1 has no END line" in message and "and 4997 more problems" in message
    assert len(message) < 500


def test_private_key_pasted_as_the_body(scan):
    key = issue(HOST, sans=(HOST,)).key_pem
    run, _path = scan(template(key))
    assert_clean_run(run)
    assert run.ids() == ["E9512", "I9513"]
    assert "RSA PRIVATE KEY material, not a CERTIFICATE" in by_rule(run, "I9513")[0]["message"]


def test_odd_chain_is_named_as_the_chain(scan):
    root, intermediate = private_ca()
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    run, _ = scan(template(leaf.pem, pem_bundle(leaf, intermediate, root)))
    assert run.ids() == ["I9513"]
    assert "the certificate chain repeats the server certificate" in run.findings[0]["message"]


def test_binary_der_from_a_file_is_named():
    """Terraform's file() can hand over a DER file's bytes: the message says what it is."""
    facts = linter.certs.facts_from_pem(issue(HOST).der)
    assert facts.trust.reason == ("the certificate body is binary data, not PEM text (DER-encoded? convert it with: "
                                  "openssl x509 -inform der -outform pem)")


def test_text_report_shows_the_message_on_one_line(tlspath, write):
    path = write("stack.yaml", template(ODD["several certificates"][0]))
    run = tlspath(str(path), *AT_ARG)
    place = f"{path}:{line_of(path, 'CertificateBody')}:{column_of(path, 'CertificateBody')}:"
    assert (f"{place} I9513  info     OrdersGet (GET /): cannot resolve the certificate: the certificate body holds 2 "
            "certificates") in run.out


# ---------------------------------------------------------------------------- real public chains
# tests/fixtures/public_chains/README.md says where each certificate comes from; all are real CA signatures.

CHAINS = ROOT / "tests" / "fixtures" / "public_chains"


def real(*names: str) -> str:
    return "".join((CHAINS / name).read_text() for name in names)


def listed_fingerprint(alias: str) -> str:
    document = json.loads((ROOT / "linter" / "data" / "apigw-trust-store.json").read_text())
    return next(entry["sha256"] for entry in document["entries"] if alias in entry["aliases"])


def test_a_root_on_api_gateways_list_that_mozilla_dropped_is_trusted(scan):
    assert not any(a.name == "GeoTrust Global CA" for a in linter.truststore.mozilla().anchors)
    run, _ = scan(template(real("cryptography.io.pem"), real("rapidssl-sha256-ca-g3.pem"), host="www.cryptography.io"),
                  "--at", "2016-06-01")
    assert run.ids() == ["W9514"]  # trusted; only its RSA-4096 key may trouble an NLB


def test_a_real_certificate_without_its_intermediate(scan):
    run, _ = scan(template(real("cryptography.io.pem"), host="www.cryptography.io"), "--at", "2016-06-01")
    assert run.ids() == ["E9505", "W9514"]
    assert "issued by a CA but no certificate chain is given" in run.findings[0]["message"]


def test_a_complete_chain_to_an_old_listed_root_is_trusted_for_who_the_root_is(scan):
    """The root signs itself with SHA-1, which once made this E9505; the SHA-1 leaf and intermediate may fail."""
    run, _ = scan(template(real("secure.comodo.com.pem"), real("comodo-ev-ca-and-root.pem"), host="secure.comodo.com"),
                  "--at", "2012-06-01")
    assert run.ids() == ["W9505"]
    finding = run.findings[0]
    assert finding["level"] == "warning"
    assert ("has weak signatures below COMODO Certification Authority: the server certificate (SHA-1), the "
            "intermediate 'COMODO Extended Validation Secure Server CA' (SHA-1); Java runtimes like API Gateway's may "
            "refuse them") in finding["message"]


def test_a_reissued_root_is_recognised_by_subject_and_key(scan, write):
    """The chain ends at GlobalSign Root CA - R2 as cross-signed by R1: not the listed certificate (another
    fingerprint), the same subject and key. Known by fingerprint only, the chain would not reach a root."""
    chain = real("globalsign-ev-g2-and-r2-cross-signed.pem")
    reissued = x509.load_pem_x509_certificates(chain.encode())[1]
    assert linter.truststore.fingerprint(reissued) != listed_fingerprint("globalsignr2ca")
    body = template(real("www.globalsign.com.pem"), chain, host="www.globalsign.com")
    run, _ = scan(body, "--at", "2013-03-01")
    assert run.ids() == ["W9505"]  # trusted; its SHA-1 leaf and intermediate are what may fail
    only_fingerprints = write("fingerprints.txt", f"{listed_fingerprint('globalsignr2ca')}\n")
    run, _ = scan(body, "--at", "2013-03-01", "--trust-store", str(only_fingerprints))
    assert run.ids() == ["W9505"]  # the fingerprint is R2's: its subject and key are known, so the re-issue is R2


def test_a_fingerprint_list_recognises_a_listed_root_the_chain_stops_below(scan, write):
    """Servers rarely send the root: a listed fingerprint whose certificate tlspath knows (the shipped list's,
    Mozilla's bundle) brings that certificate's subject and key, so the chain reaches it as with the shipped
    list -- not 'does not end at a root' (E9505), nor 'the trust store does not hold it' (W9501)."""
    body = template(real("cryptography.io.pem"), real("rapidssl-sha256-ca-g3.pem"), host="www.cryptography.io")
    geotrust = write("geotrust.txt", f"Alias name: geotrustglobalca\n SHA256: {listed_fingerprint('geotrustglobalca')}\n")
    run, _ = scan(body, "--at", "2016-06-01", "--trust-store", str(geotrust))
    assert run.ids() == ["W9514"]  # trusted, as with the shipped list
    store = write("isrg.txt", f"{listed_fingerprint('isrgrootx1')}\n")
    run, _ = scan(template(real("letsencrypt-authority-x1.pem")), "--at", "2018-01-01", "--trust-store", str(store))
    assert run.ids() == ["E9503"]  # trusted (the stand-in leaf is a CA certificate, named for no host)


def test_a_root_only_in_mozillas_bundle_is_a_warning(scan, write):
    store = write("listed.txt", f"# only GeoTrust Global CA\n{listed_fingerprint('geotrustglobalca')}\n")
    run, _ = scan(template(real("letsencrypt-authority-x1.pem"), real("isrg-root-x1.pem")),
                  "--at", "2018-01-01", "--trust-store", str(store))
    assert run.ids() == ["E9503", "W9501"]  # E9503: the stand-in leaf is a CA certificate, named for no host
    warning = by_rule(run, "W9501")[0]
    assert warning["level"] == "warning"
    assert (f"chains to ISRG Root X1, which Mozilla's CA bundle holds but the trust store {store} does not; API "
            "Gateway (OrdersGet (GET /)) may reject it") in warning["message"]


def test_a_root_on_neither_list_is_untrusted(scan):
    run, _ = scan(template(real("www.cacert.org.pem"), real("cacert-root.pem"), host="www.cacert.org"),
                  "--at", "2013-06-01")
    assert run.ids() == ["E9501"]
    assert "issued by a private CA" in run.findings[0]["message"]


# ------------------------------------------------------------------------------------- trust store


def test_the_shipped_list_is_api_gateways_with_its_source_and_date():
    document = json.loads((ROOT / "linter" / "data" / "apigw-trust-store.json").read_text())
    assert (document["published"], document["fingerprints"], len(document["entries"])) == ("2022-01-24", 247, 247)
    assert document["source"].endswith("/api-gateway-supported-certificate-authorities-for-http-endpoints.html")
    backed = [entry for entry in document["entries"] if "spki" in entry]
    assert len(backed) == document["backed_by_a_certificate"] == 227
    assert all(entry["found_in"].startswith(("certifi ", "SSLyze 1.4.3 ")) for entry in backed)
    unbacked = {entry["name"]: entry["organizations"] for entry in document["entries"] if "spki" not in entry}
    assert all(unbacked.values())  # each names who it may be, so a chainless leaf of anyone else is judged
    assert unbacked["amazon-ca-g4-acm1"][0] == "Amazon"
    names = {anchor.name for anchor in linter.truststore.shipped().anchors}
    assert {"Amazon Root CA 1", "ISRG Root X1", "DigiCert Global Root CA", "Baltimore CyberTrust Root"} <= names
    listing = SHARED / "domain" / "apigw-trusted-cas.md"
    if listing.exists():
        published = {digest for _, digest in linter.truststore.read_fingerprint_list(
            listing.read_text().split("```")[1], "apigw-trusted-cas.md")}
        assert published == {entry["sha256"] for entry in document["entries"]}


def test_mozilla_reissues_of_listed_roots_count_as_listed():
    """GTS Root R1/R3/R4 and others are in certifi as re-issues: another certificate, the same subject and key."""
    shipped, fingerprints = linter.truststore.shipped(), {a.fingerprint for a in linter.truststore.shipped().anchors}
    reissued = {anchor.name for anchor in linter.truststore.mozilla().anchors if anchor.fingerprint not in fingerprints
                and any(a.spki == anchor.spki for a in shipped.issuers_named(anchor.subject or b""))}
    assert {"GTS Root R1", "GTS Root R3", "GTS Root R4"} <= reissued


def test_a_fingerprint_list_as_copied_from_api_gateways_page(scan, write):
    """Fingerprints recognise the certificates a chain carries: here the COMODO root at its end."""
    root = x509.load_pem_x509_certificates(real("comodo-ev-ca-and-root.pem").encode())[1]
    digest = linter.truststore.fingerprint(root)
    store = write("apigw.txt", f"""
        Alias name: comodo-2011
        \t SHA1: 66:31:BF:9E:F7:4F:9E:B6:C9:D5:A6:0C:BA:6A:BE:D1:F7:BD:EF:7B
        \t SHA256: {':'.join(digest[i:i + 2] for i in range(0, 64, 2)).upper()}
        """)
    body = template(real("secure.comodo.com.pem"), real("comodo-ev-ca-and-root.pem"), host="secure.comodo.com")
    trusted, _ = scan(body, "--at", "2012-06-01", "--trust-store", str(store))
    assert trusted.ids() == ["W9505"]
    assert "below comodo-2011:" in trusted.findings[0]["message"]  # named as the list names it
    other = write("other.pem", real("isrg-root-x1.pem"))
    replaced, _ = scan(body, "--at", "2012-06-01", "--trust-store", str(other))
    assert replaced.ids() == ["E9501"]  # the COMODO root is in neither the file nor Mozilla's bundle: a private CA


@pytest.mark.parametrize("content, expected", [
    (None, "No such file or directory"),
    ("", "holds no PEM certificate and no SHA-256 fingerprint"),
    ("# roots\nff856a2d\n", ":2: not a SHA-256 fingerprint or PEM certificate ('ff856a2d')"),
    ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "not a readable PEM bundle"),
    (b"\xfe\xed\xfe\xed\x00\x00\x00\x02", "a Java keystore? export it with keytool -list -rfc"),
])
def test_a_bad_trust_store_is_a_usage_error_on_one_line(tlspath, tmp_path, content, expected):
    store = tmp_path / "store"
    if isinstance(content, bytes):
        store.write_bytes(content)
    elif content is not None:
        store.write_text(content)
    run = tlspath(str(SAMPLES), "--trust-store", str(store))
    assert run.code == 2 and run.out == ""
    assert run.err.count("\n") == 1 and run.err.startswith(f"tlspath: error: --trust-store {store}")
    assert expected in run.err


# ---------------------------------------------------------------------------------------- robustness


def test_every_pem_in_the_corpus_reads_without_a_traceback():
    corpus = SHARED / "corpus"
    if not corpus.exists():
        pytest.skip("../shared/corpus is absent")
    seen = 0
    for path in corpus.rglob("*"):
        if path.suffix not in (".tf", ".yaml", ".yml", ".json", ".pem", ".crt", ".template") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "-----BEGIN CERTIFICATE-----" in text:
            facts = linter.certs.facts_from_pem(text)
            seen += 1
            assert facts.trust is not None
    assert seen > 0
