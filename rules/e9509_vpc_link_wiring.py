"""E9509: the VPC link and the integration are wired in a way API Gateway refuses."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import (
    HttpApiIntegration,
    Listener,
    LoadBalancer,
    Resource,
    RestIntegration,
    Unknown,
    VpcLink,
    WebSocketIntegration,
    known_str,
)
from linter.path import CLOUD_MAP_ARN, LISTENER_ARN, Path, PrivateLink
from linter.rule import Rule, Settings, Violation


class VpcLinkWiring(Rule):
    """
    ## What it does
    Checks how the integration, the VPC link and the load balancer fit together:

    * a VPC link v1 (`AWS::ApiGateway::VpcLink`) must target exactly one **Network** Load Balancer;
    * a REST integration on a VPC link v2 needs `IntegrationTarget` (the NLB/ALB or its listener), and
      `IntegrationTarget` is meaningless on a v1 link;
    * an HTTP API integration needs a VPC link v2 and an `IntegrationUri` that is a listener ARN or an AWS
      Cloud Map service ARN;
    * a WebSocket API integration (`ProtocolType: WEBSOCKET`) is wired as a REST one on a v1 link: a VPC
      link v1 to one NLB, and an `IntegrationUri` that is a URL (its host and port are judged as a REST URI's).
      It has no `IntegrationTarget`, so a VPC link v2 leads it nowhere.

    A VPC link the files do not determine is an I9513 of its own: the checks that need the link are left
    out, and what the integration itself names is still checked.

    ## Why is this bad?
    These fail at deploy time or on every request: `NLB ARN is malformed` for a v1 link on an ALB,
    `IntegrationTarget is required for VpcLinkV2`, a v1 link with several targets, an HTTP API integration
    that names a load balancer instead of its listener, a WebSocket integration on a v2 link.

    WebSocket APIs: AWS's whitepaper says their private integrations "work the same way as requests to REST
    APIs" through an NLB, and AWS's knowledge-center article has you create a REST API VPC link (v1) for one;
    no AWS page documents a VPC link v2 for WebSocket APIs (the v2 link's schema names "REST and HTTP APIs").
    The failure of a v2 link ("Invalid VpcLink id ... referenced in integration") is a user report on
    re:Post (THIRD-PARTY). The API reference's "ConnectionId ... Supported only for HTTP APIs" contradicts
    the whitepaper and AWS's own sample (aws-samples/serverless-patterns `apigw-websocket-api-vpclink`);
    tlspath follows the whitepaper and the sample. No AWS source says whether API Gateway sends the URI host
    as SNI on WebSocket private integrations (UNVERIFIED, as for REST, aws-tls-path.md §1.2).

    ## Example
    ```yaml
    Integration:
      ConnectionType: VPC_LINK
      ConnectionId: !Ref VpcLinkV2        # a v2 link ...
      Uri: https://api.example.com/       # ... but no IntegrationTarget
    ```

    ## How to fix
    Use a v1 link with one NLB, or a v2 link with `IntegrationTarget` (REST) / a listener ARN in
    `IntegrationUri` (HTTP API); a WebSocket API: a v1 link with one NLB and a URL in `IntegrationUri`.

    ## Sources
    aws-tls-path.md §1.1, §1.4, §2: [S11] [S16] [S17] [S19] [S49] [S51] [S64]. WebSocket APIs (not in the
    domain files): the whitepaper "Best Practices for Designing Amazon API Gateway Private APIs and Private
    Integration" > WebSocket API; knowledge-center article api-gateway-vpc-link-integration (pass the
    connectionId to a VPC link integration); re:Post question QU8JuxHo2pRhyB6aJv_UcRRw (THIRD-PARTY).
    """

    id = "E9509"
    tags = ("vpc-link", "wiring")
    title = "VPC link wiring that API Gateway refuses"
    fix = "Wire a v1 VPC link to exactly one NLB, or use a v2 link with an integration target (REST) / a listener ARN (HTTP API)"
    needs = frozenset()  # judges the wiring the files show; a link they do not determine is left out
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html",
               "https://github.com/hashicorp/terraform-provider-aws/issues/45230",
               "https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/"
               "websocket-api.html",
               "https://repost.aws/knowledge-center/api-gateway-vpc-link-integration")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        private = path.private_link
        if private is None:
            return
        if isinstance(path.integration, HttpApiIntegration):
            yield from self._http_api(path, path.integration, private)
        else:
            yield from self._rest(path, path.integration, private)

    def _rest(self, path: Path, integration: RestIntegration, private: PrivateLink) -> Iterator[Violation]:
        link, entry = private.vpc_link, private.entry
        if link is not None:
            yield from self._rest_link(path, integration, link, entry)
        if entry is not None and not isinstance(entry, (LoadBalancer, Listener)):
            named_by_link = link is not None and link.version == 1 and integration.integration_target is None
            field_name = "connection_id" if named_by_link else "integration_target"
            yield Violation(f"{path.integration_name} reaches '{entry.name}', which is neither a load balancer nor a "
                            "listener", integration, field_name,
                            fix=f"Point {integration.spelling.name(field_name)} at the load balancer (or listener)")

    def _rest_link(self, path: Path, integration: RestIntegration, link: VpcLink,
                   entry: Resource | None) -> Iterator[Violation]:
        target = integration.spelling.name("integration_target")
        # a WebSocket API has no IntegrationTarget: a v1 link is its only way to a load balancer
        or_v2 = "" if isinstance(integration, WebSocketIntegration) else f", or use a VPC link v2 with {target}"
        if link.version == 1:
            if integration.integration_target is not None:
                yield Violation(f"{path.integration_name} sets {target}, but VPC link '{link.name}' is a v1 link, "
                                "which reaches the one NLB it targets", integration, "integration_target",
                                fix=f"Drop {target}, or use a VPC link v2")
            if not isinstance(link.targets, Unknown) and len(link.targets) != 1:
                yield Violation(f"VPC link '{link.name}' targets {len(link.targets)} load balancers; a v1 link targets "
                                "exactly one NLB", link, "targets", fix=f"Target exactly one NLB{or_v2}")
            elif isinstance(entry, LoadBalancer) and known_str(entry.lb_type) not in (None, "network"):
                yield Violation(f"VPC link '{link.name}' targets '{entry.name}', an {entry.lb_type} load "
                                "balancer; a v1 link only reaches a Network Load Balancer ('NLB ARN is malformed')",
                                link, "targets", fix=f"Put an NLB in front (alb-type target group){or_v2}")
        elif isinstance(integration, WebSocketIntegration):
            connection = integration.spelling.name("connection_id")
            yield Violation(f"{path.integration_name} is a WebSocket API integration on VPC link v2 '{link.name}'; "
                            "WebSocket APIs reach private integrations through a VPC link v1 to an NLB",
                            integration, "connection_id",
                            fix=f"Point {connection} at a VPC link v1 that targets the NLB (the URI's port selects "
                                "its listener)")
        elif integration.integration_target is None:
            yield Violation(f"{path.integration_name} uses VPC link v2 '{link.name}' without {target} "
                            "('IntegrationTarget is required for VpcLinkV2')", integration, "connection_id",
                            fix=f"Set {target} to the load balancer (or listener) ARN")

    def _http_api(self, path: Path, integration: HttpApiIntegration, private: PrivateLink) -> Iterator[Violation]:
        link, entry = private.vpc_link, private.entry
        if integration.api_kind is not None and (link is None or link.version != 2):
            return  # on a v1 link, maybe a WebSocket API's integration, wired as a REST one: I9513 says so
        uri_name = integration.spelling.name("integration_uri")
        if link is not None and link.version == 1:
            yield Violation(f"{path.integration_name} is an HTTP API integration on VPC link v1 '{link.name}'; HTTP APIs "
                            "use VPC links v2", integration, "connection_id",
                            fix=f"Point {integration.spelling.name('connection_id')} at a VPC link v2")
        uri = known_str(integration.integration_uri)
        if uri is not None and not (LISTENER_ARN.match(uri) or CLOUD_MAP_ARN.match(uri)):
            yield Violation(f"{path.integration_name}'s {uri_name} '{uri}' is neither a listener ARN nor a Cloud Map "
                            "service ARN", integration, "integration_uri",
                            fix=f"Set {uri_name} to the ARN of the ALB/NLB listener (or a Cloud Map service)")
        elif entry is not None and not isinstance(entry, Listener):
            yield Violation(f"{path.integration_name}'s {uri_name} names '{entry.name}', not a listener; an HTTP "
                            "API private integration needs the listener ARN", integration, "integration_uri",
                            fix=f"Point {uri_name} at one of the load balancer's listeners, not at the load balancer")
