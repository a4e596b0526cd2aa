"""Derive ``linter/data/apigw-trust-store.json`` from API Gateway's published CA list and public certificates.

    python tools/derive_trust_store.py [../shared/domain/apigw-trusted-cas.md]

API Gateway's list (kept verbatim in ``apigw-trusted-cas.md`` with where and when it was read) gives aliases and
SHA-256 fingerprints only. Recognising a re-issued root (same subject and key, new fingerprint) and checking the
signature of a chain that stops below a listed root need each listed certificate's subject and public key, so
this script looks the fingerprints up among public CA certificates and keeps, per fingerprint, the subject
(DER, and its common name for messages), the SubjectPublicKeyInfo and where the certificate was found.
Fingerprints no public certificate here backs stay fingerprint-only: a chain certificate still matches them
exactly.

The certificates read are Mozilla's CA bundle as released in old certifi versions, fetched with ``pip
download`` from PyPI (each file is checked by pip against PyPI's hash). These three releases together back
every fingerprint that any of the following backs (checked 2026-11-30): 27 certifi releases from 0.0.8 to
2026.10.19, botocore's bundle, Debian's ca-certificates and the Java 17 ``cacerts`` built from it.
Nothing else is read; no private key is involved. The output is deterministic for the same inputs.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.truststore import (
    FORMAT,
    SHIPPED,
    VERSION,
    pem_certificates,
    common_name,
    fingerprint,
    public_key_info,
    read_fingerprint_list,
)

CERTIFI_RELEASES = ("1.0.1", "2015.4.28", "2020.12.5")  # the oldest bundles that back the most fingerprints
LIVE_PAGE = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/"
             "api-gateway-supported-certificate-authorities-for-http-endpoints.html")
_HEADER = re.compile(r"repository (?P<repo>\S+), file\s+(?P<file>\S+) at commit\s+(?P<commit>[0-9a-f]{40}) "
                     r"\((?P<date>\d{4}-\d\d-\d\d).*?Retrieved (?P<retrieved>\d{4}-\d\d-\d\d)", re.DOTALL)


def listed(text: str) -> dict[str, list[str]]:
    """Aliases per SHA-256 fingerprint, from the list's code block."""
    block = text.split("```", 2)[1]
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, digest in read_fingerprint_list(block, "apigw-trusted-cas.md"):
        aliases[digest].append(alias or digest)
    return aliases


def public_certificates(folder: Path) -> dict[str, tuple[object, str]]:
    """Every certificate of the certifi releases, by fingerprint, with where it was found (first wins)."""
    found: dict[str, tuple[object, str]] = {}
    for version in CERTIFI_RELEASES:
        dest = folder / version
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        "--dest", str(dest), f"certifi=={version}"], check=True)
        wheel = next(dest.glob("certifi-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            for member in sorted(n for n in archive.namelist() if n.endswith(".pem")):
                for certificate in pem_certificates(archive.read(member)):
                    found.setdefault(fingerprint(certificate), (certificate, f"certifi {version} (PyPI): {member}"))
    return found


def derive(list_path: Path) -> dict:
    text = list_path.read_text(encoding="utf-8")
    header = _HEADER.search(text)
    if header is None:
        raise SystemExit(f"{list_path}: the comment saying where the list comes from is missing")
    aliases = listed(text)
    with tempfile.TemporaryDirectory() as folder:
        certificates = public_certificates(Path(folder))
    entries = []
    for digest, names in sorted(aliases.items(), key=lambda item: item[1][0]):
        entry: dict = {"sha256": digest, "aliases": names, "name": names[0]}
        if digest in certificates:
            certificate, where = certificates[digest]
            entry.update(name=common_name(certificate), subject=base64.b64encode(
                certificate.subject.public_bytes()).decode(), spki=base64.b64encode(
                public_key_info(certificate)).decode(), found_in=where)
        entries.append(entry)
    backed = sum("spki" in entry for entry in entries)
    return {
        "format": FORMAT, "version": VERSION,
        "published": header["date"],
        "source": LIVE_PAGE,
        "text": f"{header['repo']} {header['file']} at {header['commit']} ({header['date']}), read {header['retrieved']}",
        "derived_by": "tools/derive_trust_store.py",
        "fingerprints": len(entries), "backed_by_a_certificate": backed,
        "entries": entries,
    }


def main() -> None:
    list_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/domain/apigw-trusted-cas.md"
    document = derive(list_path)
    out = ROOT / "linter" / "data" / SHIPPED
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {document['fingerprints']} fingerprints, "
          f"{document['backed_by_a_certificate']} backed by a certificate")


if __name__ == "__main__":
    main()
