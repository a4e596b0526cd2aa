"""Certificate truth: what API Gateway will think of a PEM certificate and its chain.

API Gateway rejects a backend certificate that is self-signed, issued by a private or untrusted CA, expired,
served without its intermediate chain, or issued for another host name (aws-tls-path.md §3 [S4][S23][S24]).
This module reads the PEM material a template carries and states those facts; the rules judge them.

"Publicly trusted" means: the chain ends at a root of Mozilla's CA bundle -- certifi's ``cacert.pem`` when
certifi is installed, else the identical copy botocore (a boto3 dependency) ships. API Gateway's own list
(398 aliases in 2023, [S4]) is close to Mozilla's but not identical; a root only one of them holds is judged by
Mozilla's.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import importlib.util
import os
import re
from typing import TYPE_CHECKING

from linter.model import CertificateFacts, ChainStatus, Trust, Unknown

if TYPE_CHECKING:
    from cryptography import x509

_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def trust_store_path() -> str:
    """Mozilla's CA bundle from the dependency tree (certifi, or botocore's vendored copy)."""
    for package, name in (("certifi", "cacert.pem"), ("botocore", "cacert.pem")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            candidate = os.path.join(os.path.dirname(spec.origin), name)
            if os.path.exists(candidate):
                return candidate
    raise RuntimeError("no CA bundle found: install certifi")


@functools.lru_cache(maxsize=1)
def _roots() -> dict[bytes, list[x509.Certificate]]:
    from cryptography import x509

    with open(trust_store_path(), "rb") as handle:
        certificates = x509.load_pem_x509_certificates(handle.read())
    roots: dict[bytes, list[x509.Certificate]] = {}
    for certificate in certificates:
        roots.setdefault(certificate.subject.public_bytes(), []).append(certificate)
    return roots


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    if child.issuer != parent.subject:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # noqa: BLE001 -- InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm alike
        return False
    return True


def _public_root_of(certificate: x509.Certificate) -> x509.Certificate | None:
    for root in _roots().get(certificate.issuer.public_bytes(), []):
        if _issued_by(certificate, root):
            return root
    return None


def read_certificates(pem: str, what: str) -> tuple[list[x509.Certificate], list[str]]:
    """Every certificate in PEM text, and a plain-language note for each oddity found on the way."""
    from cryptography import x509

    problems: list[str] = []
    blocks = list(_PEM_BLOCK.finditer(pem))
    if not blocks:
        if "-----BEGIN" in pem:
            problems.append(f"{what}: a PEM block is not closed (truncated?)")
        elif _looks_like_base64(pem):
            problems.append(f"{what} is base64 without PEM armour (DER by mistake?); wrap it in "
                            "-----BEGIN CERTIFICATE----- / -----END CERTIFICATE-----")
        else:
            problems.append(f"{what} holds no PEM certificate")
        return [], problems
    outside = _PEM_BLOCK.sub("", pem).strip()
    if outside:
        problems.append(f"{what} has text between or around its PEM blocks; ACM and IAM may refuse it")
    certificates = []
    for index, block in enumerate(blocks, 1):
        label = block.group(1)
        if label != "CERTIFICATE":
            problems.append(f"{what} block {index} is a {label}, not a CERTIFICATE")
            continue
        try:
            certificates.append(x509.load_pem_x509_certificate(block.group(0).encode()))
        except ValueError:
            problems.append(f"{what} block {index} is not a readable certificate (truncated or corrupt base64)")
    return certificates, problems


def _looks_like_base64(text: str) -> bool:
    compact = "".join(text.split())
    if len(compact) < 64:
        return False
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def names_of(certificate: x509.Certificate) -> tuple[str, ...]:
    """DNS names the certificate covers: its SANs, else its CN (as TLS clients check them)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        sans = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = sans.value.get_values_for_type(x509.DNSName)
        if names:
            return tuple(names)
    except x509.ExtensionNotFound:
        pass
    except ValueError:  # a malformed extension: fall back to the CN
        pass
    common = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return tuple(str(a.value) for a in common)


def key_description(certificate: x509.Certificate) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC-{key.curve.name}"
    return type(key).__name__.replace("PublicKey", "").replace("_", "")


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


def _self_signed(certificate: x509.Certificate) -> bool:
    return _issued_by(certificate, certificate)


def _issuer_text(certificate: x509.Certificate) -> str:
    return certificate.issuer.rfc4514_string() or "(empty issuer)"


def facts_from_pem(body: str, chain: str | None = None) -> tuple[CertificateFacts, tuple[str, ...]]:
    """The facts API Gateway's validation depends on, from a certificate body and its optional chain."""
    leaves, problems = read_certificates(body, "the certificate body")
    if not leaves:
        reason = Unknown(problems[0] if problems else "the certificate body cannot be read", "fix the PEM text")
        return CertificateFacts(trust=reason, names=reason), tuple(problems)
    leaf, extra = leaves[0], leaves[1:]
    if extra:
        problems.append(f"the certificate body holds {len(leaves)} certificates; only the server certificate "
                        "belongs there, the others go in the chain")
    chain_certificates = extra
    if chain:
        more, chain_problems = read_certificates(chain, "the certificate chain")
        chain_certificates = [*extra, *more]
        problems.extend(chain_problems)
    trust, status, root_can_sign = _judge_chain(leaf, chain_certificates)
    facts = CertificateFacts(
        trust=trust, names=names_of(leaf), not_before=leaf.not_valid_before_utc,
        not_after=leaf.not_valid_after_utc, key=key_description(leaf), chain=status,
        root_can_sign=root_can_sign, issuer=_issuer_text(leaf))
    return facts, tuple(problems)


def _judge_chain(leaf: x509.Certificate, chain: list[x509.Certificate]
                 ) -> tuple[Trust | Unknown, ChainStatus | None, bool | None]:
    """Trust, chain status and (for private roots) whether the root may sign, walking leaf -> root."""
    if _self_signed(leaf):
        return Trust.SELF_SIGNED, None, None
    current = leaf
    remaining = list(chain)
    while True:
        if _public_root_of(current) is not None:
            return Trust.PUBLIC, ChainStatus.COMPLETE, None
        parent = next((c for c in remaining if _issued_by(current, c)), None)
        if parent is None:
            break
        remaining.remove(parent)
        if _self_signed(parent):
            in_store = any(parent == root for root in _roots().get(parent.subject.public_bytes(), []))
            if in_store:
                return Trust.PUBLIC, ChainStatus.COMPLETE, None
            return Trust.PRIVATE_CA, ChainStatus.COMPLETE, can_sign_certificates(parent)
        current = parent
    if not chain:
        return (Unknown(f"the issuer ({_issuer_text(leaf)}) is not a root of the public trust store and no "
                        "chain is given", "add the intermediate chain"), ChainStatus.MISSING, None)
    if current is leaf:
        return (Unknown(f"the chain given does not contain the issuer of the certificate ({_issuer_text(leaf)})",
                        "give the chain that issued the certificate"), ChainStatus.BROKEN, None)
    return (Unknown(f"the chain ends at {_issuer_text(current)}, which is neither given nor a public root",
                    "complete the chain up to its root"), ChainStatus.NO_ROOT, None)


def is_expired(facts: CertificateFacts, at: dt.datetime) -> bool | None:
    """Whether the certificate is outside its validity window at ``at`` (None when not known)."""
    if not isinstance(facts.not_after, dt.datetime) or not isinstance(facts.not_before, dt.datetime):
        return None
    return not facts.not_before <= at <= facts.not_after
