"""W9505: a certificate below the trusted root is signed with SHA-1 (or MD5)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import TO_LISTENER, Presented, Role
from linter.rule import CertificateRule, Settings, Violation


class WeakChainSignature(CertificateRule):
    """
    ## What it does
    Warns when the server certificate or an intermediate between it and the trusted root is signed with SHA-1
    (or MD5). The root's own self-signature is never judged: a root is trusted for who it is (its subject and
    key), and many listed roots sign themselves with SHA-1.

    ## Why is this bad?
    API Gateway's TLS client is Java (its failures are `General SSLEngine problem` / `PKIX path building
    failed`), and current Java runtimes refuse SHA-1 signatures on TLS server certificates that chain to a
    root of their CA store (`jdk.certpath.disabledAlgorithms`: `SHA1 jdkCA & usage TLSServer`). Which runtime
    and settings API Gateway uses is not published, so the handshake **may** fail.

    ## Example
    A certificate issued in 2013 by an intermediate that signs with `sha1WithRSAEncryption`.

    ## How to fix
    Reissue the certificate; every public CA signs with SHA-256 or better today.

    ## Sources
    Oracle's JRE and JDK Cryptographic Roadmap (SHA-1 for TLS server certificates chaining to JDK roots);
    fact-updates-2026-11.md §1
    """

    id = "W9505"
    tags = ("certificate", "chain", "crypto")
    title = "A certificate below the root is signed with SHA-1"
    fix = "Reissue the certificate (and use a current intermediate): public CAs sign with SHA-256 or better"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://www.java.com/en/jre-jdk-cryptoroadmap.html",)

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        weak = shown.certificate.facts.weak_signatures
        if weak and shown.issuer_checked:
            yield Violation(f"{shown.what} has weak signatures below {shown.certificate.facts.anchor}: "
                            f"{', '.join(weak)}; Java runtimes like API Gateway's may refuse them for TLS servers",
                            shown.certificate, "trust")
