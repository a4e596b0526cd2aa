"""W9514: an RSA key of 4096 bits or more on an NLB TLS listener API Gateway handshakes with."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.model import known_str
from linter.path import TO_LISTENER, Path, Role
from linter.rule import Rule, Settings, Violation

_RSA = re.compile(r"RSA[-_ ]?(\d{1,5})(?!\d)", re.IGNORECASE)  # longer: no key anyone can make


class CertificateKeyType(Rule):
    """
    ## What it does
    Warns when the certificate on an NLB TLS listener in an API Gateway path has an RSA key of 4096 bits or
    more. RSA 2048 and 3072 and ECDSA P-256, P-384 and P-521 are fine.

    ## Why is this bad?
    Since 2024-01-19 NLB TLS listeners accept "RSA 3072-bit and ECDSA 256/384/521-bit certificates ... via
    ACM" besides RSA 2048 (NLB document history). RSA 4096 is not named, so a listener with such a
    certificate **may** fail to serve it. (An often repeated claim that API Gateway backends must present at
    most 2048 bits has no developer-guide source; AWS's only 2048-bit limit found is for edge-optimized custom
    domain certificates, a CloudFront limit on the client side.)

    ## Example
    ```yaml
    Certificate:
      Type: AWS::CertificateManager::Certificate
      Properties:
        KeyAlgorithm: RSA_4096
    ```

    ## How to fix
    Use an RSA 2048/3072 or ECDSA P-256/P-384 certificate on the NLB listener.

    ## Sources
    fact-updates-2026-11.md §2; aws-tls-path.md §4.1 [S28]
    """

    id = "W9514"
    tags = ("certificate", "crypto")
    title = "Certificate key size an NLB may not accept"
    fix = "Use an RSA 2048/3072 or ECDSA P-256/P-384 certificate on the NLB TLS listener"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/network/doc-history.html",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-tls-listener.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        tls = path.tls_at_listener
        if tls is None or tls.load_balancer is None or known_str(tls.load_balancer.lb_type) != "network":
            return
        for certificate in tls.certificates:
            key = certificate.facts.key if isinstance(certificate.facts.key, str) else ""
            size = _RSA.search(key)
            if size and int(size.group(1)) >= 4096:
                requested = certificate.spelling.has("key")  # an ACM request names its key algorithm
                yield Violation(f"{certificate.source.value} '{certificate.name}' has key type {key}; NLB TLS listeners "
                                "are documented for RSA 2048/3072 and ECDSA P-256/384/521 only, so this may not be "
                                "accepted", certificate, "key",
                                fix=(f"Request the certificate with {certificate.spelling.setting('key', 'RSA_2048')} "
                                     "(or EC_prime256v1)" if requested else None))
