"""E9516: resources on one path are in different regions or accounts where AWS requires one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from linter.path import Path, Placed, Role
from linter.rule import Rule, Settings, Violation


class _Together(NamedTuple):
    """Hops AWS requires in one region (or one account), and why. (Not a dataclass: ``cfn-lint -a rules/``
    loads rule files without registering them as modules, which dataclasses need.)"""

    roles: frozenset[Role]
    account: bool  # compare accounts rather than regions
    why: str


_CERTIFICATES = _Together(frozenset({Role.LOAD_BALANCER, Role.LISTENER, Role.CERTIFICATE}), False,
                          "ACM certificates are regional: a listener can only use one of its own region")
_API_SIDE = _Together(frozenset({Role.INTEGRATION, Role.VPC_LINK}), False,
                      "an integration can only use a VPC link of its own API's region")
_V1_REGION = _Together(frozenset({Role.INTEGRATION, Role.VPC_LINK, Role.LOAD_BALANCER, Role.LISTENER}), False,
                       "a VPC link v1 reaches a Network Load Balancer of the API's own region only")
_ACCOUNT = _Together(frozenset({Role.INTEGRATION, Role.VPC_LINK, Role.LOAD_BALANCER, Role.LISTENER}), True,
                     "the API, its VPC link and the load balancer must belong to one account")


class RegionOrAccountMismatch(Rule):
    """
    ## What it does
    Compares the regions and accounts the files state for the hops of a path -- a Terraform resource's own
    `region` argument (AWS provider v6: it wins over the provider configuration's), else its provider
    configuration (`provider = aws.use1`, its `region`, its `assume_role` account), an ARN written out, a CDK
    stack's environment -- and finds hops AWS requires together that are apart:

    * a listener certificate from ACM in another region than the load balancer (IAM server certificates are
      global: they serve every region, whichever provider configuration created them);
    * a VPC link v1 whose Network Load Balancer is in another region or account than the API;
    * an API, VPC link and load balancer in different accounts (v1 and v2);
    * an integration and its VPC link created in different regions.

    Nothing is claimed on a region or account the files do not state: a CloudFormation stack's own region, a
    provider or resource whose `region` comes from a variable without a value, an ARN built at deploy time.

    ## Why is this bad?
    ACM certificates are regional: a certificate must be requested or imported in the load balancer's region,
    and a listener cannot use one from another region (the classic slip: the `us-east-1` certificate made for
    CloudFront). A VPC link v1 must target an NLB of the API's own region and account, and an HTTP API, its VPC
    link and its load balancer must belong to one account. These fail at deploy time, or leave the link FAILED.

    ## Example
    ```hcl
    resource "aws_acm_certificate" "api" {
      provider          = aws.us_east_1   # made for CloudFront
      domain_name       = "api.example.com"
      validation_method = "DNS"
    }
    resource "aws_lb_listener" "tls" {   # the default provider: eu-west-1
      certificate_arn = aws_acm_certificate_validation.api.certificate_arn
    }
    ```

    ## How to fix
    Request (or import) the certificate in the load balancer's region -- with the same provider configuration
    as the load balancer, or the same `region` argument where the files place resources by theirs -- and create
    the API, the VPC link and the load balancer in one region and account.

    ## Sources
    aws-tls-path.md §1.1, §2, §6.1, §8, candidate check 17: [S7] [S9] [S16] [S19] [S20] [S44] [S52]
    (that an integration cannot use a VPC link of another region is INFERENCE: both are regional API Gateway
    resources); a resource's `region` argument: the AWS provider's "Enhanced Region Support" guide (provider 6.0,
    "the effective Region is the value of the top-level region argument if configured or the Region defined in
    the provider configuration")
    """

    id = "E9516"
    title = "Resources on the path are in different regions or accounts"
    fix = "Create the certificate, the API, its VPC link and the load balancer in one region and account"
    needs = frozenset()  # judges only the regions and accounts the files state, past any gap
    tags = ("region", "account")
    sources = ("https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-with-private-integration.html",
               "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html",
               "https://hashicorp.github.io/terraform-provider-aws/enhanced-region-support")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        link = path.private_link
        if link is None:
            return
        v1 = link.vpc_link is not None and link.vpc_link.version == 1
        placed = path.placed
        for together in (_CERTIFICATES, _V1_REGION if v1 else _API_SIDE, _ACCOUNT):
            apart = _first_apart([hop for hop in placed if hop.role in together.roles], together.account)
            if apart is not None:
                yield _violation(path, together, *apart)


def _first_apart(hops: list[Placed], account: bool) -> tuple[Placed, Placed] | None:
    """The first hop that states a place and a later one that states another."""
    stated = [hop for hop in hops if _where(hop, account)]
    return next(((stated[0], hop) for hop in stated[1:] if _where(hop, account) != _where(stated[0], account)), None)


def _where(hop: Placed, account: bool) -> str | None:
    return hop.placement.account if account else hop.placement.region


def _violation(path: Path, together: _Together, first: Placed, other: Placed) -> Violation:
    return Violation(
        f"{_said(other, together.account)}, but {_said(first, together.account)}: {together.why} "
        f"({path.integration_name})", other.subject, other.field_name or "placement", fix=_fix(together, first, other))


def _said(hop: Placed, account: bool) -> str:
    where = f", {hop.placement.loc}" if hop.placement.loc is not None and hop.field_name is None else ""
    kind = "account" if account else "region"
    return f"{hop.role.label} '{hop.name}' is in {kind} {_where(hop, account)} ({hop.placement.stated_by}{where})"


def _fix(together: _Together, first: Placed, other: Placed) -> str:
    kind, there = ("account" if together.account else "region"), _where(first, together.account)
    if other.field_name is not None:  # named by an ARN written out
        return f"Name a {other.role.label} in {kind} {there} here: this ARN names {_where(other, together.account)}"
    if not together.account and (other.subject.spelling.has("region")
                                 or (first.field_name is None and first.subject.spelling.has("region"))):
        # a resource's own region argument (AWS provider v6) wins over any provider configuration
        assert there is not None  # a mismatch is between two regions the files give
        return f"Put {other.role.label} '{other.name}' in region {there}: {other.subject.assignment('region', there)}"
    same = f", with the provider configuration of '{first.name}' ({first.placement.stated_by})" \
        if first.field_name is None else ""
    return f"Create {other.role.label} '{other.name}' in {kind} {there}{same}"
