"""W9524: a public integration whose host the internet cannot reach: an internal load balancer, a private or
loopback address, an AWS-internal name."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import LoadBalancer, known_str
from linter.path import Path, Role
from linter.rule import Rule, Settings, Violation


class PublicIntegrationUnreachableHost(Rule):
    """
    ## What it does
    Finds HTTP and HTTP_PROXY integrations without a VPC link whose URI host the internet cannot reach:

    * an `internal` load balancer: its own DNS name (`!GetAtt Alb.DNSName`, `aws_lb.x.dns_name`), or a Route 53
      record that points at it (a load balancer whose scheme the files do not give is not judged);
    * an IP address written in the URI that is private (10/8, 172.16/12, 192.168/16), loopback (127/8, `::1`),
      link-local (169.254/16 -- the instance metadata address among them -- `fe80::/10`) or unique-local
      (`fc00::/7`);
    * an AWS-internal DNS name (`ip-10-0-1-5.eu-west-1.compute.internal`, `*.ec2.internal`), which resolves only
      inside a VPC, or `localhost`.

    `--probe` connects to none of these (they are not counted as endpoints not checked).

    ## Why is this bad?
    Without a VPC link API Gateway resolves the URI's host through public DNS and connects over the internet
    (fact-updates-2026-11.md, "Public (non-VPC-link) HTTP and HTTP_PROXY integrations"). The nodes of an
    internal load balancer have only private IP addresses: its DNS name resolves publicly to those private
    addresses, so it "can route requests only from clients with access to the VPC for the load balancer"
    (ELBv2 CreateLoadBalancer, `Scheme`). API Gateway outside your VPC is not such a client, so every request
    fails -- a timeout or a 5xx. INFERENCE: AWS states both halves, not the failure itself; hence a warning.
    The same holds for a private, loopback or link-local address written in the URI, and for a name only a
    VPC's resolver answers: from the internet there is nothing to connect to.

    ## Example
    ```yaml
    OrdersGet:
      Type: AWS::ApiGateway::Method
      Properties:
        Integration:
          Type: HTTP_PROXY
          IntegrationHttpMethod: GET
          Uri: https://orders.example.com/orders   # a Route 53 alias of OrdersAlb; no VPC link
    OrdersAlb:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        Scheme: internal
    ```

    ## How to fix
    Keep the load balancer internal and make the integration private: a VPC link v2 (REST: `ConnectionType:
    VPC_LINK`, the link's id in `ConnectionId`, the load balancer in `IntegrationTarget`; HTTP API: a
    listener's ARN in `IntegrationUri`), or for a REST API and an NLB a VPC link v1 -- the only kind a WebSocket
    API uses (see E9509). Or, if the backend is
    meant to be public, make the load balancer internet-facing (`Scheme: internet-facing`, `internal =
    false`) in public subnets.

    ## Sources
    fact-updates-2026-11.md, "Public (non-VPC-link) HTTP and HTTP_PROXY integrations"; aws-tls-path.md §1.1,
    §1.4, §2 (private integrations through VPC links) [S10] [S11] [S20]; ELBv2 API reference, CreateLoadBalancer
    `Scheme`
    """

    id = "W9524"
    title = "A public integration's host is one the internet cannot reach"
    fix = ("Reach the backend through a private integration (VPC link v2, or v1 for an NLB on a REST or WebSocket "
           "API), or make it internet-facing: an internet-facing load balancer, a public name or address in the URI")
    needs = frozenset({Role.INTEGRATION})  # the load balancer only where the host leads to one (checked there)
    tags = ("load-balancer", "public-integration")
    sources = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/private-integration.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        public = path.public
        if public is None:
            return
        kind = public.off_the_internet
        if kind is not None:
            yield Violation(f"{path.integration_name} has no VPC link: API Gateway connects over the internet to "
                            f"'{public.host}', which is {kind}: API Gateway cannot reach it, so requests time out or "
                            "fail with a 5xx", path.integration, path.host_field, fix=_fix_address(path))
            return
        if path.blocked(frozenset({Role.LOAD_BALANCER})):
            return  # the host may lead to a load balancer the files do not resolve: its scheme is not judged
        if public.load_balancer is None or known_str(public.load_balancer.scheme) != "internal":
            return
        balancer = public.load_balancer
        host = f"'{public.host}'" if isinstance(public.host, str) else path.verified_name
        yield Violation(f"{path.integration_name} has no VPC link: API Gateway resolves {host} through public DNS and "
                        f"connects over the internet, but the name leads to internal load balancer '{balancer.name}' "
                        f"({balancer.spelling.setting('scheme', 'internal')}), whose nodes have only private addresses: "
                        "API Gateway cannot reach them, so requests time out or fail with a 5xx", path.integration,
                        path.host_field, fix=_fix(path, balancer))


def _fix_address(path: Path) -> str:
    """The private integration in the user's words, or a public name for a public endpoint."""
    spelling = path.integration.spelling
    target = (f", {spelling.name('integration_target')} set to the load balancer in front of it" if path.api == "rest"
              else f", {spelling.name('integration_uri')} set to its load balancer's listener" if path.api == "http"
              else " (a VPC link v1 to an NLB in front of it)")
    return (f"Reach the backend through a VPC link -- {spelling.setting('connection_type', 'VPC_LINK')}, "
            f"{spelling.name('connection_id')} set to the link{target} -- or put a public name of an "
            f"internet-facing endpoint in {spelling.name(path.host_field)}")


def _fix(path: Path, balancer: LoadBalancer) -> str:
    """The private integration in the user's words, or the load balancer made internet-facing."""
    spelling = path.integration.spelling
    if path.api == "websocket":  # no IntegrationTarget: a v1 link reaches the NLB, the URI's port its listener
        nlb = f"'{balancer.name}'" if known_str(balancer.lb_type) == "network" else \
            f"an NLB in front of '{balancer.name}' (alb-type target group)"
        return (f"Make {path.integration_name} a private integration -- "
                f"{spelling.setting('connection_type', 'VPC_LINK')}, {spelling.name('connection_id')} set to a VPC "
                f"link v1 that targets {nlb} -- or make '{balancer.name}' internet-facing "
                f"({balancer.spelling.setting('scheme', 'internet-facing')})")
    if path.api == "rest":
        names = (f"{spelling.name('integration_target')} set to '{balancer.name}' (the URI then only names the "
                 "host API Gateway verifies)")
    else:
        names = (f"{spelling.name('integration_uri')} set to a listener of '{balancer.name}' ({spelling.name('tls_config')} "
                 f"with {spelling.name('server_name_to_verify')} for TLS)")
    return (f"Make {path.integration_name} a private integration -- {spelling.setting('connection_type', 'VPC_LINK')}, "
            f"{spelling.name('connection_id')} set to a VPC link v2, {names} -- or make '{balancer.name}' "
            f"internet-facing ({balancer.spelling.setting('scheme', 'internet-facing')})")
