"""Trust stores: the certificate authorities API Gateway accepts, and Mozilla's bundle to compare with.

API Gateway does not trust Mozilla's CA bundle. It publishes its own list for HTTP, HTTP proxy and private
integrations -- a Java-keystore listing of aliases and SHA-256 fingerprints, roots and ACM's issuing
intermediates alike (fact-updates-2026-11.md §1). tlspath ships that list as package data
(``linter/data/apigw-trust-store.json``, derived by ``tools/derive_trust_store.py``): every listed fingerprint,
and for each one backed by a public certificate its subject and public key, so that

* a chain certificate is recognised by its fingerprint **or** by subject + public key (a re-issued root with new
  dates -- GTS Root R1, GlobalSign ECC Root CA - R4 -- is the same root), and
* a chain that stops below a listed root (servers rarely send the root) is recognised by checking the top
  certificate's signature with that root's key -- a private CA that borrows a public root's name is not.

``--trust-store FILE`` replaces the shipped list with a PEM bundle or a fingerprint list, for when AWS updates
theirs. Mozilla's bundle (certifi) no longer decides trust: a chain only it vouches for is a warning (W9501).
"""

from __future__ import annotations

import functools
import json
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.files import Unreadable, read_bounded

if TYPE_CHECKING:
    from cryptography import x509

SHIPPED = "apigw-trust-store.json"
MAX_TRUST_STORE_BYTES = 16 << 20
FORMAT, VERSION = "tlspath-trust-store", 1
_FINGERPRINT = re.compile(r"(?:SHA-?256:\s*)?((?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2})", re.IGNORECASE)
_ALIAS = re.compile(r"Alias name:\s*(\S.*)")
_SKIPPED = re.compile(r"(#|SHA1:|```)", re.IGNORECASE)  # comments; SHA-1 lines and fences of the AWS page


class TrustStoreError(ValueError):
    """A trust store file that cannot be used, worded as one line for the user."""


@dataclass(frozen=True)
class Anchor:
    """One certificate a trust store accepts. ``subject`` (DER) and ``spki`` (DER SubjectPublicKeyInfo) are
    ``None`` when only its fingerprint is known."""

    name: str  # for messages: the subject's common name, else the alias
    fingerprint: str | None = None  # SHA-256 of the certificate, lower-case hex
    subject: bytes | None = None
    spki: bytes | None = None
    organizations: tuple[str, ...] = ()  # known by fingerprint only: the organisations its subject may name


class TrustStore:
    """Anchors indexed the two ways a chain certificate is recognised: fingerprint, and subject + key."""

    def __init__(self, description: str, anchors: list[Anchor]):
        self.description = description  # "API Gateway's published CA list (2022-01-24)", for messages
        self.anchors = tuple(anchors)
        self._by_fingerprint = {a.fingerprint: a for a in anchors if a.fingerprint}
        self._by_subject: dict[bytes, list[Anchor]] = defaultdict(list)
        for anchor in anchors:
            if anchor.subject is not None and anchor.spki is not None:
                self._by_subject[anchor.subject].append(anchor)
        self._unbacked = tuple(anchor for anchor in anchors if anchor.spki is None)

    def holds(self, certificate: x509.Certificate) -> Anchor | None:
        """The anchor this certificate is: same fingerprint, or same subject and public key."""
        found = self._by_fingerprint.get(fingerprint(certificate))
        if found is not None:
            return found
        spki = public_key_info(certificate)
        return next((a for a in self.issuers_named(certificate.subject.public_bytes()) if a.spki == spki), None)

    def issuers_named(self, name: bytes) -> list[Anchor]:
        """Anchors with this subject (DER) and a known key: the candidates for a certificate's issuer."""
        return self._by_subject.get(name, [])

    def may_have_issued(self, certificate: x509.Certificate) -> Anchor | None:
        """An anchor known by fingerprint only that may be this certificate's issuer. Its subject is not known, so
        only the organisations it is known to name can rule it out: ACM's issuing intermediates are on API
        Gateway's list by fingerprint alone, and a leaf they issued is accepted without its chain."""
        issuer = set(organizations(certificate.issuer))
        return next((anchor for anchor in self._unbacked
                     if not anchor.organizations or issuer.intersection(anchor.organizations)), None)


def fingerprint(certificate: x509.Certificate) -> str:
    import hashlib

    from cryptography.hazmat.primitives import serialization

    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def public_key_info(certificate: x509.Certificate) -> bytes | None:
    """The certificate's DER SubjectPublicKeyInfo, ``None`` when its key cannot be read."""
    from cryptography.hazmat.primitives import serialization

    try:
        return certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # noqa: BLE001 -- an unsupported or malformed key is simply not comparable
        return None


def common_name(certificate: x509.Certificate) -> str:
    """The subject's CN (what people call a CA), else the whole subject."""
    from cryptography.x509.oid import NameOID

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an over-long CN in an old root: still its name
            names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else certificate.subject.rfc4514_string()
    except ValueError:
        return "(unreadable subject)"


def organizations(name: x509.Name) -> tuple[str, ...]:
    """The organisation (O=) values of a distinguished name."""
    from cryptography.x509.oid import NameOID

    try:
        return tuple(str(attribute.value) for attribute in name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME))
    except ValueError:
        return ()


def anchor_of(certificate: x509.Certificate) -> Anchor:
    return Anchor(common_name(certificate), fingerprint(certificate), certificate.subject.public_bytes(),
                  public_key_info(certificate))


# -------------------------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=1)
def shipped() -> TrustStore:
    """API Gateway's published list as shipped with tlspath (read on first use, never at start-up)."""
    import base64
    from importlib import resources

    document = json.loads((resources.files("linter") / "data" / SHIPPED).read_text(encoding="utf-8"))
    anchors = [Anchor(entry["name"], entry["sha256"],
                      base64.b64decode(entry["subject"]) if "subject" in entry else None,
                      base64.b64decode(entry["spki"]) if "spki" in entry else None,
                      tuple(entry.get("organizations", ())))
               for entry in document["entries"]]
    return TrustStore(f"API Gateway's published CA list ({document['published']})", anchors)


@functools.lru_cache(maxsize=1)
def mozilla() -> TrustStore:
    """Mozilla's CA bundle as certifi ships it: what most TLS clients trust, and what API Gateway's list is not."""
    import certifi

    with open(certifi.where(), "rb") as handle:
        certificates = pem_certificates(handle.read())
    return TrustStore(f"Mozilla's CA bundle (certifi {certifi.__version__})", [anchor_of(c) for c in certificates])


def from_file(path: str, given_by: str = "--trust-store") -> TrustStore:
    """A user's trust store: a PEM bundle of CA certificates, or a list of SHA-256 fingerprints (one per line,
    colons optional, ``#`` comments; the ``Alias name:`` / ``SHA1:`` / ``SHA256:`` listing of API Gateway's page
    as copied works too). Raises :class:`TrustStoreError` with a one-line reason that starts with ``given_by``
    (the flag, or the configuration file and key) and the path."""
    where = f"{given_by} {path}"
    try:
        data = read_bounded(path, MAX_TRUST_STORE_BYTES)
    except Unreadable as exc:
        raise TrustStoreError(f"{where}: {exc}") from None
    description = f"the trust store {path}"
    if b"-----BEGIN" in data:
        try:
            certificates = pem_certificates(data)
        except ValueError as exc:
            raise TrustStoreError(f"{where}: not a readable PEM bundle ({exc})") from None
        return TrustStore(description, [anchor_of(c) for c in certificates])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TrustStoreError(f"{where}: neither PEM certificates nor a text list of SHA-256 "
                              "fingerprints (binary data; a Java keystore? export it with keytool -list -rfc)") from None
    listed = read_fingerprint_list(text, where)
    return TrustStore(description, [_identified(alias, digest) for alias, digest in listed])


def _identified(alias: str | None, digest: str) -> Anchor:
    """A listed fingerprint with the subject and key of the certificate it is the hash of, when tlspath knows
    that certificate (the shipped list backs most of API Gateway's, Mozilla's bundle the rest it can): a chain
    that stops below a listed root -- servers rarely send the root -- then reaches it as it would with the
    shipped list, instead of seeming to end nowhere (E9505) or at a root the list lacks (W9501). One the shipped
    list knows by fingerprint only brings the organisations its subject may name."""
    known = _known_certificates().get(digest)
    if known is None:
        return Anchor(alias or digest[:16], digest)
    return Anchor(alias or known.name, digest, known.subject, known.spki, known.organizations)


def _known_certificates() -> dict[str, Anchor]:
    """Every certificate tlspath ships or reads, by fingerprint (Mozilla's bundle first: it has every key)."""
    known: dict[str, Anchor] = {}
    for store in (mozilla(), shipped()):
        for anchor in store.anchors:
            if anchor.fingerprint:
                known.setdefault(anchor.fingerprint, anchor)
    return known


def read_fingerprint_list(text: str, where: str) -> list[tuple[str | None, str]]:
    """(alias, SHA-256) for every fingerprint listed one per line, named by the ``Alias name:`` line before it
    when there is one. Raises :class:`TrustStoreError` naming the line that is something else, or when
    nothing is listed."""
    listed: list[tuple[str | None, str]] = []
    alias = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        named = _ALIAS.fullmatch(line)
        if named:
            alias = named.group(1).strip()
            continue
        if not line or _SKIPPED.match(line):
            continue
        found = _FINGERPRINT.fullmatch(line)
        if found is None:
            shown = line if len(line) <= 40 else line[:37] + "..."
            raise TrustStoreError(f"{where}:{number}: not a SHA-256 fingerprint or PEM certificate ('{shown}')")
        listed.append((alias, found.group(1).replace(":", "").lower()))
        alias = None
    if not listed:
        raise TrustStoreError(f"{where}: holds no PEM certificate and no SHA-256 fingerprint")
    return listed


def pem_certificates(data: bytes) -> list[x509.Certificate]:
    from cryptography import x509

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few store roots have negative serials: cryptography warns, we don't
        return x509.load_pem_x509_certificates(data)
