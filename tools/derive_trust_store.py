"""Derive ``linter/data/apigw-trust-store.json`` from API Gateway's published CA list and public certificates.

    python tools/derive_trust_store.py [../shared/domain/apigw-trusted-cas.md]

API Gateway's list (kept verbatim in ``apigw-trusted-cas.md`` with where and when it was read) gives aliases and
SHA-256 fingerprints only. Recognising a re-issued root (same subject and key, new fingerprint) and checking the
signature of a chain that stops below a listed root need each listed certificate's subject and public key, so
this script looks the fingerprints up among public CA certificates and keeps, per fingerprint, the subject
(DER, and its common name for messages), the SubjectPublicKeyInfo and where the certificate was found.
Fingerprints no public certificate here backs stay fingerprint-only: a chain certificate still matches them
exactly.

The certificates read are Mozilla's CA bundle as released in old certifi versions, and the trust stores of
Apple, Google, Microsoft, Mozilla and Oracle's Java that SSLyze 1.4.3 ships as data, fetched with ``pip
download`` from PyPI (each file is checked by pip against PyPI's hash). The certifi releases together back
every fingerprint that any of the following backs (checked 2026-11-30): 27 certifi releases from 0.0.8 to
2026.10.19, botocore's bundle, Debian's ca-certificates and the Java 17 ``cacerts`` built from it. SSLyze's
stores back 17 more -- old VeriSign, Thawte, Equifax, UTN and Certplus roots that Java's ``cacerts`` kept
(SSLyze 2.x to 6.x back a subset of them). Nothing else is read; no private key is involved. The output is
deterministic for the same inputs.

The fingerprints still backed by no certificate (ACM's issuing intermediates, Amazon-internal CAs, a few
S/MIME roots) carry the organisations their subject names: a certificate whose issuer is not given and
whose issuer's organisation is one of them may have been issued by that listed certificate, which tlspath
then says it cannot tell (I9513) rather than calling the chain incomplete.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import tarfile
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
SSLYZE_RELEASE = "1.4.3"  # its pem_files/ hold the most of Java's old roots among SSLyze releases
# Organisations (subject O=) of the listed certificates no public certificate backs, by alias prefix: ACM's
# issuing intermediates and Amazon's internal CAs name Amazon (Amazon Root CA 1: "O=Amazon"; ACM's issuers:
# "CN=Amazon, OU=Server CA 1B, O=Amazon"; the internal ones "O=Amazon.com"); the rest are the CAs their
# aliases name, as their sibling roots on the list spell them.
UNBACKED_ORGANIZATIONS = (
    (("amazon", "amzn", "cia-crt", "deprecateditsecca"), ("Amazon", "Amazon.com", "Amazon.com Inc.",
                                                          "Amazon.com, Inc.")),
    (("gd_bundle",), ("GoDaddy.com, Inc.", "The Go Daddy Group, Inc.")),
    (("sonera",), ("Sonera",)),
    (("thawte",), ("Thawte Consulting", "Thawte Consulting cc", "thawte, Inc.")),
    (("trustcenter",), ("TC TrustCenter for Security in Data Networks GmbH", "TC TrustCenter GmbH")),
    (("verisign",), ("VeriSign, Inc.",)),
)
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


def sslyze_certificates(folder: Path) -> dict[str, tuple[object, str]]:
    """Every certificate of the trust stores SSLyze ships as data, by fingerprint, with where it was found."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "--dest", str(folder), f"sslyze=={SSLYZE_RELEASE}"], check=True)
    found: dict[str, tuple[object, str]] = {}
    with tarfile.open(next(folder.glob("[Ss][Ss][Ll]yze-*.tar.gz"))) as archive:
        for member in sorted((m for m in archive.getmembers() if "/pem_files/" in m.name and m.name.endswith(".pem")),
                             key=lambda m: m.name):
            inside = member.name.split("/", 1)[1]
            handle = archive.extractfile(member)
            for certificate in pem_certificates(handle.read() if handle else b""):
                found.setdefault(fingerprint(certificate), (certificate, f"SSLyze {SSLYZE_RELEASE} (PyPI): {inside}"))
    return found


def organizations(alias: str) -> list[str]:
    """The organisations a listed certificate known by fingerprint only may name in its subject."""
    return next((list(names) for prefixes, names in UNBACKED_ORGANIZATIONS if alias.startswith(prefixes)), [])


def derive(list_path: Path) -> dict:
    text = list_path.read_text(encoding="utf-8")
    header = _HEADER.search(text)
    if header is None:
        raise SystemExit(f"{list_path}: the comment saying where the list comes from is missing")
    aliases = listed(text)
    with tempfile.TemporaryDirectory() as folder:
        certificates = public_certificates(Path(folder))
        for digest, found in sslyze_certificates(Path(folder) / "sslyze").items():
            certificates.setdefault(digest, found)
    entries = []
    for digest, names in sorted(aliases.items(), key=lambda item: item[1][0]):
        entry: dict = {"sha256": digest, "aliases": names, "name": names[0]}
        if digest in certificates:
            certificate, where = certificates[digest]
            entry.update(name=common_name(certificate), subject=base64.b64encode(
                certificate.subject.public_bytes()).decode(), spki=base64.b64encode(
                public_key_info(certificate)).decode(), found_in=where)
        else:
            entry["organizations"] = organizations(names[0])
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
