"""W9509: an integration names a VPC link but is not a VPC_LINK integration, so the link is not used."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Interpolated, Reference, known_str
from linter.path import Path, Role
from linter.rule import Rule, Settings, Violation


class VpcLinkIgnored(Rule):
    """
    ## What it does
    Finds HTTP and HTTP_PROXY integrations that set `ConnectionId` (Terraform `connection_id`) while their
    `ConnectionType` is not `VPC_LINK` -- left out (the default is `INTERNET`) or set to `INTERNET`. A
    connection id the files do not give (a parameter without `Default`, a variable without value) is not
    judged: it may be empty.

    ## Why is this bad?
    `connectionType` "INTERNET ... or VPC_LINK for private connections ... The default value is INTERNET", and
    the connection id is only used with `VPC_LINK` (aws-tls-path.md §1.1, [S16]). Without it the VPC link the
    author wired is not used: an `INTERNET` integration calls the URI's host over the internet, resolved through
    public DNS (fact-updates-2026-11.md, "Public (non-VPC-link) HTTP and HTTP_PROXY integrations"), so a private
    backend is unreachable, or a different, public one answers. INFERENCE: the sources do not say whether API
    Gateway then ignores the connection id or refuses the integration when it is created or deployed; either
    way the path the author meant is not the one taken, hence a warning. The commonest way there:
    `ConnectionType: VPC_LINK` dropped in a refactoring.

    ## Example
    ```yaml
    Integration:
      Type: HTTP_PROXY
      ConnectionId: !Ref OrdersLink      # no ConnectionType: VPC_LINK -- the link is not used
      Uri: https://orders.internal.example.com/orders
    ```

    ## How to fix
    Set `ConnectionType: VPC_LINK` (`connection_type = "VPC_LINK"`); or, if the integration is meant to be
    public, remove the connection id.

    ## Sources
    aws-tls-path.md §1.1: [S16]; fact-updates-2026-11.md, "Public (non-VPC-link) HTTP and HTTP_PROXY
    integrations"
    """

    id = "W9509"
    tags = ("vpc-link", "wiring", "public-integration")
    title = "A VPC link on an integration that is not VPC_LINK is not used"
    fix = "Set the integration's connection type to VPC_LINK, or remove its connection id if it is meant to be public"
    needs = frozenset({Role.INTEGRATION})
    sources = ("https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        if path.public is None:
            return
        integration = path.integration
        link = integration.connection_id
        if not (isinstance(link, (Reference, Interpolated)) or known_str(link)):
            return  # not set, empty, or not known: it may be empty
        spelling = integration.spelling
        wired = f"'{link.name}'" if isinstance(link, Reference) else "a VPC link"
        yield Violation(f"{path.integration_name} sets {spelling.name('connection_id')} to {wired}, but its connection "
                        "type is not VPC_LINK, so the link is not used: API Gateway connects over the internet to the "
                        f"host of {spelling.name(path.host_field)}, or refuses the integration", integration, "connection_id",
                        fix=f"Set {spelling.setting('connection_type', 'VPC_LINK')} (or remove "
                            f"{spelling.name('connection_id')} if the integration is meant to be public)")
