"""A tiny PKI for tests and samples: roots, intermediates and leaves with fixed dates, made with cryptography.

Nothing here is downloaded; every certificate is minted on the spot. Keys are cached per (algorithm, slot)
so a test run generates a handful of keys, not one per certificate. Dates are fixed (``AT`` is the moment the
tests judge at, passed to tlspath as ``--at``), so results do not depend on the day the suite runs.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

UTC = dt.timezone.utc
AT = dt.datetime(2026, 6, 1, tzinfo=UTC)  # tests run tlspath with --at 2026-06-01
VALID_FROM = dt.datetime(2026, 1, 1, tzinfo=UTC)
VALID_UNTIL = dt.datetime(2027, 1, 1, tzinfo=UTC)


@functools.cache
def private_key(algorithm: str = "RSA-2048", slot: int = 0):
    """A key per (algorithm, slot): ``RSA-2048``, ``RSA-4096``, ``EC-P256``."""
    if algorithm.startswith("RSA-"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(algorithm[4:]))
    if algorithm == "EC-P256":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(algorithm)


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: object

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def key_pem(self) -> str:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.NoEncryption()).decode()


def issue(common_name: str, *, issuer: Issued | None = None, sans: tuple[str, ...] = (), ca: bool = False,
          key_cert_sign: bool | None = None, not_before: dt.datetime = VALID_FROM,
          not_after: dt.datetime = VALID_UNTIL, algorithm: str = "RSA-2048", slot: int | None = None,
          organization: str = "Example Test Org", path_length: int | None = None,
          purposes: tuple[x509.ObjectIdentifier, ...] | None = None, subject: x509.Name | None = None) -> Issued:
    """A certificate for ``common_name``: self-signed without ``issuer``, else signed by it.

    ``ca`` sets basicConstraints CA:TRUE; ``key_cert_sign`` defaults to ``ca`` (False drops keyCertSign from a
    CA, the flaw E9505 reports for private roots under skip-verification); ``path_length`` is the CA's
    pathLenConstraint; ``purposes`` adds an extended key usage extension; ``subject`` replaces the
    organisation + common-name subject. The default key slot differs by role so that a leaf never shares its
    issuer's key.
    """
    key = private_key(algorithm, slot if slot is not None else (0 if ca and issuer is None else 1 if ca else 2))
    subject = subject or x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                                    x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    signer_name = issuer.certificate.subject if issuer else subject
    signer_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(signer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True))
    sign = ca if key_cert_sign is None else key_cert_sign
    builder = builder.add_extension(x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=not ca, data_encipherment=False,
        key_agreement=False, key_cert_sign=sign, crl_sign=ca, encipher_only=False, decipher_only=False),
        critical=True)
    if purposes is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(purposes)), critical=False)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]),
                                        critical=False)
    return Issued(builder.sign(signer_key, hashes.SHA256()), key)


def private_ca(name: str = "Example Private Root", **options) -> tuple[Issued, Issued]:
    """A private root and an intermediate under it."""
    root = issue(name, ca=True, not_before=dt.datetime(2025, 1, 1, tzinfo=UTC),
                 not_after=dt.datetime(2035, 1, 1, tzinfo=UTC), **options)
    intermediate = issue(f"{name} Intermediate", issuer=root, ca=True, not_before=dt.datetime(2025, 1, 1, tzinfo=UTC),
                         not_after=dt.datetime(2030, 1, 1, tzinfo=UTC))
    return root, intermediate


def pem_bundle(*issued: Issued) -> str:
    return "".join(i.pem for i in issued)
