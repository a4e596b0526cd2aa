"""W9517: a security group of the load balancer blocks the listener port for the VPC link's traffic."""

from __future__ import annotations

from collections.abc import Iterator

from linter.path import TO_LISTENER, GuardedListener, Path, Role
from linter.rule import Rule, Settings, Violation


class SecurityGroupBlocksListener(Rule):
    """
    ## What it does
    Finds a load balancer whose security groups, as the files write them, let none of API Gateway's traffic
    reach the listener port the integration uses:

    * **VPC link v1**: the NLB has security groups and enforces their inbound rules on PrivateLink traffic
      (`EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` /
      `enforce_security_group_inbound_rules_on_private_link_traffic`, `on` unless set to `off`), and no
      inbound rule opens the listener's port at all;
    * **VPC link v2**: the load balancer's security groups have no inbound rule on the listener's port whose
      source is one of the VPC link's security groups (or an address range, which may hold the link's
      network interfaces).

    Inline rules (`SecurityGroupIngress`, `ingress {}`) and rules of their own (`AWS::EC2::SecurityGroupIngress`,
    `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`) count alike; protocol `-1`/`all` opens
    every port. A group, rule or source the files do not determine (a data source, a variable, a literal id)
    is never taken as closed: then nothing is reported. A group the template exports to stacks no scanned
    template imports may get its rule there: then I9513 names the export instead.

    ## Why is this bad?
    "Security groups don't allow traffic on specific ports" is one of the causes AWS lists for a 500 from a
    private integration. A v2 link reaches the load balancer from network interfaces that carry the link's
    security groups, so the load balancer's groups must admit those groups. A v1 link is PrivateLink: with
    inbound rules enforced on PrivateLink traffic (the default), an NLB whose groups open nothing on the port
    drops every connection. The warning level is because rules may also be added outside the scanned files.

    ## Example
    ```yaml
    OrdersLink:
      Type: AWS::ApiGatewayV2::VpcLink
      Properties:
        SecurityGroupIds: [!Ref LinkSecurityGroup]
    AlbSecurityGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        SecurityGroupIngress:
          - {IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref BastionSecurityGroup}
    ```

    ## How to fix
    v2: add an inbound rule on the listener's port whose source is the VPC link's security group. v1: add an
    inbound rule on the listener's port to the NLB's security group, or turn the enforcement off for
    PrivateLink traffic (which source range API Gateway's PrivateLink traffic comes from is not documented).

    ## Sources
    aws-tls-path.md §2, §4.4, §8, candidate check 18: [S21] [S25] [S35] [S36] [S53] [S68] (the v1 source
    address is UNVERIFIED, hence only "no rule on the port at all")
    """

    id = "W9517"
    tags = ("load-balancer", "security-group")
    title = "A security group of the load balancer blocks the VPC link's traffic to the listener"
    fix = ("Let the listener's port in from the VPC link: its security group (v2), or any source with PrivateLink "
           "inbound enforcement off (v1)")
    needs = TO_LISTENER | {Role.VPC_LINK}
    sources = ("https://repost.aws/knowledge-center/api-gateway-500-error-vpc",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        guarded = path.guarded_listener
        if guarded is None or not guarded.lets_nothing_in:
            return
        balancer = guarded.load_balancer
        if guarded.vpc_link.version == 1:
            yield Violation(
                f"NLB '{balancer.name}' applies the inbound rules of its security groups ({_names(guarded)}) to "
                f"PrivateLink traffic, and none of them lets TCP port {guarded.port} in: VPC link v1 "
                f"'{guarded.vpc_link.name}' ({path.integration_name}) cannot reach listener '{guarded.listener.name}'",
                balancer, "security_groups",
                fix=(f"{_let_in(guarded, 'any source the API needs')}, or set "
                     f"{balancer.spelling.setting('private_link_inbound', 'off')} on '{balancer.name}'"))
            return
        assert guarded.link_groups is not None  # lets_nothing_in holds only for a link with security groups
        link = ", ".join(f"'{group.name}'" for group in guarded.link_groups.groups)
        yield Violation(
            f"the security groups of load balancer '{balancer.name}' ({_names(guarded)}) let nothing from VPC link "
            f"'{guarded.vpc_link.name}' (security groups {link}) in on TCP port {guarded.port}: "
            f"{path.integration_name} cannot reach listener '{guarded.listener.name}'",
            balancer, "security_groups",
            fix=_let_in(guarded, f"security group {link}"))


def _let_in(guarded: GuardedListener, source: str) -> str:
    group = guarded.groups[0]
    return (f"Let TCP port {guarded.port} in from {source}: a rule in {group.spelling.name('inbound')} of "
            f"'{group.name}' (or an inbound rule resource of its own)")


def _names(guarded: GuardedListener) -> str:
    return ", ".join(f"'{group.name}'" for group in guarded.groups)
