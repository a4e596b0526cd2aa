"""Certificate truth: what API Gateway will think of a PEM certificate and its chain.

API Gateway rejects a backend certificate that is self-signed, issued by a private or untrusted CA, expired,
served without its intermediate chain, or issued for another host name (aws-tls-path.md §3 [S4][S23][S24]).
This module reads the PEM material a template carries (or ACM returns) and states those facts; the rules
judge them.

"Publicly trusted" means: the chain ends at a root of Mozilla's CA bundle -- certifi's ``cacert.pem`` when
certifi is installed, else the identical copy botocore (a boto3 dependency) ships. API Gateway's own list
(398 aliases in 2023, [S4]) is close to Mozilla's but not identical; a root only one of them holds is judged by
Mozilla's.

Material that IAM or ACM would not take as written -- DER instead of PEM, several certificates in the body,
text between PEM blocks, truncated base64, the leaf repeated in the chain -- is not judged at all: the facts
become :class:`Unknown` with a plain-language reason, so the path reports it (I9513) instead of a verdict on a
certificate that will never be deployed as written ([S42][S43]: "must be PEM-encoded", "must not add lines or
spaces", "do not include your end-entity certificate in the intermediate certificate chain").
"""

from __future__ import annotations

import base64
import binascii
import functools
import importlib.util
import os
import re
import warnings
from typing import TYPE_CHECKING

from linter.conditions import branch_over
from linter.model import CertificateFacts, CertificateSource, ChainStatus, Trust, Unknown, known_str

if TYPE_CHECKING:
    from cryptography import x509

_MARKER = re.compile(r"-----(BEGIN|END) ([A-Z0-9 ]{1,64}?)-----")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_PROBLEMS = 3  # named in a message; a file of 10,000 broken blocks needs no 10,000 reasons
_FIX_PEM = "give the certificate as PEM text exactly as issued (-----BEGIN CERTIFICATE----- ... one per block)"


def trust_store_path() -> str | None:
    """Mozilla's CA bundle from the dependency tree: certifi's, else botocore's vendored copy of the same data.
    Found without importing either package (botocore must not load on a run without ``--acm``)."""
    for package in ("certifi", "botocore"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            candidate = os.path.join(os.path.dirname(spec.origin), "cacert.pem")
            if os.path.exists(candidate):
                return candidate
    return None


@functools.lru_cache(maxsize=1)
def _roots() -> dict[bytes, list[x509.Certificate]] | None:
    """The trust store's roots by subject, or ``None`` when there is no store to judge against."""
    from cryptography import x509

    path = trust_store_path()
    if path is None:
        return None
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few store roots have negative serials: cryptography warns, we don't
        certificates = x509.load_pem_x509_certificates(handle.read())
    roots: dict[bytes, list[x509.Certificate]] = {}
    for certificate in certificates:
        roots.setdefault(certificate.subject.public_bytes(), []).append(certificate)
    return roots


# ------------------------------------------------------------------------------------------ reading


def read_certificates(pem: str | bytes, what: str) -> tuple[list[x509.Certificate], list[str]]:
    """Every certificate in PEM text, and a plain-language note for each thing IAM or ACM would refuse.

    Whitespace that survives copy and paste (indentation, CRLF, blank lines around the blocks) is tolerated;
    anything else -- binary DER, base64 without armour, text between blocks, a block that is not a
    certificate, truncated or corrupted base64 -- is a problem, named with its block number.
    """
    text, problem = _as_text(pem, what)
    if problem:
        return [], [problem]
    markers = list(_MARKER.finditer(text))
    if not markers:
        return [], [_without_armour(text, what)]
    blocks, problems = _pair(text, markers, what)
    certificates = []
    for index, (label, content) in enumerate(blocks, 1):
        where = f"{what}, block {index}" if len(blocks) > 1 else what
        if label != "CERTIFICATE":
            problems.append(f"{where} is {label} material, not a CERTIFICATE{_LABEL_HINTS.get(label.split()[-1], '')}")
            continue
        certificate, problem = _load(content, where)
        if problem:
            problems.append(problem)
        else:
            certificates.append(certificate)
    return certificates, problems


_LABEL_HINTS = {
    "KEY": " (private key material does not belong here -- see E9512)",
    "PKCS7": " (convert it with: openssl pkcs7 -print_certs)",
    "REQUEST": " (a signing request: give the certificate the CA issued for it)",
}


def _as_text(pem: str | bytes, what: str) -> tuple[str, str | None]:
    binary = (f"{what} is binary data, not PEM text (DER-encoded? convert it with: "
              "openssl x509 -inform der -outform pem)")
    if isinstance(pem, bytes):
        try:
            pem = pem.decode("ascii")
        except UnicodeDecodeError:
            return "", binary
    if _CONTROL.search(pem):
        return "", binary
    if not pem.strip():
        return "", f"{what} is empty"
    if "\\n" in pem and "\n" not in pem.strip():
        return "", f"{what} has literal \\n sequences instead of line breaks (an escaped string pasted as is?)"
    return pem, None


def _without_armour(text: str, what: str) -> str:
    """Why text without any PEM marker is not a certificate: DER in base64, base64 of PEM, or something else."""
    compact = "".join(text.split())
    try:
        decoded = base64.b64decode(compact, validate=True) if len(compact) >= 64 else b""
    except (binascii.Error, ValueError):
        decoded = b""
    if decoded.startswith(b"-----BEGIN"):
        return f"{what} is base64-encoded PEM text (filebase64()?); give the PEM text itself"
    if decoded[:1] == b"\x30":
        return (f"{what} is base64 DER without PEM armour; wrap it in -----BEGIN CERTIFICATE----- / "
                "-----END CERTIFICATE----- lines (or: openssl x509 -inform der -outform pem)")
    return f"{what} holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)"


def _pair(text: str, markers: list[re.Match], what: str) -> tuple[list[tuple[str, str]], list[str]]:
    """BEGIN/END markers paired into (label, content) blocks, with whatever lies outside or does not pair."""
    blocks: list[tuple[str, str]] = []
    problems: list[str] = []
    outside: list[str] = [text[:markers[0].start()]]
    open_marker: re.Match | None = None
    number = 0  # of the block being read, counting every BEGIN line
    for index, marker in enumerate(markers):
        kind, label = marker.group(1), marker.group(2)
        if kind == "BEGIN":
            number += 1
            if open_marker is not None:
                problems.append(f"{what}: the {open_marker.group(2)} block {number - 1} has no END line "
                                "(truncated?)")
            open_marker = marker
        elif open_marker is None:
            problems.append(f"{what} has an END {label} line without its BEGIN line")
        else:
            if label != open_marker.group(2):
                problems.append(f"{what}: block {number} begins as {open_marker.group(2)} but ends as {label}")
            blocks.append((open_marker.group(2), text[open_marker.end():marker.start()]))
            open_marker = None
            outside.append(text[marker.end():markers[index + 1].start() if index + 1 < len(markers) else len(text)])
    if open_marker is not None:
        problems.append(f"{what}: the {open_marker.group(2)} block {number} has no END line (truncated?)")
    stray = " ".join(" ".join(part.split()) for part in outside if part.strip())
    if stray:
        shown = stray if len(stray) <= 40 else stray[:37] + "..."
        problems.append(f"{what} has text outside its PEM blocks ('{shown}'); IAM and ACM take PEM blocks only")
    return blocks, problems


def _load(content: str, where: str) -> tuple[x509.Certificate | None, str | None]:
    """One CERTIFICATE block's content as a certificate, or why it is not one."""
    from cryptography import x509

    body = content.strip()
    if body and "\n" not in body and " " in body:
        return None, (f"{where} has its lines joined by spaces (a YAML '>' folded block? use '|' to keep the "
                      "line breaks)")
    try:
        der = base64.b64decode("".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        return None, f"{where} is not valid base64 (truncated or corrupted)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # RFC 5280 nits (negative serials ...) are not what we judge
            return x509.load_der_x509_certificate(der), None
    except ValueError:
        return None, f"{where} is not a readable X.509 certificate (truncated or corrupted)"


# ------------------------------------------------------------------------------------------- facts


def names_of(certificate: x509.Certificate) -> tuple[str, ...]:
    """DNS names the certificate covers: its DNS SANs, else its CN (as API Gateway's TLS client checks them)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        sans = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = sans.value.get_values_for_type(x509.DNSName)
        if names:
            return tuple(names)
    except (x509.ExtensionNotFound, ValueError):  # absent or malformed: fall back to the CN
        pass
    try:
        common = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    except ValueError:
        return ()
    return tuple(str(a.value) for a in common)


def key_description(certificate: x509.Certificate) -> str | Unknown:
    """``RSA-2048``, ``EC-secp256r1``, ``Ed25519`` ... -- the form W9514 reads."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

    try:
        key = certificate.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        return Unknown(f"the certificate's public key cannot be read ({exc})")
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC-{key.curve.name}"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA-{key.key_size}"
    return type(key).__name__.replace("PublicKey", "").lstrip("_")


def can_sign_certificates(certificate: x509.Certificate) -> bool:
    """basicConstraints CA:TRUE and keyUsage keyCertSign, which API Gateway demands of a private root
    even with skip-verification on (aws-tls-path.md §1.3 [S1b])."""
    from cryptography import x509

    try:
        is_ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (x509.ExtensionNotFound, ValueError):
        return False
    try:
        signs = certificate.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    except x509.ExtensionNotFound:
        signs = True  # no keyUsage extension: every usage is allowed
    except ValueError:
        signs = False
    return bool(is_ca and signs)


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """Whether ``parent`` names and signed ``child`` (the signature is checked, not just the names)."""
    if child.issuer != parent.subject:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # noqa: BLE001 -- InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm alike
        return False
    return True


def _self_signed(certificate: x509.Certificate) -> bool:
    return _issued_by(certificate, certificate)


def _same_key(one: x509.Certificate, other: x509.Certificate) -> bool:
    from cryptography.hazmat.primitives import serialization

    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    try:
        return one.public_key().public_bytes(*spki) == other.public_key().public_bytes(*spki)
    except Exception:  # noqa: BLE001 -- an unreadable key is no match
        return False


def _public_issuer_of(certificate: x509.Certificate, roots: dict) -> bool:
    return any(_issued_by(certificate, root) for root in roots.get(certificate.issuer.public_bytes(), []))


def _in_store(root: x509.Certificate, roots: dict) -> bool:
    """A self-signed certificate is a store root when the store holds its subject with its key (a re-issued
    root with new dates is the same root)."""
    return any(_same_key(root, candidate) for candidate in roots.get(root.subject.public_bytes(), []))


def _issuer_text(certificate: x509.Certificate) -> str:
    try:
        return certificate.issuer.rfc4514_string() or "(empty issuer)"
    except ValueError:
        return "(unreadable issuer)"


def facts_from_pem(body: str | bytes, chain: str | bytes | Unknown | None = None) -> CertificateFacts:
    """The facts API Gateway's validation depends on, from a certificate body and its optional chain.

    ``chain`` is ``None`` when none is given, or :class:`Unknown` when one is given but only known at deploy
    time. When the material has problems, the facts are unknown with those problems as the reason, rather
    than a guess about what AWS would deploy.
    """
    leaves, problems = read_certificates(body, "the certificate body")
    chain_certificates: list[x509.Certificate] = []
    if isinstance(chain, (str, bytes)) and chain.strip():
        chain_certificates, chain_problems = read_certificates(chain, "the certificate chain")
        problems.extend(chain_problems)
    if len(leaves) > 1:
        problems.append(f"the certificate body holds {len(leaves)} certificates; only the server certificate "
                        "belongs there, the intermediates go in the chain")
    if leaves and any(c == leaves[0] for c in chain_certificates):
        problems.append("the certificate chain repeats the server certificate; give only its intermediates")
    if problems or not leaves:
        shown = "; ".join(problems[:MAX_PROBLEMS]) + (f"; and {len(problems) - MAX_PROBLEMS} more problems"
                                                      if len(problems) > MAX_PROBLEMS else "")
        reason = Unknown(shown or "the certificate body cannot be read", _FIX_PEM)
        return CertificateFacts(trust=reason, names=reason)
    leaf = leaves[0]
    trust, status, root_can_sign = _judge_chain(leaf, chain_certificates, chain if isinstance(chain, Unknown) else None)
    return CertificateFacts(
        trust=trust, names=names_of(leaf), not_before=leaf.not_valid_before_utc,
        not_after=leaf.not_valid_after_utc, key=key_description(leaf), chain=status,
        root_can_sign=root_can_sign, issuer=_issuer_text(leaf))


def uploaded_facts(body: object, chain: object, supply: str) -> CertificateFacts:
    """An imported ACM or IAM certificate, from its body and chain as a front end evaluated them: PEM text is
    analysed, anything else is unknown (``supply`` says how to put the PEM in the scanned files)."""
    if chain is not None and not isinstance(chain, (str, bytes, Unknown)):  # written, known only at deploy time
        chain = Unknown("the certificate chain is only known at deploy time", supply)
    if isinstance(body, (str, bytes)):
        return facts_from_pem(body, chain)  # type: ignore[arg-type]
    reason = body if isinstance(body, Unknown) else Unknown("the certificate body is only known at deploy time",
                                                            supply)
    return CertificateFacts(trust=reason, names=reason)


def requested_facts(authority: object, names: list, key_algorithm: object, supply: str
                    ) -> tuple[object, CertificateFacts]:
    """An ACM certificate requested rather than imported: issued by a private CA when
    ``CertificateAuthorityArn`` / ``certificate_authority_arn`` is set (a condition may decide that), else by
    Amazon and publicly trusted; ACM renews both. Returns (source, facts); either may be a choice."""
    private = branch_over([authority], lambda settled: settled[0] is not None)
    known = [known_str(name) for name in names if name is not None]
    return (branch_over([private], lambda p: CertificateSource.ACM_PRIVATE if p[0] else CertificateSource.ACM_ISSUED),
            CertificateFacts(
                trust=branch_over([private], lambda p: Trust.PRIVATE_CA if p[0] else Trust.PUBLIC), renews=True,
                names=tuple(dict.fromkeys(n for n in known if n)) if None not in known else Unknown(
                    "the certificate's domain names are only known at deploy time", supply),
                key=known_str(key_algorithm) or "RSA_2048"))


def _judge_chain(leaf: x509.Certificate, chain: list[x509.Certificate], unknown_chain: Unknown | None
                 ) -> tuple[Trust | Unknown, ChainStatus | None, bool | None]:
    """Trust, chain status and whether the root may sign, walking leaf -> chain[0] -> chain[1] ... in the
    order given: IAM and ACM demand that each certificate of the chain certify the one before it [S43]."""
    if _self_signed(leaf):
        return Trust.SELF_SIGNED, None, can_sign_certificates(leaf)
    roots = _roots()
    if roots is None:
        return (Unknown("no CA bundle is installed to tell public from private issuers",
                        "install certifi (pip install certifi)"), None, None)
    current = leaf
    for position, parent in enumerate(chain):
        if _public_issuer_of(current, roots):
            return Trust.PUBLIC, ChainStatus.COMPLETE, None
        if not _issued_by(current, parent):
            return (Unknown(f"certificate {position + 1} of the chain did not issue "
                            f"{'the server certificate' if position == 0 else f'certificate {position}'}",
                            "give the chain in order, from the leaf's issuer upwards"), ChainStatus.BROKEN, None)
        if _self_signed(parent):
            if _in_store(parent, roots):
                return Trust.PUBLIC, ChainStatus.COMPLETE, None
            return Trust.PRIVATE_CA, ChainStatus.COMPLETE, can_sign_certificates(parent)
        current = parent
    if _public_issuer_of(current, roots):
        return Trust.PUBLIC, ChainStatus.COMPLETE, None
    if unknown_chain is not None:
        return unknown_chain, None, None
    if not chain:
        return (Unknown(f"the issuer ({_issuer_text(leaf)}) is not a root of the public trust store and no "
                        "chain is given", "add the intermediate chain"), ChainStatus.MISSING, None)
    return (Unknown(f"the chain ends at {_issuer_text(current)}, which is neither given nor a public root",
                    "complete the chain up to its root"), ChainStatus.NO_ROOT, None)
