"""Reading boot scripts and container commands for a backend that makes its own certificate.

Behind a TCP (pass-through) listener API Gateway validates the *backend's* certificate. A template cannot say
which certificate that is -- except when the backend visibly generates one at boot: ``openssl req -x509`` in
UserData, ``keytool -genkeypair`` in a container command. Such a certificate is self-signed (or signed by a
throw-away local CA) and API Gateway rejects it. Shared by every front end.
"""

from __future__ import annotations

import re

# An argument list that may continue over backslash-newlines, but never past a plain newline.
_ARGS = r"(?:[^\n\\]|\\.|\\\n)*?"

_SELF_SIGNED = (
    (re.compile(rf"\bopenssl\s+req\b{_ARGS}\s-x509\b"), "openssl req -x509 (a self-signed certificate)"),
    (re.compile(rf"\bopenssl\s+x509\b{_ARGS}\s-signkey\b"), "openssl x509 -signkey (a self-signed certificate)"),
    (re.compile(r"\bmake-ssl-cert\s+generate-default-snakeoil\b"), "make-ssl-cert snakeoil (a self-signed certificate)"),
    (re.compile(rf"\bkeytool\b{_ARGS}\s-genkey(?:pair)?\b"), "keytool -genkeypair (a self-signed certificate)"),
    (re.compile(r"\bNew-SelfSignedCertificate\b", re.IGNORECASE), "New-SelfSignedCertificate (a self-signed certificate)"),
    (re.compile(rf"\bcerttool\b{_ARGS}--generate-self-signed\b"), "certtool --generate-self-signed"),
    (re.compile(r"\bmkcert\s+(?!-install\b)\S"), "mkcert (a local development CA)"),
)


def find_self_signed(text: str) -> tuple[str, int] | None:
    """The first command in ``text`` that makes a certificate no public CA signed: (description, offset)."""
    hits = [(m.start(), what) for pattern, what in _SELF_SIGNED for m in [pattern.search(text)] if m]
    if not hits:
        return None
    offset, what = min(hits)
    return what, offset
