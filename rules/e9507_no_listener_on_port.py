"""E9507: no listener on the port the connection goes to -- API Gateway's, or an NLB's through an alb-type
target group."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Listener, LoadBalancer, known_int, known_str
from linter.path import TCP_CAPABLE, TO_LISTENER, Path, UnmatchedPort, protocol_of
from linter.rule import Rule, Settings, Violation


class NoListenerOnPort(Rule):
    """
    ## What it does
    Finds connections that go to a port where no listener can take them:

    * a REST private integration whose URI port (explicit, or 443 for `https` and 80 for `http`) has no
      TCP-capable listener (TCP, TLS, TCP_UDP, HTTP, HTTPS) on the load balancer the VPC link reaches -- a
      port mismatch, or only a UDP/QUIC listener there;
    * an NLB listener that forwards to an `alb`-type target group whose port is not the port of any listener
      of the Application Load Balancer registered with it.

    ## Why is this bad?
    The URI's port selects the listener. Traffic to a port without a matching listener is "unintended
    traffic" that the NLB drops, and API Gateway answers 500 after its timeout. Behind an `alb`-type target
    group the NLB sends the traffic to the ALB on the group's port, and AWS requires the ALB to have a
    listener on exactly that port ("This target group port must match the listener port of the Application
    Load Balancer"): there is nothing to answer.

    A load balancer none of whose listeners is among the scanned files, one the template exports to stacks no
    scanned template imports (they may attach the listener), or a port the files do not give, is an unresolved
    hop (I9513), not this error.

    ## Example
    ```yaml
    Uri: https://api.example.com/orders     # port 443 ...
    Listener: {Port: 8443, Protocol: TLS}   # ... but the NLB listens on 8443

    AlbTargets: {TargetType: alb, Protocol: TCP, Port: 8443}   # the NLB forwards to port 8443 ...
    AlbListener: {Port: 443, Protocol: HTTPS}                  # ... where the ALB does not listen
    ```

    ## How to fix
    Put the listener's port in the URI (`https://api.example.com:8443/...`), or add a listener on the port
    the URI uses. For an `alb`-type target group, give the group the port of the ALB's listener, or add a
    listener on the group's port to the ALB.

    ## Sources
    aws-tls-path.md §1.2, §4.1, §4.3, §8: [S8] [S30] [S34] [S37]
    """

    id = "E9507"
    tags = ("listener", "port")
    title = "No listener on the port the connection goes to"
    fix = ("Use the port of one of the load balancer's listeners in the integration URI, or add a listener on the "
           "URI's port (an NLB's TLS or TCP, an ALB's HTTPS or HTTP)")
    needs = TO_LISTENER
    sources = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-nlb-for-vpclink-using-console.html",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
               "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        unmatched = path.unmatched_port
        if unmatched is None:
            return
        group = unmatched.alb_target_group
        if group is None:
            yield Violation(f"{path.integration_name} connects to port {unmatched.port} of "
                            f"'{unmatched.load_balancer.name}', but {_nothing_there(unmatched)}", path.integration,
                            path.host_field, fix=_fix(path, unmatched))
            return
        alb, ports = unmatched.load_balancer.name, _ports(unmatched.listeners)
        forwarder = f"listener '{path.listener.name}'" if path.listener is not None else "the NLB"
        add = f"add a listener on port {unmatched.port} to '{alb}'"
        yield Violation(f"{forwarder} forwards through alb-type target group '{group.name}' to port "
                        f"{unmatched.port} of '{alb}', but {_nothing_there(unmatched)}; an ALB target takes "
                        "traffic only on a port it listens on", group, "port",
                        fix=(f"Set {group.spelling.name('port')} of '{group.name}' to the port of a listener of "
                             f"'{alb}' ({ports}), or {add}") if ports else add[0].upper() + add[1:])


def _fix(path: Path, unmatched: UnmatchedPort) -> str:
    """Move the URI to a port the load balancer listens on, or add the listener its kind has for the scheme."""
    uri = path.integration.spelling.name(path.host_field)
    ports = _ports(tuple(each for each in unmatched.listeners if protocol_of(each) in TCP_CAPABLE))
    move = f"Use {'one of ports' if ',' in ports else 'port'} {ports} in {uri}, or add" if ports else "Add"
    kind = _listener_kind(unmatched.load_balancer, path.uses_tls)
    return f"{move} {kind} on port {unmatched.port} to '{unmatched.load_balancer.name}'"


def _listener_kind(balancer: LoadBalancer, tls: bool | None) -> str:
    """The listener that takes API Gateway's connection, in the load balancer's own terms: an ALB has HTTP and
    HTTPS listeners, an NLB TCP and TLS ones (a TCP listener passes TLS through to the targets)."""
    kind = (known_str(balancer.lb_type) or "").lower()
    if kind == "application":
        return "an HTTPS listener" if tls else "an HTTP listener"
    if kind == "network":
        return "a TLS listener (or a TCP one passing TLS through)" if tls else "a TCP listener"
    return "a listener"


def _nothing_there(unmatched: UnmatchedPort) -> str:
    """Why the port takes nothing, with every listener the load balancer has."""
    on_port = [each for each in unmatched.listeners if known_int(each.port) == unmatched.port]
    why = (f"only {', '.join(sorted({_protocol(each) for each in on_port}))} listens there"
           if on_port else "nothing listens there")
    present = ", ".join(sorted(f"{known_int(each.port)}/{_protocol(each)}" for each in unmatched.listeners))
    return f"{why} (listeners: {present or 'none'})"


def _protocol(listener: Listener) -> str:
    return known_str(listener.protocol) or "?"  # a protocol a condition the path does not decide chooses


def _ports(listeners: tuple[Listener, ...]) -> str:
    ports = {port for port in (known_int(each.port) for each in listeners) if port is not None}
    return ", ".join(map(str, sorted(ports)))
