"""Mint the certificates the CloudFormation certificate samples carry, and write them into the samples.

    /work/venv/bin/python tests/make_sample_certificates.py

Each sample holds hand-written YAML; this script only replaces the ``CertificateBody: |`` /
``CertificateChain: |`` blocks it names. Dates are fixed, so the findings do not move with the calendar (the
expired one stays expired; the others stay valid until 2035). Private keys are generated, used to sign and
thrown away -- the samples reference a Secrets Manager secret for the key, as a real template should.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cryptography.x509.oid import ExtendedKeyUsageOID
from pki import UTC, issue, pem_bundle

BAD = Path(__file__).resolve().parent.parent / "samples" / "cloudformation" / "bad"


def day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def samples() -> dict[str, dict[str, str]]:
    """sample file -> {property: PEM text}."""
    org = {"organization": "Example Corp"}
    expired = issue("inventory.example.com", sans=("inventory.example.com",), not_before=day("2023-02-01"),
                    not_after=day("2024-01-31"), **org)
    root = issue("Example Root CA", ca=True, not_before=day("2024-01-01"), not_after=day("2044-01-01"), **org)
    issuing = issue("Example Issuing CA 1", issuer=root, ca=True, not_before=day("2024-01-01"),
                    not_after=day("2036-01-01"), **org)
    billing = issue("billing.example.com", issuer=issuing, sans=("billing.example.com",),
                    not_before=day("2025-06-01"), not_after=day("2035-06-01"), **org)
    home_root = issue("Claims Home-made Root", ca=True, key_cert_sign=False, slot=3, not_before=day("2025-01-01"),
                      not_after=day("2045-01-01"), **org)
    claims = issue("claims.corp.example.internal", issuer=home_root, sans=("claims.corp.example.internal",),
                   not_before=day("2025-06-01"), not_after=day("2035-06-01"), **org)
    payments = issue("payments.example.com", issuer=issuing, sans=("payments.example.com",),
                     not_before=day("2025-06-01"), not_after=day("2035-06-01"),
                     purposes=(ExtendedKeyUsageOID.CLIENT_AUTH,), **org)
    return {
        "e9504-expired-self-signed-iam-certificate.yaml": {"CertificateBody": expired.pem},
        "e9522-client-certificate-as-server-certificate.yaml": {"CertificateBody": payments.pem,
                                                                "CertificateChain": pem_bundle(issuing, root)},
        "e9505-chainless-iam-certificate.yaml": {"CertificateBody": billing.pem},
        "e9505-private-root-without-keycertsign.yaml": {"CertificateBody": claims.pem,
                                                        "CertificateChain": pem_bundle(home_root)},
    }


def replace_block(text: str, prop: str, pem: str) -> str:
    """Replace the literal block scalar under ``prop: |`` with ``pem``, keeping its indentation."""
    match = re.search(rf"^(?P<indent> *){prop}: \|\n(?P<block>(?:(?P=indent)  .*\n)+)", text, re.MULTILINE)
    if match is None:
        raise SystemExit(f"no '{prop}: |' block found")
    inner = match.group("indent") + "  "
    block = "".join(inner + line + "\n" for line in pem.strip("\n").splitlines())
    return text[:match.start("block")] + block + text[match.end("block"):]


def main() -> None:
    for name, blocks in samples().items():
        path = BAD / name
        text = path.read_text(encoding="utf-8")
        for prop, pem in blocks.items():
            text = replace_block(text, prop, pem)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
