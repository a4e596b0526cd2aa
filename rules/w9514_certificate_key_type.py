"""W9514: an RSA key over 2048 bits or an EC key on an NLB TLS listener API Gateway handshakes with."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.model import known_str
from linter.path import TO_LISTENER, Path, Role
from linter.rule import Rule, Settings, Violation

_RSA = re.compile(r"RSA[-_ ]?(\d+)", re.IGNORECASE)
_EC = re.compile(r"^(EC|ECDSA)\b|^EC[-_]", re.IGNORECASE)


class CertificateKeyType(Rule):
    """
    ## What it does
    Warns when the certificate on an NLB TLS listener in an API Gateway path has an RSA key larger than 2048
    bits or an EC key.

    ## Why is this bad?
    AWS's knowledge-center guidance for "General SSLEngine problem" says backend certificates for API
    Gateway may not exceed 2048 bits, and the NLB documentation long said NLBs cannot use RSA keys over 2048
    bits or EC keys. Newer limits are not confirmed, so this **may** fail -- check before relying on it.

    ## Example
    ```yaml
    Certificate:
      Type: AWS::CertificateManager::Certificate
      Properties:
        KeyAlgorithm: EC_prime256v1
    ```

    ## How to fix
    Use an RSA-2048 certificate on the NLB listener.

    ## Sources
    aws-tls-path.md §3, §4.1, §8: [S23] [S28]
    """

    id = "W9514"
    title = "Certificate key type or size an NLB/API Gateway may not accept"
    fix = "Use an RSA-2048 certificate on the NLB TLS listener"
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://repost.aws/knowledge-center/api-gateway-ssl-error",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-tls-listener.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        tls = path.tls_at_listener
        if tls is None or tls.load_balancer is None or known_str(tls.load_balancer.lb_type) != "network":
            return
        for certificate in tls.certificates:
            key = certificate.facts.key if isinstance(certificate.facts.key, str) else ""
            size = _RSA.search(key)
            if (size and int(size.group(1)) > 2048) or _EC.search(key):
                yield Violation(f"{certificate.source.value} '{certificate.name}' has key type {key}; NLB TLS listeners "
                                "in front of API Gateway may not accept more than RSA 2048", certificate, "key")
