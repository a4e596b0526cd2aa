"""What a run tells the user: findings (each with the path it was found on), input errors, and the result of
a whole scan.

These are the only things reporters and the CLI read, so they live here, below everything that produces them:
front ends report input errors, the engine findings, the scan a result -- and a reporter never needs to import
the machinery that made them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass

from linter import memory


@dataclass(frozen=True)
class TraceStep:
    """One hop of a finding's path; ``role`` is a :class:`linter.path.Role` value. A hop no file holds -- the
    certificate a server presented to ``--probe`` -- has no file and no line but ``seen_at`` (``HOST:PORT``)."""

    role: str
    resource: str
    file: str
    line: int | None
    column: int | None = None  # 1-based, where the front end knows it
    seen_at: str | None = None


@dataclass(frozen=True)
class Identity:
    """Which problem a finding is, in names and never in lines: the integration whose path it was found on,
    the listener API Gateway connects to and the certificate it validates there, the resource and field the
    finding names, and the assumptions the path stands on. Moving resources around a file keeps it; renaming one of
    them, or fixing the path, does not.

    Baselines, SARIF ``partialFingerprints`` and GitLab fingerprints all key on it (through
    :meth:`Finding.fingerprint`), so "the same finding" means the same thing everywhere."""

    integration: str = ""  # "" for a finding about a file rather than a path (a private key in a template)
    listener: str = ""
    certificate: str = ""  # the certificates API Gateway is shown, comma-separated; "" when none is known
    subject: str = ""  # the resource the finding names
    field: str = ""  # the model field it points at ("certificates"), when it names one
    conditions: str = ""  # "UseTls=false" (a key, never reworded): a finding on one branch of a condition is its own


@dataclass(frozen=True)
class Finding:
    """What a rule reports: where, what, how to fix it, the path it was found on and which problem it is."""

    rule: str
    level: str
    title: str
    message: str
    fix: str
    file: str
    line: int | None
    column: int | None  # 1-based, where the front end knows it (never with line None)
    resource: str
    trace: tuple[TraceStep, ...] = ()
    identity: Identity = Identity()

    def fingerprint(self, file: str | None = None) -> str:
        """A stable digest of the rule, the identity and the file -- ``file`` as the consumer anchors it
        (relative to the repository root), by default as reported. Lines take no part in it."""
        import hashlib  # only baselines and CI formats ask: a plain run never loads OpenSSL's digests

        key = [self.rule, self.file if file is None else file, *astuple(self.identity)]
        return hashlib.sha256(json.dumps(key).encode()).hexdigest()


@dataclass(frozen=True)
class InputError:
    """A file that could not be (fully) analysed, reported as ``file:line: message`` with exit code 2."""

    file: str
    line: int | None
    message: str

    @classmethod
    def internal(cls, file: str, exc: BaseException, during: str = "while analysing this file") -> InputError:
        """A bug of ours, said on one bounded line: an exception's text may quote the input at any length."""
        detail = " ".join(str(exc).split())[:300]
        return cls(file, None, f"internal error {during} ({type(exc).__name__}: {detail}); please report it")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@contextmanager
def reported(errors: list[InputError], file: str) -> Iterator[None]:
    """Work on one file (or folder, or path) whose failure must never end the run: whatever escapes the
    work's own error handling becomes one input error for that file, and the run goes on with the others."""
    try:
        yield
    except RecursionError:
        errors.append(InputError(file, None, "nested too deeply to analyse"))
    except MemoryError:
        memory.RESERVE.release()
        errors.append(InputError(file, None, "too large to analyse with the memory available"))
    except Exception as exc:  # noqa: BLE001 -- the point of this guard
        errors.append(InputError.internal(file, exc))


@dataclass(frozen=True)
class RouteHop:
    """A hop of a :class:`Route`: the step, the hop it hangs from, and what happens to TLS there."""

    step: TraceStep
    parent: int | None  # index of the hop it hangs from in the route (a target's target group); None first
    tls_ends: bool = False  # API Gateway's TLS session ends here (a TLS listener, the targets behind TCP)
    validated: bool = False  # API Gateway validates this hop's certificate


@dataclass(frozen=True)
class RouteGap:
    """Where a route stops because the files do not say: what was looked for, and why it is unknown."""

    role: str
    parent: int | None  # the hop whose field is unresolved; None when that is not a hop of the route
    reason: str


@dataclass(frozen=True)
class Endpoint:
    """A public endpoint where API Gateway's TLS session ends and whose certificate neither the files nor
    ``--probe`` show: the host API Gateway connects to and verifies (``None`` when only AWS knows the name, as
    for an instance's public DNS name), the port, and the instance when the files define it. ``--probe`` reads
    the certificate of an endpoint with a host."""

    host: str | None
    port: int | None
    instance: str | None = None


@dataclass(frozen=True)
class Route:
    """One path the scan followed, told in words a reporter can draw without the model: its hops as a tree
    (targets hang from their target group, certificates from their listener), where API Gateway's TLS
    session ends, which certificate it validates, and where the files leave the path open."""

    hops: tuple[RouteHop, ...]
    gaps: tuple[RouteGap, ...] = ()
    conditions: str = ""  # the assumptions the path stands on, as people read them ("UseTls is false")
    unchecked: Endpoint | None = None  # a public endpoint whose certificate nothing showed


@dataclass(frozen=True)
class ScanResult:
    """Everything a run reports: findings, input errors, the paths followed, and notes for stderr."""

    findings: tuple[Finding, ...]
    errors: tuple[InputError, ...]
    files: int
    paths: tuple[Route, ...]
    warnings: tuple[str, ...] = ()  # not about the user's files (an unreachable ACM endpoint): stderr only
    units: tuple[frozenset[str], ...] = ()  # per input built (a template, a root module): the real folders it read
    read: frozenset[str] = frozenset()  # the real paths of every file the front ends read (-o never overwrites one)

    @property
    def unchecked_endpoints(self) -> tuple[Endpoint, ...]:
        """Every public endpoint whose certificate nothing showed, once however many paths reach it."""
        return tuple(dict.fromkeys(route.unchecked for route in self.paths if route.unchecked is not None))

