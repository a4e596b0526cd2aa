"""I9511: an HTTP API private integration sends plain HTTP inside the VPC."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import TLS_PROTOCOLS, TO_LISTENER, Path
from linter.rule import Rule, Settings, Violation


class PlaintextPrivateIntegration(Rule):
    """
    ## What it does
    Notes HTTP API private integrations without a `TlsConfig` that reach a plain listener (HTTP, or TCP to
    plain backends): traffic between API Gateway and the load balancer is unencrypted.

    ## Why is this bad?
    It works -- this is not a failure -- but the request, headers and tokens cross the VPC in clear text.
    AWS Config's `apigatewayv2-integration-private-https-enabled` marks it NON_COMPLIANT.

    ## Example
    ```yaml
    Integration:
      Type: AWS::ApiGatewayV2::Integration
      Properties:
        ConnectionType: VPC_LINK
        IntegrationUri: !Ref HttpListener      # no TlsConfig
    ```

    ## How to fix
    Make the listener HTTPS/TLS with an ACM certificate and add `TlsConfig: {ServerNameToVerify: <name>}`.

    ## Sources
    aws-tls-path.md §2: [S17] [S20] [S67]
    """

    id = "I9511"
    tags = ("plaintext",)
    security_severity = 3.0  # traffic inside the VPC travels unencrypted
    title = "HTTP API private integration without TLS"
    fix = "Add a TLS configuration with the server name to verify, and make the listener HTTPS/TLS with an ACM certificate"
    needs = TO_LISTENER
    sources = ("https://docs.aws.amazon.com/config/latest/developerguide/apigatewayv2-integration-private-https-enabled.html",)

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        connection = path.connection
        if path.api != "http" or path.public is not None or connection is None or connection.tls:
            return  # a public integration's plain HTTP is I9519
        if connection.protocol and connection.protocol not in TLS_PROTOCOLS:
            spelling = path.integration.spelling
            yield Violation(f"{path.integration_name} has no {spelling.name('tls_config')}: traffic to listener "
                            f"'{connection.listener.name}' ({connection.protocol}) is unencrypted inside the VPC",
                            path.integration, "tls_config",
                            fix=(f"Add {spelling.name('tls_config')} with {spelling.name('server_name_to_verify')}, "
                                 f"and make listener '{connection.listener.name}' HTTPS/TLS with an ACM certificate"))
