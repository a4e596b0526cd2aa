"""Certificate truth: what API Gateway will think of a PEM certificate and its chain.

API Gateway rejects a backend certificate that is self-signed, issued by a private or untrusted CA, expired,
served without its intermediate chain, or issued for another host name (aws-tls-path.md §3 [S4][S23][S24]).
This module reads the PEM material a template carries (or ACM returns) and states those facts; the rules
judge them.

"Publicly trusted" means what API Gateway means: the chain reaches a certificate of *its* published CA list
(:mod:`linter.truststore`; ``--trust-store FILE`` replaces it), recognised by identity -- fingerprint, or subject
and public key -- never by its own self-signature (old roots sign themselves with SHA-1, which is no reason to
distrust them). A chain only Mozilla's bundle vouches for is judged apart (W9501: it may be rejected). SHA-1
signatures *below* the trusted certificate are recorded (W9505): current Java runtimes refuse them for TLS servers
that chain to public roots.

Material that IAM or ACM would not take as written -- DER instead of PEM, several certificates in the body,
text between PEM blocks, truncated base64, the leaf repeated in the chain -- is not judged at all: the facts
become :class:`Unknown` with a plain-language reason, so the path reports it (I9513) instead of a verdict on a
certificate that will never be deployed as written ([S42][S43]: "must be PEM-encoded", "must not add lines or
spaces", "do not include your end-entity certificate in the intermediate certificate chain").
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import warnings
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, cast

from linter import truststore
from linter.conditions import branch_over
from linter.model import CertificateFacts, CertificateSource, ChainStatus, Intermediate, Trust, Unknown, known_str
from linter.names import written_names
from linter.truststore import Anchor, TrustStore

if TYPE_CHECKING:
    from cryptography import x509

_MARKER = re.compile(r"-----(BEGIN|END) ([A-Z0-9 ]{1,64}?)-----")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_PROBLEMS = 3  # named in a message; a file of 10,000 broken blocks needs no 10,000 reasons
_FIX_PEM = "give the certificate as PEM text exactly as issued (-----BEGIN CERTIFICATE----- ... one per block)"


_ACTIVE: ContextVar[TrustStore | None] = ContextVar("tlspath_trust_store", default=None)
WEAK_HASHES = ("sha1", "md5")  # signature hashes Java's disabledAlgorithms refuse below a public root


def trust_store() -> TrustStore:
    """The store this run judges against: ``--trust-store FILE``, else API Gateway's published list."""
    return _ACTIVE.get() or truststore.shipped()


@contextlib.contextmanager
def trusting(store: TrustStore | None) -> Iterator[None]:
    """Judge every certificate read inside the block against ``store`` (``None``: the shipped list). Front ends
    read certificates deep inside model building, so the run's store travels as context, not as an argument."""
    token = _ACTIVE.set(store)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


# ------------------------------------------------------------------------------------------ reading


def problems_in_brief(problems: list[str]) -> str:
    """The problems :func:`read_certificates` found, as one line: the first :data:`MAX_PROBLEMS`, then how many
    more."""
    more = len(problems) - MAX_PROBLEMS
    return "; ".join(problems[:MAX_PROBLEMS]) + (f"; and {more} more problems" if more > 0 else "")


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
        loaded = _load(content, where)
        if isinstance(loaded, str):
            problems.append(loaded)
        else:
            certificates.append(loaded)
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


def _load(content: str, where: str) -> x509.Certificate | str:
    """One CERTIFICATE block's content as a certificate, or why it is not one."""
    from cryptography import x509

    body = content.strip()
    if body and "\n" not in body and " " in body:
        return (f"{where} has its lines joined by spaces (a YAML '>' folded block? use '|' to keep the "
                "line breaks)")
    try:
        der = base64.b64decode("".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        return f"{where} is not valid base64 (truncated or corrupted)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # RFC 5280 nits (negative serials ...) are not what we judge
            return x509.load_der_x509_certificate(der)
    except ValueError:
        return f"{where} is not a readable X.509 certificate (truncated or corrupted)"


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
    return _not_a_ca(certificate) is None


def _basic_constraints(certificate: x509.Certificate) -> x509.BasicConstraints | None:
    from cryptography import x509

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # RFC 5280 nits of old roots (a negative serial) are not what we judge
            return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    except (x509.ExtensionNotFound, ValueError):
        return None


def _not_a_ca(certificate: x509.Certificate) -> str | None:
    """Why the certificate may not issue certificates (Java's PKIX validation refuses it as an issuer): no
    basicConstraints CA:TRUE, or a keyUsage without keyCertSign (no keyUsage extension allows every usage)."""
    from cryptography import x509

    constraints = _basic_constraints(certificate)
    if constraints is None or not constraints.ca:
        return "is not a CA (no basicConstraints CA:TRUE)"
    try:
        signs = certificate.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    except x509.ExtensionNotFound:
        return None
    except ValueError:
        signs = False
    return None if signs else "may not sign certificates (keyUsage without keyCertSign)"


# The extended key usages Java's TLS client names (sun.security.validator.EndEntityChecker): a server
# certificate with an EKU extension must list serverAuth, anyExtendedKeyUsage or one of the two SGC purposes.
_PURPOSES = {
    "1.3.6.1.5.5.7.3.1": "serverAuth", "1.3.6.1.5.5.7.3.2": "clientAuth", "1.3.6.1.5.5.7.3.3": "codeSigning",
    "1.3.6.1.5.5.7.3.4": "emailProtection", "1.3.6.1.5.5.7.3.8": "timeStamping", "1.3.6.1.5.5.7.3.9": "OCSPSigning",
    "2.5.29.37.0": "anyExtendedKeyUsage", "1.3.6.1.4.1.311.10.3.3": "msSGC", "2.16.840.1.113730.4.1": "nsSGC",
}


def extended_key_usage(certificate: x509.Certificate) -> tuple[str, ...] | None:
    """The purposes the certificate's extended key usage lists (named, else dotted); ``None`` without one --
    every purpose -- or when it cannot be read (nothing is claimed about what cannot be read)."""
    from cryptography import x509

    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    return tuple(_PURPOSES.get(oid.dotted_string, oid.dotted_string) for oid in usage)


def _signed_with(certificate: x509.Certificate, key: object) -> bool:
    """Whether ``key`` made the certificate's signature. Verified with the key itself rather than cryptography's
    ``verify_directly_issued_by``, which refuses SHA-1: a SHA-1 link is a fact to report (W9505), not a break."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    signature, signed = certificate.signature, certificate.tbs_certificate_bytes
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, certificate.signature_algorithm_parameters,  # type: ignore[arg-type]
                       certificate.signature_hash_algorithm)  # type: ignore[arg-type]
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed, certificate.signature_algorithm_parameters)  # type: ignore[arg-type]
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(signature, signed)
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(signature, signed, certificate.signature_hash_algorithm)  # type: ignore[arg-type]
        else:
            return False
    except Exception:  # noqa: BLE001 -- InvalidSignature, a key of the wrong type, an unknown algorithm alike
        return False
    return True


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """Whether ``parent`` names and signed ``child`` (the signature is checked, not just the names)."""
    if child.issuer != parent.subject:
        return False
    try:
        key = parent.public_key()
    except Exception:  # noqa: BLE001 -- an unreadable key signs nothing
        return False
    return _signed_with(child, key)


def _self_issued(certificate: x509.Certificate) -> bool:
    """Whether the certificate names itself as its issuer: a root (or a self-signed leaf). Its own signature is
    not what makes it one -- an old root may sign itself with an algorithm no longer verified (MD5)."""
    return certificate.issuer == certificate.subject


def _anchor_above(certificate: x509.Certificate, store: TrustStore) -> Anchor | None:
    """The store's certificate that issued this one: its subject names the issuer and its key verifies the
    signature (a private CA that borrows a listed root's name does not pass)."""
    return next((anchor for anchor in store.issuers_named(certificate.issuer.public_bytes())
                 if _signed_with(certificate, _public_key(anchor.spki))), None)


def _public_key(spki: bytes | None) -> object:
    """A store certificate's key from its DER SubjectPublicKeyInfo; ``None`` (which signs nothing) if unreadable."""
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        return load_der_public_key(spki or b"")
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class _Walk:
    """How the chain given links up from the leaf, judged against one trust store."""

    linked: tuple[x509.Certificate, ...]  # the leaf, then every chain certificate that certified the one before
    anchor: Anchor | None = None  # the store's certificate the walk reached
    relied_on: tuple[x509.Certificate, ...] = ()  # certificates whose signatures lead up to the anchor
    broken_at: int | None = None  # chain position that did not certify the certificate before it


def _walk(leaf: x509.Certificate, chain: list[x509.Certificate], store: TrustStore, *, in_order: bool) -> _Walk:
    """Walk up from the leaf until a certificate the store holds, or one it issued, is reached. ``in_order``:
    leaf -> chain[0] -> chain[1] ... as written (IAM and ACM demand that each certificate of an imported chain
    certify the one before it [S43]); otherwise each step takes whichever certificate given issued the current
    one, each at most once -- Java's TLS client builds the path from a server's certificates in any order."""
    linked, unused = [leaf], list(chain)
    while True:
        current = linked[-1]
        held = store.holds(current) if len(linked) > 1 else None
        if held is not None:  # a trust anchor, trusted by identity: its own (self-)signature is never checked
            return _Walk(tuple(linked), held, tuple(linked[:-1]))
        above = _anchor_above(current, store)
        if above is not None:
            return _Walk(tuple(linked), above, tuple(linked))
        if not unused or (len(linked) > 1 and _self_issued(current)):
            break
        parent = unused[0] if in_order else next((c for c in unused if _issued_by(current, c)), None)
        if parent is None:
            break
        if not _issued_by(current, parent):
            return _Walk(tuple(linked), broken_at=len(linked) - 1)
        unused.remove(parent)
        linked.append(parent)
    return _Walk(tuple(linked))


def _intermediate_flaws(intermediates: tuple[x509.Certificate, ...]) -> tuple[str, ...]:
    """What Java's PKIX validation refuses in the intermediates below the trust anchor (leaf side first): one
    that may not issue certificates, and a pathLenConstraint that the intermediates below it exceed -- only
    those not self-issued count (RFC 5280 §6.1.4). The anchor's own constraints are not checked: Java takes
    the anchor as a name and key, as RFC 5280 does."""
    flaws = []
    below = 0  # intermediates not self-issued between the leaf and the one judged
    for certificate in intermediates:
        name = f"the intermediate '{truststore.common_name(certificate)}'"
        why = _not_a_ca(certificate)
        if why is not None:
            flaws.append(f"{name} {why}")
        constraints = _basic_constraints(certificate)
        if constraints is not None and constraints.path_length is not None and below > constraints.path_length:
            flaws.append(f"{name} allows {constraints.path_length} intermediate"
                         f"{'' if constraints.path_length == 1 else 's'} below it (pathLenConstraint) but the chain "
                         f"has {below}")
        below += not _self_issued(certificate)
    return tuple(flaws)


def _weak_signatures(walk: _Walk) -> tuple[str, ...]:
    """The certificates below the trust anchor signed with SHA-1 or MD5, named for a message."""
    weak = []
    for index, certificate in enumerate(walk.relied_on):
        try:
            algorithm = certificate.signature_hash_algorithm
        except Exception:  # noqa: BLE001 -- an unknown algorithm never verified, so it is not on a trusted path
            continue
        if algorithm is not None and algorithm.name in WEAK_HASHES:
            who = "the server certificate" if index == 0 else f"the intermediate '{truststore.common_name(certificate)}'"
            weak.append(f"{who} ({algorithm.name.upper().replace('SHA1', 'SHA-1')})")
    return tuple(weak)


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
        reason = Unknown(problems_in_brief(problems) or "the certificate body cannot be read", _FIX_PEM)
        return CertificateFacts(trust=reason, names=reason)
    return facts_of(leaves[0], chain_certificates, chain if isinstance(chain, Unknown) else None, imported=True)


def facts_of(leaf: x509.Certificate, chain: list[x509.Certificate], unknown_chain: Unknown | None = None, *,
             imported: bool = False) -> CertificateFacts:
    """The facts of a server certificate and the chain that comes with it, judged against the run's trust
    store: as a server presents them (a file in hand, a probe) or, ``imported``, as written for IAM or ACM,
    whose chains must link in order."""
    verdict = _judge_chain(leaf, chain, unknown_chain, in_order=imported)
    return CertificateFacts(
        trust=verdict.trust, names=names_of(leaf), not_before=leaf.not_valid_before_utc,
        not_after=leaf.not_valid_after_utc, key=key_description(leaf), chain=verdict.chain,
        root_can_sign=verdict.root_can_sign, issuer=_issuer_text(leaf), anchor=verdict.anchor,
        weak_signatures=verdict.weak_signatures, intermediates=verdict.intermediates,
        chain_flaws=verdict.chain_flaws, extended_key_usage=extended_key_usage(leaf))


def uploaded_facts(body: object, chain: object, supply: str) -> CertificateFacts:
    """An imported ACM or IAM certificate, from its body and chain as a front end evaluated them: PEM text is
    analysed, anything else is unknown (``supply`` says how to put the PEM in the scanned files)."""
    if chain is not None and not isinstance(chain, (str, bytes, Unknown)):  # written, known only at deploy time
        chain = Unknown("the certificate chain is only known at deploy time", supply)
    if isinstance(body, (str, bytes)):
        return facts_from_pem(body, chain)
    reason = body if isinstance(body, Unknown) else Unknown("the certificate body is only known at deploy time",
                                                            supply)
    return CertificateFacts(trust=reason, names=reason)


def requested_facts(authority: object, names: list, key_algorithm: object
                    ) -> tuple[CertificateSource, CertificateFacts]:
    """An ACM certificate requested rather than imported: issued by a private CA when
    ``CertificateAuthorityArn`` / ``certificate_authority_arn`` is set, else by Amazon and publicly trusted;
    ACM renews both. Returns (source, facts). Where a condition decides the authority, the source and the trust
    are a :class:`~linter.model.Choice` the walk settles before any rule reads them (typed as what they settle
    into)."""
    private = branch_over([authority], lambda settled: settled[0] is not None)
    source = branch_over([private], lambda p: CertificateSource.ACM_PRIVATE if p[0] else CertificateSource.ACM_ISSUED)
    trust = branch_over([private], lambda p: Trust.PRIVATE_CA if p[0] else Trust.PUBLIC)
    return (cast(CertificateSource, source),
            CertificateFacts(
                trust=cast(Trust, trust), renews=True,
                names=written_names(names),
                key=known_str(key_algorithm) or "RSA_2048"))


class _ChainVerdict(NamedTuple):
    trust: Trust | Unknown
    chain: ChainStatus | None = None
    root_can_sign: bool | None = None
    anchor: str | None = None
    weak_signatures: tuple[str, ...] = ()
    intermediates: tuple[Intermediate, ...] = ()
    chain_flaws: tuple[str, ...] = ()


def _anchored(walk: _Walk, trust: Trust) -> _ChainVerdict:
    """A chain that reaches a trusted certificate, with what path validation checks below it."""
    below = walk.relied_on[1:]
    return _ChainVerdict(trust, ChainStatus.COMPLETE, anchor=walk.anchor.name if walk.anchor else None,
                         weak_signatures=_weak_signatures(walk),
                         intermediates=tuple(Intermediate(truststore.common_name(c), c.not_valid_before_utc,
                                                          c.not_valid_after_utc) for c in below),
                         chain_flaws=_intermediate_flaws(below))


def _judge_chain(leaf: x509.Certificate, chain: list[x509.Certificate], unknown_chain: Unknown | None, *,
                 in_order: bool) -> _ChainVerdict:
    """Trust, chain status, whether a private root may sign, the trusted certificate reached and the weak
    signatures below it: against the run's trust store first, then Mozilla's bundle (W9501)."""
    store = trust_store()
    if _self_issued(leaf) and store.holds(leaf) is None:
        return _ChainVerdict(Trust.SELF_SIGNED, root_can_sign=can_sign_certificates(leaf))
    walk = _walk(leaf, chain, store, in_order=in_order)
    if walk.anchor is not None:
        return _anchored(walk, Trust.PUBLIC)
    public = _walk(leaf, chain, truststore.mozilla(), in_order=in_order)  # loaded only for chains the run's store does not hold
    if public.anchor is not None:
        return _anchored(public, Trust.MOZILLA_ONLY)
    if walk.broken_at is not None:
        position = walk.broken_at
        return _ChainVerdict(Unknown(f"certificate {position + 1} of the chain did not issue "
                                     f"{'the server certificate' if position == 0 else f'certificate {position}'}",
                                     "give the chain in order, from the leaf's issuer upwards"), ChainStatus.BROKEN)
    top = walk.linked[-1]
    if len(walk.linked) > 1 and _self_issued(top):
        return _ChainVerdict(Trust.PRIVATE_CA, ChainStatus.COMPLETE, can_sign_certificates(top))
    if unknown_chain is not None:
        return _ChainVerdict(unknown_chain)
    unlisted = store.may_have_issued(top)
    if unlisted is not None:  # its issuer may be a certificate the store knows by fingerprint alone
        return _ChainVerdict(Unknown(
            f"the issuer of {'the server certificate' if top is leaf else 'the chain given'} ({_issuer_text(top)}) "
            f"is not given, and it may be {unlisted.name}, which {store.description} holds by fingerprint only",
            "add the intermediate chain up to a root"))
    if not chain:
        return _ChainVerdict(Unknown(f"the issuer ({_issuer_text(leaf)}) is not in {store.description} and no "
                                     "chain is given", "add the intermediate chain"), ChainStatus.MISSING)
    return _ChainVerdict(Unknown(f"the chain ends at {_issuer_text(top)}, which is neither given nor in "
                                 f"{store.description}", "complete the chain up to its root"), ChainStatus.NO_ROOT)
