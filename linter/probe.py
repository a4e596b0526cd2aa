"""``--probe``: the certificate a backend actually presents where the files cannot show it, read the way API
Gateway reads it.

Off by default: without ``--probe`` this module is not even imported and no socket is opened. With it, every
endpoint whose certificate the files do not show -- today: TLS passed through a TCP listener to the targets --
is connected to once, as API Gateway connects: TLS 1.2 only, SNI = the host name API Gateway verifies, the
port it uses. The chain the server presents (not only its leaf) is read without verifying anything; tlspath
judges it with the same code and trust store as a certificate written in the files (E9501, E9503, E9504,
E9505, W9504 ... "seen at HOST:PORT").

Bounded: 3 s to resolve the name, 3 s to connect and 5 s for the handshake per endpoint, a few endpoints at a
time, and a 20 s deadline for all of them together. Whatever fails -- a name that does not resolve, a refused or
silent port, a handshake TLS 1.2 cannot complete -- is one warning line and an I9513 on the path that names the
cause; the run finishes normally.

``--probe-resolve HOST:PORT:ADDRESS`` (like curl's ``--resolve``) connects to ADDRESS instead of resolving HOST,
still sending HOST as SNI: for a backend behind a load balancer whose name resolves only inside the VPC.

Never where API Gateway cannot connect: a template (a pull request) must not point the run at the machine it
runs on or its network. A public endpoint is not probed at an address that is not on the internet (private,
loopback, link-local -- the metadata service among them --, unique-local), nor on a port API Gateway does not
connect to (the walk does not even ask for those: W9524 and E9525 report them); an endpoint behind a VPC link
may be private, but never loopback or link-local. Each is one warning saying why. Only an address the person
running tlspath pins with ``--probe-resolve`` is taken as given, whatever it is: that is how a backend that
resolves only inside a VPC is reached, and how the tests reach their servers on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Container, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from linter.certs import facts_of
from linter.model import Certificate, CertificateSource, Location, Model, Unknown
from linter.names import address_kind
from linter.walk import World, build_paths

CONNECT_TIMEOUT, HANDSHAKE_TIMEOUT = 3.0, 5.0  # seconds, per endpoint
DEADLINE = 20.0  # seconds for every endpoint of a run together
WORKERS = 4

Endpoint = tuple[str, int]  # (host name, port)
Lookup = Callable[[str, int], "Certificate | Unknown | None"]
_SUPPLY = "make the endpoint reachable from where tlspath runs (or pin its address with --probe-resolve), or drop --probe"
_KEPT_OUT = ("give the integration a host API Gateway can reach, or pin the address to probe with --probe-resolve "
             "HOST:PORT:ADDRESS")


@dataclass(frozen=True)
class ProbeSettings:
    """``--probe`` is on; ``resolve`` pins host names to addresses (``--probe-resolve``)."""

    resolve: tuple[tuple[str, int, str], ...] = ()

    def address_of(self, host: str, port: int) -> str | None:
        """The address pinned for the endpoint; ``None`` when it is to be resolved."""
        return next((address for name, at, address in self.resolve if (name, at) == (host, port)), None)


def parse_resolve(text: str) -> tuple[str, int, str]:
    """``HOST:PORT:ADDRESS`` (an IPv6 address in brackets) as (host, port, address); ValueError says why."""
    host, _, rest = text.partition(":")
    port, _, address = rest.partition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or not address:
        raise ValueError(f"not HOST:PORT:ADDRESS: {text!r} (e.g. api.example.com:443:10.0.1.25)")
    return host.lower(), int(port), address.strip("[]")


class ProbeError(Exception):
    """Why an endpoint's chain could not be read, worded for a warning line."""


class NotProbed(ProbeError):
    """Why an endpoint was not connected to at all: API Gateway could not connect there either."""


def probe_lookup(models: list[Model], settings: ProbeSettings,
                 lookup_certificate: Callable[[str], Certificate | Unknown | None] | None = None
                 ) -> tuple[Lookup, list[str]]:
    """The lookup the walk calls for an endpoint behind a pass-through listener, and one warning per endpoint
    that could not be read. Which endpoints: a dry walk with a recording lookup asks the walk itself."""
    wanted: dict[Endpoint, None] = {}

    def record(host: str, port: int) -> None:
        wanted.setdefault((host, port))

    public = {(path.host, path.port) for path in build_paths(World(models, lookup_certificate, record))
              if path.internet}
    seen: dict[Endpoint, Certificate | Unknown] = {}
    warnings = []
    for endpoint, chain in read_chains(list(wanted), settings, public).items():
        host, port = endpoint
        if isinstance(chain, NotProbed):
            warnings.append(f"--probe: {host}:{port} not probed: {chain}; its path stays unresolved (I9513)")
            seen[endpoint] = Unknown(f"--probe did not connect to {host}:{port}: {chain}", _KEPT_OUT)
        elif isinstance(chain, ProbeError):
            warnings.append(f"--probe: cannot read the certificate of {host}:{port} ({chain}); its path stays "
                            "unresolved (I9513)")
            seen[endpoint] = Unknown(f"--probe could not read the certificate at {host}:{port}: {chain}", _SUPPLY)
        else:
            seen[endpoint] = _certificate(endpoint, chain)
    return (lambda host, port: seen.get((host, port))), warnings


def read_chains(endpoints: list[Endpoint], settings: ProbeSettings, public: Container[object] = frozenset()
                ) -> dict[Endpoint, list[bytes] | ProbeError]:
    """The DER chain every endpoint presents (or why not), each endpoint once, a few at a time, all within
    :data:`DEADLINE`. ``public``: the endpoints API Gateway reaches over the internet (the others sit behind a
    VPC link)."""
    if not endpoints:
        return {}
    deadline = time.monotonic() + DEADLINE

    def one(endpoint: Endpoint) -> list[bytes] | ProbeError:
        host, port = endpoint
        pinned = settings.address_of(host, port)
        try:
            return read_chain(host, port, pinned or host, deadline,
                              None if pinned is not None else
                              _off_the_internet if endpoint in public else _inside_the_network)
        except ProbeError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=min(WORKERS, len(endpoints))) as pool:
        return dict(zip(endpoints, pool.map(one, endpoints)))


def read_chain(host: str, port: int, address: str, deadline: float,
               keep_out: Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], str | None] | None = None
               ) -> list[bytes]:
    """Connect to ``address:port``, complete a TLS 1.2 handshake with SNI ``host`` and return the certificates
    the server presented, leaf first, as DER. ``keep_out`` says why an address it resolves to is not to be
    connected to. Raises :class:`ProbeError`."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ProbeError(f"the --probe deadline of {DEADLINE:g} s passed before it was tried")
    resolved = _resolve(address, port, min(CONNECT_TIMEOUT, remaining))
    raw = _connect(_allowed(address, resolved, keep_out) if keep_out is not None else resolved, deadline)
    with raw:
        wait = max(0.05, min(HANDSHAKE_TIMEOUT, deadline - time.monotonic()))
        raw.settimeout(wait)
        try:
            with _context().wrap_socket(raw, server_hostname=host) as tls:
                chain = _presented_chain(tls)
        except TimeoutError:
            raise ProbeError(f"no TLS answer within {wait:g} s") from None
        except ssl.SSLError as exc:
            raise ProbeError(f"the TLS 1.2 handshake failed ({exc.reason or exc})") from None
        except OSError as exc:
            raise ProbeError(f"the connection broke during the TLS handshake ({exc.strerror or exc})") from None
    if not chain:
        raise ProbeError("the server presented no certificate")
    return chain


Resolved = Sequence[tuple[socket.AddressFamily, socket.SocketKind, int, str, Any]]  # what getaddrinfo returns


def _resolve(name: str, port: int, wait: float) -> Resolved:
    """The addresses of ``name``, within ``wait`` seconds. ``getaddrinfo`` has no timeout of its own -- a slow
    or silent resolver holds it for as long as the system's resolver settings say -- so it runs in a daemon
    thread that is left behind when the time is up, and the run's deadline holds."""
    outcome: list[Resolved | OSError] = []

    def resolve() -> None:
        try:
            outcome.append(socket.getaddrinfo(name, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=resolve, name=f"tlspath-probe-resolve-{name}", daemon=True)
    thread.start()
    thread.join(wait)
    if not outcome:
        raise ProbeError(f"the name does not resolve within {wait:g} s")
    found = outcome[0]
    if isinstance(found, socket.gaierror):
        raise ProbeError(f"the name does not resolve ({found.strerror})")
    if isinstance(found, OSError):
        raise ProbeError(f"the name cannot be resolved ({found.strerror or found})")
    return found


def _off_the_internet(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    kind = address_kind(address)
    return f"{kind.value}, which API Gateway cannot reach over the internet" if kind else None


def _inside_the_network(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Behind a VPC link the backend may be private, but a template (a pull request) must not point the job at
    the network it runs in: a private address is probed only when the person running tlspath pins it, and the
    prober's own machine or its metadata service never through a template."""
    kind = address_kind(address)
    if kind is None:
        return None
    if kind.in_a_network:
        return f"{kind.value}; pin it with --probe-resolve HOST:PORT:ADDRESS to probe it from inside the network"
    return f"{kind.value}, which API Gateway cannot reach"


def _allowed(name: str, addresses: Resolved,
             keep_out: Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], str | None]) -> Resolved:
    """The addresses API Gateway could connect to; :class:`NotProbed` naming the first one when none is."""
    allowed: list[tuple[socket.AddressFamily, socket.SocketKind, int, str, Any]] = []
    refused: list[str] = []
    for entry in addresses:
        address = ipaddress.ip_address(str(entry[4][0]).split("%", 1)[0])
        why = keep_out(address)
        if why is None:
            allowed.append(entry)
        else:
            refused.append(f"{address} is {why}" if str(address) == name.strip("[]")
                           else f"it resolves to {address}, {why}")
    if not allowed and refused:
        raise NotProbed(refused[0])
    return allowed


def _connect(addresses: Resolved, deadline: float) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that accepts one, each tried for at most
    :data:`CONNECT_TIMEOUT` and all within the deadline. Raises :class:`ProbeError` with the last failure."""
    failure: ProbeError = ProbeError(f"the --probe deadline of {DEADLINE:g} s passed before it was tried")
    for family, kind, protocol, _, address in addresses:
        wait = min(CONNECT_TIMEOUT, deadline - time.monotonic())
        if wait <= 0:
            break
        connection = socket.socket(family, kind, protocol)
        connection.settimeout(wait)
        try:
            connection.connect(address)
        except TimeoutError:
            failure = ProbeError(f"no answer to the connection within {wait:g} s")
        except ConnectionRefusedError:
            failure = ProbeError("connection refused")
        except OSError as exc:
            failure = ProbeError(f"cannot connect ({exc.strerror or exc})")
        else:
            return connection
        connection.close()
    raise failure


def _context() -> ssl.SSLContext:
    """A client that speaks TLS 1.2 only (API Gateway "only supports TLS 1.2 on egress") and verifies nothing:
    what the server presents is read as it is, and judged by tlspath. Security level 0 so that OpenSSL does
    not refuse to even show an old server's small key or SHA-1 certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def _presented_chain(tls: ssl.SSLSocket) -> list[bytes]:
    """Every certificate the server sent, leaf first. Public API from Python 3.13; on 3.10-3.12 the same
    method of CPython's ``_ssl`` socket object it was made public from (as truststore, pip's TLS backend, reads
    it), returning certificate objects instead of DER."""
    if sys.version_info >= (3, 13):
        return list(tls.get_unverified_chain() or ())
    import _ssl

    chain = tls._sslobj.get_unverified_chain() or ()  # type: ignore[attr-defined]
    return [certificate.public_bytes(_ssl.ENCODING_DER) for certificate in chain]


def _certificate(endpoint: Endpoint, chain: list[bytes]) -> Certificate | Unknown:
    """The presented chain as a certificate of the run, judged like one written in the files."""
    from cryptography import x509

    host, port = endpoint
    try:
        certificates = [x509.load_der_x509_certificate(der) for der in chain]
    except ValueError as exc:
        return Unknown(f"the server at {host}:{port} presented a certificate that cannot be read ({exc})", _SUPPLY)
    return Certificate(key=f"probe:{host}:{port}", name=f"{host}:{port}", loc=Location("", seen_at=f"{host}:{port}"),
                       source=CertificateSource.SEEN, facts=facts_of(certificates[0], certificates[1:]))
