"""W9501: the certificate chains to a root Mozilla's bundle trusts but API Gateway's published list lacks."""

from __future__ import annotations

from collections.abc import Iterator

from linter.certs import trust_store
from linter.model import Trust
from linter.path import TO_LISTENER, Presented, Role
from linter.rule import CertificateRule, Settings, Violation


class NotOnApiGatewayList(CertificateRule):
    """
    ## What it does
    Warns when the certificate API Gateway validates chains to a root that Mozilla's CA bundle (certifi) holds
    but API Gateway's published CA list does not -- by fingerprint, by subject and public key, or as the
    issuer of the chain's top certificate. With `--trust-store FILE`, "API Gateway's list" is that file.

    ## Why is this bad?
    API Gateway does not trust Mozilla's bundle; it trusts its own list ("API Gateway-supported certificate
    authorities for HTTP and HTTP proxy integrations"). The newest full text of that list tlspath could read
    is from 2022-01-24 (247 fingerprints); roots Mozilla added since -- ISRG Root X2, Sectigo R46/E46, DigiCert
    TLS G5, GlobalSign R46/E46, HARICA 2021 ... -- are not on it. Whether API Gateway accepts them today is not
    published in a form tlspath can read, so the handshake **may** fail with `PKIX path building failed`.

    ## Example
    A backend certificate issued by a CA that chains to ISRG Root X2 only (an ECDSA Let's Encrypt chain
    without the cross-signature).

    ## How to fix
    Check the root against the live page; if it is listed now, save the page's list and pass it with
    `--trust-store FILE` (the fingerprint listing as copied works). Otherwise use a certificate that chains to a
    listed root -- an ACM-issued certificate chains to Amazon Root CA 1.

    ## Sources
    fact-updates-2026-11.md §1; apigw-trusted-cas.md; aws-tls-path.md §3 [S4]
    """

    id = "W9501"
    tags = ("certificate", "trust")
    title = "The certificate's root is not on API Gateway's published CA list"
    fix = ("Use a certificate that chains to a CA on API Gateway's list (ACM-issued certificates do), or pass the "
           "current list with --trust-store FILE if the root is on it now")
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-supported-certificate-authorities-for-http-endpoints.html",)

    def check_presented(self, shown: Presented, settings: Settings) -> Iterator[Violation]:
        facts = shown.certificate.facts
        if facts.trust is Trust.MOZILLA_ONLY and shown.issuer_checked:
            yield Violation(f"{shown.what} chains to {facts.anchor}, which Mozilla's CA bundle holds but "
                            f"{trust_store().description} does not; {shown.validator} may reject it",
                            shown.certificate, "trust")
