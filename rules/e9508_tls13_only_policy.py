"""E9508: a TLS-1.3-only security policy on the listener API Gateway handshakes with, or a TLS-1.3-only
backend TLS passes through to."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import EvidenceKind, Listener, Target, TlsSign, known_str
from linter.path import TO_LISTENER, Path, TlsAtTargets
from linter.rule import Rule, Settings, Violation

_ACCEPTS_TLS12 = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # TLS 1.3 preferred, TLS 1.2 still accepted


class Tls13OnlyPolicy(Rule):
    """
    ## What it does
    Finds a TLS-1.3-only security policy (`ELBSecurityPolicy-TLS13-1-3-*`, FIPS and PQ variants included) on
    the NLB TLS or ALB HTTPS listener where API Gateway's TLS session terminates -- and, where TLS passes
    through a TCP listener to the targets (or a public URI names an instance), a boot script or container
    command that configures the backend's server for TLS 1.3 alone: nginx `ssl_protocols TLSv1.3;`, Apache
    `SSLProtocol -all +TLSv1.3`, HAProxy `ssl-min-ver TLSv1.3` (or `force-tlsv13`) on a `bind` line or in
    `ssl-default-bind-options`, Envoy `tls_minimum_protocol_version: TLSv1_3` in a `DownstreamTlsContext`. Only
    where the script is unambiguous: configuration (not a comment, nor a pattern `sed` or `grep` looks for), and
    no other server the target's port may be (TLS 1.2 mentioned, a second TLS port or protocol setting, nginx's
    `stream` module, an Envoy beside another server).

    ## Why is this bad?
    API Gateway supports only TLS 1.2 on egress. A listener that accepts nothing older than TLS 1.3 fails the
    handshake on every request. (`TLS13-1-2` policies accept TLS 1.2 and are fine.) "The same applies to a
    TLS-1.3-only backend behind TCP pass-through" (aws-tls-path.md §5): whatever its certificate, the
    handshake fails -- and `insecureSkipVerification` does not help.

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
    or `PQ` variants). On a backend, let its server accept TLS 1.2 as well (`ssl_protocols TLSv1.2 TLSv1.3;`),
    or terminate TLS on an NLB TLS listener with such a policy.

    ## Sources
    aws-tls-path.md §4.1, §5: [S26] [S28] [S29] [S29b]
    """

    id = "E9508"
    tags = ("listener", "tls-policy")
    title = "TLS 1.3 only where API Gateway's TLS 1.2 handshake ends"
    fix = (f"Use a security policy that accepts TLS 1.2, e.g. {_ACCEPTS_TLS12}; on a backend TLS passes through "
           "to, let its server accept TLS 1.2 as well")
    needs = TO_LISTENER
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        if path.tls_at_targets is not None:
            yield from _at_targets(path, path.tls_at_targets)
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


def _at_targets(path: Path, at_targets: TlsAtTargets) -> Iterator[Violation]:
    """A backend whose own script leaves it TLS 1.3 alone, where API Gateway's TLS 1.2 session ends at it."""
    listener = at_targets.listener
    for target in at_targets.targets:
        evidence = target.tls_evidence
        if evidence is None or evidence.sign.kind is not EvidenceKind.TLS13_ONLY:
            continue
        server = f"{target.kind.value} '{target.name}', whose server accepts only TLS 1.3 ({evidence.sign.what})"
        where = (f"TCP listener '{listener.name}' passes TLS through to {server}" if listener is not None
                 else f"{path.integration_name} connects over the internet to {server}")
        yield Violation(f"{where}; API Gateway ({path.integration_name}) connects with TLS 1.2, so every handshake "
                        "fails", target, at=evidence.loc, fix=_backend_fix(path, listener, target, evidence.sign))


def _backend_fix(path: Path, listener: Listener | None, target: Target, sign: TlsSign) -> str:
    """Let the backend's server accept TLS 1.2 (in its own configuration's words), or end TLS at a listener
    whose policy does."""
    allow = f"Let the server of '{target.name}' accept TLS 1.2 as well ({sign.server}: {sign.accepts_tls12})"
    if listener is None:
        return allow
    return (f"{allow}, or set {listener.spelling.setting('protocol', 'TLS')} on listener '{listener.name}' with "
            f"an ACM certificate for {path.verified_name} and a policy that accepts TLS 1.2 ({_ACCEPTS_TLS12})")
