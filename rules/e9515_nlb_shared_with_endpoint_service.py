"""E9515: the NLB of a VPC link v1 also backs a VPC endpoint service of its own."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import LoadBalancer
from linter.path import Path, Role
from linter.rule import Rule, Settings, Violation


class NlbSharedWithEndpointService(Rule):
    """
    ## What it does
    Finds a VPC link v1 (`AWS::ApiGateway::VpcLink`, `aws_api_gateway_vpc_link`) whose Network Load
    Balancer is also named by a VPC endpoint service (`AWS::EC2::VPCEndpointService`,
    `aws_vpc_endpoint_service`) in the scanned files.

    ## Why is this bad?
    A VPC link v1 is a PrivateLink endpoint service that API Gateway creates on the NLB, and an NLB can back
    only one endpoint service. When the NLB "is already associated with another VPC Endpoint Service", the
    link ends up `FAILED` and every request through it fails -- whichever of the two was created first, the
    link or the service, one of them does not work.

    ## Example
    ```yaml
    OrdersLink:
      Type: AWS::ApiGateway::VpcLink
      Properties:
        TargetArns: [!Ref OrdersNlb]
    PartnerService:
      Type: AWS::EC2::VPCEndpointService
      Properties:
        NetworkLoadBalancerArns: [!Ref OrdersNlb]   # the same NLB
        AcceptanceRequired: true
    ```

    ## How to fix
    Give the endpoint service an NLB of its own, or serve the API through a VPC link v2
    (`AWS::ApiGatewayV2::VpcLink` with `IntegrationTarget`), which is not an endpoint service and leaves the
    NLB free for PrivateLink consumers.

    ## Sources
    aws-tls-path.md §1.1, §1.4, §8, candidate check 13: [S5] [S5b] [S10] [S11];
    fact-updates-2026-11.md (VPC link v1 "is considered a legacy integration type")
    """

    id = "E9515"
    tags = ("vpc-link", "load-balancer")
    title = "The VPC link's NLB already backs a VPC endpoint service"
    fix = "Give the VPC endpoint service an NLB of its own, or use a VPC link v2 for the API"
    needs = frozenset({Role.VPC_LINK, Role.LOAD_BALANCER})
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-api-with-vpclink-cli.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/private-integration.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        private = path.private_link
        if private is None or private.vpc_link is None or private.vpc_link.version != 1 \
                or not isinstance(private.entry, LoadBalancer):
            return
        link, balancer = private.vpc_link, private.entry
        for service in private.endpoint_services:
            yield Violation(
                f"VPC link '{link.name}' of {path.integration_name} targets NLB '{balancer.name}', which VPC endpoint "
                f"service '{service.name}' also uses; a v1 link is an endpoint service itself, and an NLB backs "
                "only one: the link goes FAILED", service, "load_balancers",
                fix=(f"Give '{service.name}' an NLB of its own, or move {path.integration_name} to a VPC link v2 "
                     f"with {path.integration.spelling.name('integration_target')} set to '{balancer.name}' (a v2 "
                     "link is no endpoint service)"))
