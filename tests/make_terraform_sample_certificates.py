"""Mint the certificates the Terraform certificate samples carry, and write them into the samples.

    /work/venv/bin/python tests/make_terraform_sample_certificates.py

``e9505-imported-certificate-without-chain/main.tf`` keeps its hand-written HCL; only the heredoc after
``certificate_body = <<-EOT`` is replaced. ``e9501-private-ca-certificate-from-file/tls/`` gets the PEM files
its ``file()`` calls read. Dates are fixed and valid until 2035, so the findings do not move with the
calendar. Private keys are generated, used to sign and thrown away: the samples take the key from a
sensitive variable, as a real configuration should.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pki import UTC, issue, pem_bundle

BAD = Path(__file__).resolve().parent.parent / "samples" / "terraform" / "bad"


def day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def main() -> None:
    org = {"organization": "Example Corp"}
    root = issue("Example Corp Root CA", ca=True, not_before=day("2024-01-01"), not_after=day("2044-01-01"), **org)
    issuing = issue("Example Corp Issuing CA 2", issuer=root, ca=True, not_before=day("2024-01-01"),
                    not_after=day("2036-01-01"), **org)
    billing = issue("billing.example.com", issuer=issuing, sans=("billing.example.com",),
                    not_before=day("2025-06-01"), not_after=day("2035-06-01"), **org)
    shipping = issue("shipping.corp.example.com", issuer=issuing, sans=("shipping.corp.example.com",),
                     not_before=day("2025-06-01"), not_after=day("2035-06-01"), **org)

    chainless = BAD / "e9505-imported-certificate-without-chain" / "main.tf"
    text = chainless.read_text(encoding="utf-8")
    match = re.search(r"^(?P<indent> *)certificate_body = <<-EOT\n(?P<body>.*?)^(?P=indent)EOT\n", text, re.MULTILINE | re.DOTALL)
    if match is None:
        raise SystemExit(f"no certificate_body heredoc in {chainless}")
    inner = match.group("indent") + "  "
    body = "".join(inner + line + "\n" for line in billing.pem.strip("\n").splitlines())
    chainless.write_text(text[:match.start("body")] + body + text[match.end("body"):], encoding="utf-8")
    print(f"wrote {chainless}")

    folder = BAD / "e9501-private-ca-certificate-from-file" / "tls"
    folder.mkdir(exist_ok=True)
    for name, pem in (("shipping.crt", shipping.pem), ("corp-chain.pem", pem_bundle(issuing, root))):
        (folder / name).write_text(pem, encoding="utf-8")
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main()
