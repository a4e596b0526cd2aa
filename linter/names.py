"""Host names as the files give them -- written out, or assembled from values only known at deploy time -- and
whether a certificate's name covers one.

API Gateway verifies a host name against the names on a certificate. Both sides are often built from the same
input: a URI host ``acm.${var.domain_name}`` and a certificate for ``*.${var.domain_name}``. Whether one covers
the other then does not depend on what the input holds, and tlspath must neither report the input as missing
nor lose the certificate the load balancer picks by that name. A :data:`Name` is a string, or an
:class:`~linter.model.Interpolated` whose opaque parts are references (an attribute of a resource of the run)
and unknowns; two opaque parts hold the same text only when they are the same reference, or unknowns with the
same :attr:`~linter.model.Unknown.identity` (the same variable or parameter -- never something computed from
one). Every comparison answers ``True``, ``False`` or ``None``: it depends on values the files do not give.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from enum import Enum

from linter.model import Interpolated, Reference, Unknown, known_str

Name = str | Interpolated
Token = str | Reference | Unknown  # one character of written text, or an opaque part

_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_LABEL = re.compile(r"^[a-z0-9_*](?:[a-z0-9_-]*[a-z0-9_])?$")


def as_name(value: object) -> Name | None:
    """A host-name value as a :data:`Name`; ``None`` for a value that is not a string at all."""
    if isinstance(value, (str, Interpolated)):
        return value
    if isinstance(value, (Reference, Unknown)):
        return Interpolated((value,))
    return None


def written_names(values: Iterable[object]) -> tuple[object, ...]:
    """A certificate's names as written (the domain, the SANs, ``dns_names``): each a name value -- text,
    text with parts only known at deploy time, or a choice of those for the walk to settle -- without
    duplicates or empty ones."""
    found: list[object] = []
    for value in values:
        text = known_str(value)
        name = text if text is not None else value
        if name not in (None, "") and name not in found:
            found.append(name)
    return tuple(found)


def key(name: Name) -> tuple[object, ...] | None:
    """A name as a dictionary key, equal for names that certainly are the same text (case and a final dot
    aside); ``None`` when a part of it is an unknown without identity, which equals nothing."""
    found: list[object] = []
    for token in _tokens(name):
        if isinstance(token, Unknown) and not token.identity:
            return None
        if isinstance(token, str) and found and isinstance(found[-1], str):
            found[-1] += token
        else:
            found.append(("unknown", token.identity) if isinstance(token, Unknown) else token)
    return tuple(found)


def ascii_form(text: str) -> str | None:
    """An international host name as certificates and DNS write it (IDNA: ``xn--bcher-kva.example.com`` for
    ``bücher.example.com``); ``None`` when it has no such form."""
    try:
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def shown(name: Name) -> str:
    """A name as a finding shows it: its text, with each part the files do not give in angle brackets and
    each reference as ``${Name.attribute}``."""
    if isinstance(name, str):
        return name
    return "".join(p if isinstance(p, str) else f"<{p.reason}>" if isinstance(p, Unknown) else str(p)
                   for p in name.parts)


def _tokens(name: Name) -> list[Token]:
    tokens: list[Token] = []
    for part in (name,) if isinstance(name, str) else name.parts:
        if isinstance(part, str):
            tokens.extend(part.lower())
        else:
            tokens.append(part)
    if tokens and tokens[-1] == ".":  # the root label: api.example.com. is api.example.com
        tokens.pop()
    return tokens


def _same(a: Token, b: Token) -> bool:
    """Whether two tokens certainly hold the same text."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return isinstance(a, Unknown) and isinstance(b, Unknown) and bool(a.identity) and a.identity == b.identity
    return a == b


def _literal(tokens: list[Token]) -> bool:
    return all(isinstance(t, str) for t in tokens)


def _strip_common(a: list[Token], b: list[Token]) -> tuple[list[Token], list[Token]]:
    """Both token lists without the prefix and suffix they certainly share (opaque parts that are the same
    value have the same length, so what remains stays aligned at both ends)."""
    start = 0
    while start < min(len(a), len(b)) and _same(a[start], b[start]):
        start += 1
    a, b = a[start:], b[start:]
    end = 0
    while end < min(len(a), len(b)) and _same(a[len(a) - 1 - end], b[len(b) - 1 - end]):
        end += 1
    return a[:len(a) - end], b[:len(b) - end]


def _differ(a: list[Token], b: list[Token]) -> bool:
    """Whether two remainders (after :func:`_strip_common`) certainly differ: written text that differs at an
    aligned end, or written text left on one side only."""
    if _literal(a) and _literal(b):
        return True  # their common parts were stripped; what is left differs
    for x, y in ((a[:1], b[:1]), (a[-1:], b[-1:])):
        if x and y and isinstance(x[0], str) and isinstance(y[0], str):
            return True
    return (not a and any(isinstance(t, str) for t in b)) or (not b and any(isinstance(t, str) for t in a))


def equal(a: Name, b: Name) -> bool | None:
    """Whether two names are the same name: certainly, certainly not, or ``None`` (it depends)."""
    left, right = _strip_common(_tokens(a), _tokens(b))
    if not left and not right:
        return True
    return False if _differ(left, right) else None


def covers(pattern: Name, host: Name) -> bool | None:
    """Whether a certificate name covers a host name; a wildcard stands for exactly one label [S28]."""
    tokens = _tokens(pattern)
    if tokens[:2] != ["*", "."]:
        return equal(pattern, host)
    under, label = _under(_tokens(host), tokens[1:])
    if under is not True:
        return under
    if not _literal(label):
        return None  # an unknown part may hold a dot
    return bool(label) and "." not in label


def ends_with(name: Name, suffix: Name) -> bool | None:
    """Whether ``name`` is ``suffix`` or a name under it (Route 53: a record name inside its zone)."""
    same = equal(name, suffix)
    under, _ = _under(_tokens(name), [".", *_tokens(suffix)])
    if same or under:
        return True
    return False if same is False and under is False else None


def _under(tokens: list[Token], suffix: list[Token]) -> tuple[bool | None, list[Token]]:
    """Whether the tokens end with the suffix, and what stands before it."""
    end = 0
    while end < min(len(tokens), len(suffix)) and _same(tokens[len(tokens) - 1 - end], suffix[len(suffix) - 1 - end]):
        end += 1
    head, rest = tokens[:len(tokens) - end], suffix[:len(suffix) - end]
    if not rest:
        return True, head
    if head and isinstance(head[-1], str) and isinstance(rest[-1], str):
        return False, head
    return (False if not head and any(isinstance(t, str) for t in rest) else None), head


def _parts(name: Name) -> tuple[str | Reference | Unknown, ...]:
    return (name,) if isinstance(name, str) else name.parts


def _is_ipv6(text: str) -> bool:
    """Whether the text is an IPv6 address (what a URI writes in brackets, ``https://[fd00::5]/``)."""
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def problem(name: Name) -> str | None:
    """Why a name can never be a host name -- a scheme, a path, a port, spaces, an empty label -- judged on
    its written parts alone, so an unknown part never makes a problem up; ``None`` when it may be one."""
    text = "".join(p if isinstance(p, str) else "x" for p in _parts(name)).lower().rstrip(".")
    if "://" in text:
        return "it has a scheme"
    if "/" in text:
        return "it has a path"
    if ":" in text and not _is_ipv6(text):
        return "it has a port"
    if any(c.isspace() for c in text):
        return "it contains spaces"
    if not text:
        return "it is empty"
    if _IPV4.match(text) or _is_ipv6(text):
        return None
    if not text.isascii():  # an international name: certificates and DNS hold its punycode form only
        written = ascii_form(text)
        return "it is not ASCII" + (f": certificates and DNS hold it as '{written}'" if written else "")
    bad = next((c for c in text if not (c.isalnum() or c in ".-_*")), None)
    if bad is not None:
        return f"it contains '{bad}'"
    if any(not _LABEL.match(label) for label in text.split(".")):
        return "it has an empty or malformed label"
    return None


_INTERNAL_NAME = re.compile(r"(?:^|\.)(?:compute\.internal|ec2\.internal|localhost|localdomain)$")
_METADATA = frozenset({"169.254.169.254", "fd00:ec2::254", "169.254.170.2"})  # instance and ECS task metadata
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")


def off_the_internet(host: str) -> str | None:
    """Why a host written out is an address or name no client on the internet can reach -- a private, loopback,
    link-local or unique-local IP literal, the metadata address, an AWS-internal DNS name -- worded to follow
    "it is"; ``None`` for a public address or any other name (public DNS decides those)."""
    text = host.lower().rstrip(".").strip("[]")
    if _INTERNAL_NAME.search(text):
        return ("a loopback name" if text.endswith(("localhost", "localdomain")) else
                "an AWS-internal name (it resolves only inside a VPC)")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    kind = address_kind(address)
    return kind.value if kind else None


class AddressKind(Enum):
    """What an IP address is when it is not a public one; the value is its wording, to follow "it is"."""

    METADATA = "the instance metadata address (link-local)"
    LOOPBACK = "a loopback address"
    LINK_LOCAL = "a link-local address"
    UNSPECIFIED = "the unspecified address"
    MULTICAST = "a multicast address"
    UNIQUE_LOCAL = "a unique-local address"
    PRIVATE = "a private address"
    NOT_ROUTED = "an address not routed on the internet"

    @property
    def in_a_network(self) -> bool:
        """Whether the address belongs to a network (a VPC, the runner's own) rather than to no one or to the
        machine that connects: a VPC link can lead there, the internet cannot."""
        return self in (AddressKind.UNIQUE_LOCAL, AddressKind.PRIVATE, AddressKind.NOT_ROUTED)


def address_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> AddressKind | None:
    """What an IP address is when it is not a public one (``None`` when it is); the first kind that fits."""
    if str(address) in _METADATA:
        return AddressKind.METADATA
    if address.is_loopback:
        return AddressKind.LOOPBACK
    if address.is_link_local:
        return AddressKind.LINK_LOCAL
    if address.is_unspecified:
        return AddressKind.UNSPECIFIED
    if address.is_multicast:
        return AddressKind.MULTICAST
    if address.version == 6 and address in _UNIQUE_LOCAL:
        return AddressKind.UNIQUE_LOCAL
    if address.is_private:
        return AddressKind.PRIVATE
    return None if address.is_global else AddressKind.NOT_ROUTED
