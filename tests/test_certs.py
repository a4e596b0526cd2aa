"""Certificates a CloudFormation template carries (AWS::IAM::ServerCertificate), judged the way API Gateway
will: self-signed / private / untrusted (E9501), host names (E9503), validity at --at (E9504), expiry soon
(W9504), chains (E9505), key type on an NLB (W9514), skip-verification (W9510). Every certificate is minted
here with fixed dates (tests/pki.py); tlspath runs with --at 2026-06-01.
"""

from __future__ import annotations

import base64
import datetime as dt
import textwrap
import warnings

import pytest

import linter.certs
from conftest import SHARED, line_of
from pki import AT, UTC, issue, pem_bundle, private_ca
from tls_stack import HOST, api_path, stack

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
def public_root(monkeypatch, tmp_path):
    """A root the trust store holds, standing in for a public CA: tests cannot sign with a real one's key."""
    root = issue("Example Public Root", ca=True, slot=7, not_before=dt.datetime(2020, 1, 1, tzinfo=UTC),
                 not_after=dt.datetime(2040, 1, 1, tzinfo=UTC))
    bundle = tmp_path / "store.pem"
    bundle.write_text(root.pem)
    monkeypatch.setattr(linter.certs, "trust_store_path", lambda: str(bundle))
    linter.certs._roots.cache_clear()
    yield root
    linter.certs._roots.cache_clear()


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
    run, path = scan(template(leaf.pem, chain_yaml="!Ref ChainFromPipeline"))
    assert run.ids() == ["I9513"]
    assert "ChainFromPipeline" in run.findings[0]["message"]


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


@pytest.mark.parametrize("algorithm, shown", [("RSA-4096", "RSA-4096"), ("EC-P256", "EC-secp256r1")])
def test_key_type_an_nlb_may_not_accept(scan, public_root, algorithm, shown):
    leaf = issue(HOST, issuer=public_root, sans=(HOST,), algorithm=algorithm)
    run, _ = scan(template(leaf.pem))
    assert run.ids() == ["W9514"]
    assert shown in run.findings[0]["message"] and "may not accept" in run.findings[0]["message"]


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
        "truncated base64": (_block("\n".join(lines[:6] + [lines[6][:23]] + lines[-1:])),
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
    run, path = scan(template(key))
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
    assert f"{line_of(path, 'CertificateBody'):>7}  I9513  info     OrdersGet (GET /): cannot resolve the certificate: " \
           "the certificate body holds 2 certificates" in run.out


# ------------------------------------------------------------------------------------- trust store


def test_trust_store_is_certifis_mozilla_bundle():
    import certifi

    assert linter.certs.trust_store_path() == certifi.where()


def test_trust_store_holds_the_roots_acm_and_lets_encrypt_chain_to():
    from cryptography import x509

    with open(linter.certs.trust_store_path(), "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few Mozilla roots have negative serial numbers
        names = {c.subject.rfc4514_string() for c in x509.load_pem_x509_certificates(handle.read())}
    assert "CN=Amazon Root CA 1,O=Amazon,C=US" in names
    assert "CN=ISRG Root X1,O=Internet Security Research Group,C=US" in names


def test_without_a_trust_store_public_trust_is_unknown_not_guessed(scan, monkeypatch):
    monkeypatch.setattr(linter.certs, "trust_store_path", lambda: None)
    linter.certs._roots.cache_clear()
    try:
        root, intermediate = private_ca()
        leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
        run, _ = scan(template(leaf.pem, pem_bundle(intermediate, root)))
    finally:
        linter.certs._roots.cache_clear()
    assert run.ids() == ["I9513"]
    assert "no CA bundle is installed" in run.findings[0]["message"]


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
