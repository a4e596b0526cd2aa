"""Whether a module ``terraform init`` downloaded is still the one the configuration names.

``.terraform/modules/modules.json`` records, per module call, the source address and version that were
downloaded. A commit that moves a call to another source or version leaves that download in place until the next
``terraform init``, and terraform then refuses to plan ("Module source has changed", "Module version requirements
have changed"). tlspath does the same check before it reads a download: the source compared as terraform
normalises it (a registry address with its host, ``git::`` and ``.git`` spellings of one repository), the
version against the call's constraint with terraform's rules (hashicorp/go-version: ``=``, ``!=``, ``<``, ``<=``,
``>``, ``>=``, ``~>``, comma-separated; a pre-release only where the constraint names one).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

_REGISTRY_HOSTS = ("registry.terraform.io", "registry.opentofu.org")  # a source without a host: terraform's, tofu's
_NAME = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?")
_SYSTEM = re.compile(r"[0-9a-z]{1,64}")
_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)(?:-?([0-9A-Za-z~-]+(?:\.[0-9A-Za-z~-]+)*))?(?:\+[0-9A-Za-z~.-]+)?")
_CONSTRAINT = re.compile(r"\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*")


@dataclass(frozen=True)
class Installed:
    """One module ``terraform init`` downloaded: where, and what it was asked for then."""

    folder: str
    source: str | None
    version: str | None


def staleness(source: str, constraint: str | None, installed: Installed) -> str | None:
    """Why the download no longer is the module the call names (``None``: it is)."""
    if installed.source is not None and not _same_address(source, installed.source):
        return f"holds '{installed.source}', while the configuration now names '{source}'"
    if constraint is None:
        return None
    if installed.version is None:
        return f"holds a download without a version, while the configuration now asks for version '{constraint}'"
    accepted = satisfies(installed.version, constraint)
    if accepted is None:
        return f"holds version {installed.version}; '{constraint}' is not a version constraint terraform reads"
    if not accepted:
        return f"holds version {installed.version}, while the configuration now asks for version '{constraint}'"
    return None


# ------------------------------------------------------------------------------------------ sources

def _same_address(written: str, recorded: str) -> bool:
    """Whether a source as the configuration writes it is the address terraform recorded."""
    if written == recorded:
        return True
    registry = _registry(written)
    if registry is not None:
        host, package, subdir = registry
        return any(_registry(recorded) == (candidate, package, subdir)
                   for candidate in ((host,) if host else _REGISTRY_HOSTS))
    return _registry(recorded) is None and _remote(written) == _remote(recorded)


def _registry(source: str) -> tuple[str | None, str, str] | None:
    """(host or None, namespace/name/system, subdirectory) of a registry address; ``None`` for any other
    source. Terraform tells them apart by shape alone: three names, or four parts whose first is a host."""
    package, _, subdir = source.partition("//")
    parts = package.split("/")
    host = parts.pop(0).lower() if len(parts) == 4 else None
    if len(parts) != 3 or (host is not None and ("." not in host or host in ("github.com", "bitbucket.org"))):
        return None
    if not (_NAME.fullmatch(parts[0]) and _NAME.fullmatch(parts[1]) and _SYSTEM.fullmatch(parts[2])):
        return None
    return host, "/".join(parts), _clean(subdir)


def _remote(source: str) -> tuple[str, str, str]:
    """(package, query, subdirectory) of a remote source, spelled alike however it was written: without a
    forced getter (``git::``), scheme or user, the host lower-cased, ``git@host:path`` as ``host/path``, without
    ``.git``; the subdirectory taken from before or after the query (terraform records it after)."""
    rest = re.sub(r"^[A-Za-z0-9]+::", "", source)
    rest, schemes = re.subn(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[\w.-]+@)?", "", rest)
    if not schemes:
        rest = re.sub(r"^[\w.-]+@([^/:]+):", r"\1/", rest)
    query_at, subdir_at = rest.find("?"), rest.find("//")
    if subdir_at != -1 and (query_at == -1 or subdir_at < query_at):
        package, subdir, query = rest[:subdir_at], rest[subdir_at + 2:query_at if query_at != -1 else None], (
            rest[query_at + 1:] if query_at != -1 else "")
    else:
        package, _, query = rest.partition("?")
        query, _, subdir = query.partition("//")
    host, _, path = package.partition("/")
    path = re.sub(r"\.git/?$", "", path.rstrip("/"))
    if host.lower() == "github.com" and not subdir and path.count("/") > 1:  # github.com/org/repo/sub
        path, subdir = "/".join(path.split("/")[:2]), "/".join(path.split("/")[2:])
    return f"{host.lower()}/{path}", "&".join(sorted(query.split("&"))) if query else "", _clean(subdir)


def _clean(subdir: str) -> str:
    return posixpath.normpath(subdir) if subdir else ""


# ----------------------------------------------------------------------------------------- versions

def satisfies(version: str, constraint: str) -> bool | None:
    """Whether ``version`` meets ``constraint`` as terraform decides it; ``None`` when one of them is not
    written the way terraform reads versions."""
    checked = _parse(version)
    if checked is None:
        return None
    for single in constraint.split(","):
        parsed = _CONSTRAINT.fullmatch(single)
        wanted = _parse(parsed.group(2)) if parsed else None
        if parsed is None or wanted is None:
            return None
        if not _CHECKS[parsed.group(1) or "="](checked, wanted):
            return False
    return True


@dataclass(frozen=True)
class _Version:
    segments: tuple[int, ...]  # padded to three, as go-version does
    given: int  # how many segments were written
    prerelease: str

    def compare(self, other: _Version) -> int:
        width = max(len(self.segments), len(other.segments))
        mine, theirs = (tuple(v.segments) + (0,) * (width - len(v.segments)) for v in (self, other))
        if mine != theirs:
            return -1 if mine < theirs else 1
        return _compare_prereleases(self.prerelease, other.prerelease)


def _parse(text: str) -> _Version | None:
    found = _VERSION.fullmatch(text.strip())
    if found is None:
        return None
    segments = tuple(int(part) for part in found.group(1).split("."))
    return _Version(segments + (0,) * (3 - len(segments)), len(segments), found.group(2) or "")


def _compare_prereleases(mine: str, theirs: str) -> int:
    """A release sorts after its pre-releases; pre-releases compare part by part, numbers as numbers."""
    if mine == theirs:
        return 0
    if not mine or not theirs:
        return 1 if not mine else -1
    for left, right in zip(mine.split("."), theirs.split(".")):
        if left != right:
            if left.isdigit() and right.isdigit():
                return -1 if int(left) < int(right) else 1
            if left.isdigit() != right.isdigit():
                return -1 if left.isdigit() else 1
            return -1 if left < right else 1
    return -1 if len(mine.split(".")) < len(theirs.split(".")) else 1


def _prerelease_allowed(version: _Version, wanted: _Version) -> bool:
    """A constraint without a pre-release never matches one; with one, only pre-releases of its segments."""
    if version.prerelease and wanted.prerelease:
        return version.segments == wanted.segments
    return not version.prerelease


def _pessimistic(version: _Version, wanted: _Version) -> bool:
    """``~> 1.2`` is ``>= 1.2, < 2.0``; ``~> 1.2.3`` is ``>= 1.2.3, < 1.3.0``."""
    if not _prerelease_allowed(version, wanted) or (wanted.prerelease and not version.prerelease):
        return False
    if version.compare(wanted) < 0 or len(wanted.segments) > len(version.segments):
        return False
    if version.segments[:wanted.given - 1] != wanted.segments[:wanted.given - 1]:
        return False
    return wanted.segments[len(wanted.segments) - 1] <= version.segments[len(wanted.segments) - 1]


_CHECKS: dict[str, Callable[[_Version, _Version], bool]] = {
    "=": lambda v, c: v.compare(c) == 0,
    "!=": lambda v, c: v.compare(c) != 0,
    ">": lambda v, c: _prerelease_allowed(v, c) and v.compare(c) > 0,
    "<": lambda v, c: _prerelease_allowed(v, c) and v.compare(c) < 0,
    ">=": lambda v, c: _prerelease_allowed(v, c) and v.compare(c) >= 0,
    "<=": lambda v, c: _prerelease_allowed(v, c) and v.compare(c) <= 0,
    "~>": _pessimistic,
}
