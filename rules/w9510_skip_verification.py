"""W9510: insecureSkipVerification is on."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import Path
from linter.rule import Rule, Settings, Violation


class SkipVerification(Rule):
    """
    ## What it does
    Finds REST private integrations with `tlsConfig.insecureSkipVerification: true` -- set in the OpenAPI
    body (`x-amazon-apigateway-integration`), the only place CloudFormation can set it, or in Terraform's
    `tls_config` block.

    ## Why is this bad?
    API Gateway then accepts a backend certificate from any issuer, which "increases the risk of
    man-in-the-middle attacks". It does **not** fix everything: API Gateway still rejects expired
    certificates, host-name mismatches and chains without a root CA (CA:TRUE, keyCertSign), so E9503, E9504
    and E9505 still apply.

    ## Example
    ```yaml
    x-amazon-apigateway-integration:
      connectionType: VPC_LINK
      tlsConfig:
        insecureSkipVerification: true
    ```

    ## How to fix
    Present a publicly trusted certificate (e.g. terminate TLS on an NLB TLS listener with an ACM
    certificate) and remove the flag.

    ## Sources
    aws-tls-path.md §1.1, §1.3: [S1] [S1b] [S2] [S13] [S15]
    """

    id = "W9510"
    tags = ("verification",)
    title = "insecureSkipVerification turns off issuer checks"
    fix = "Present a publicly trusted certificate and remove insecureSkipVerification"
    needs = frozenset()
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integration-tls-config.html",
               "https://docs.aws.amazon.com/apigateway/latest/api/API_TlsConfig.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        if path.api == "rest" and path.skip_verification:
            flag = path.integration.spelling.name("skip_verification")
            yield Violation(f"{path.integration_name} sets {flag}: API Gateway accepts any issuer "
                            "(man-in-the-middle risk); it still rejects expired certificates, host-name mismatches "
                            "and chains without a root CA", path.integration, "skip_verification",
                            fix=f"Present a publicly trusted certificate and remove {flag}")
