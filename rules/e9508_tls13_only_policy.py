"""E9508: a TLS-1.3-only security policy on the listener API Gateway handshakes with."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import known_str
from linter.path import TO_LISTENER, Path
from linter.rule import Rule, Settings, Violation

_ACCEPTS_TLS12 = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # TLS 1.3 preferred, TLS 1.2 still accepted


class Tls13OnlyPolicy(Rule):
    """
    ## What it does
    Finds a TLS-1.3-only security policy (`ELBSecurityPolicy-TLS13-1-3-*`, FIPS and PQ variants included) on
    the NLB TLS or ALB HTTPS listener where API Gateway's TLS session terminates.

    ## Why is this bad?
    API Gateway supports only TLS 1.2 on egress. A listener that accepts nothing older than TLS 1.3 fails the
    handshake on every request. (`TLS13-1-2` policies accept TLS 1.2 and are fine.)

    A policy the files do not give -- a parameter without `Default`, an SSM dynamic reference, a variable without
    a value, `Fn::FindInMap` by `AWS::Region` with different policies per region -- is an unresolved hop (I9513)
    naming what decides it; a policy not set at all is the default, which accepts TLS 1.2.

    ## Example
    ```yaml
    Listener:
      Properties:
        Protocol: TLS
        SslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
    ```

    ## How to fix
    Use a policy that still accepts TLS 1.2, e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06` (or its `Res`, `FIPS`
    or `PQ` variants).

    ## Sources
    aws-tls-path.md §4.1, §5: [S26] [S28] [S29] [S29b]
    """

    id = "E9508"
    tags = ("listener", "tls-policy")
    title = "TLS-1.3-only policy where API Gateway (TLS 1.2) handshakes"
    fix = f"Use a security policy that accepts TLS 1.2, e.g. {_ACCEPTS_TLS12}"
    needs = TO_LISTENER
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        tls = path.tls_at_listener
        if tls is None:
            return
        listener = tls.listener
        policy = known_str(listener.ssl_policy) or ""
        if "TLS13-1-3" in policy.upper():
            yield Violation(f"listener '{listener.name}' uses {policy}, which accepts only TLS 1.3; API Gateway "
                            f"({path.integration_name}) connects with TLS 1.2", listener, "ssl_policy",
                            fix=f"{listener.set_to('ssl_policy', _ACCEPTS_TLS12)} (or another policy that accepts "
                                "TLS 1.2)")
