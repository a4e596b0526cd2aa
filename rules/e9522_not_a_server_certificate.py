"""E9522: the certificate API Gateway is shown is not for TLS servers (its extended key usage)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import TO_LISTENER, Presented, Role
from linter.rule import CertificateRule, Settings, Violation

# What Java's TLS client accepts in a server certificate's extended key usage (EndEntityChecker): serverAuth,
# any purpose, or one of the two Server Gated Cryptography purposes old CAs used for servers.
SERVER_PURPOSES = frozenset({"serverAuth", "anyExtendedKeyUsage", "msSGC", "nsSGC"})


class NotAServerCertificate(CertificateRule):
    """
    ## What it does
    Checks the extended key usage (EKU) of the certificate API Gateway is shown: when the certificate has
    one, it must allow TLS server authentication (`serverAuth`, or `anyExtendedKeyUsage`). A certificate
    without the extension may serve any purpose and is fine.

    ## Why is this bad?
    API Gateway's TLS client is Java, which refuses a server certificate whose extended key usage does not
    permit TLS server authentication ("Extended key usage does not permit use for TLS server
    authentication"; the console shows `General SSLEngine problem`), whoever issued it. The usual cause is a
    certificate made for something else -- the client certificate of a mutual-TLS setup, an S/MIME or
    code-signing certificate -- uploaded as the server's.

    ## Example
    ```yaml
    ServerCertificate:
      Type: AWS::IAM::ServerCertificate
      Properties:
        CertificateBody: |
          -----BEGIN CERTIFICATE-----   # X509v3 Extended Key Usage: TLS Web Client Authentication
    ```

    ## How to fix
    Use a certificate issued for TLS servers (EKU `serverAuth`; every public CA's TLS certificates have it).
    With OpenSSL, `extendedKeyUsage = serverAuth` in the extensions of the request or of the CA's signing
    profile.

    ## Sources
    aws-tls-path.md §3 [S23] [S24] (API Gateway's Java TLS client and its errors); RFC 5280 §4.2.1.12;
    OpenJDK `sun.security.validator.EndEntityChecker` (the purposes accepted for TLS servers)
    """

    id = "E9522"
    tags = ("certificate", "key-usage")
    title = "The certificate's extended key usage does not allow TLS servers"
    fix = "Use a certificate issued for TLS servers (extended key usage serverAuth)"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12",
               "https://repost.aws/knowledge-center/api-gateway-ssl-error")

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        purposes = shown.certificate.facts.extended_key_usage
        if purposes is not None and shown.issuer_checked and not SERVER_PURPOSES.intersection(purposes):
            yield Violation(f"{shown.what} is not for TLS servers: its extended key usage allows "
                            f"{', '.join(purposes) or 'nothing'}, not serverAuth; {shown.validator} rejects it",
                            shown.certificate, "trust")
