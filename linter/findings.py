"""What a run tells the user: findings (each with the path it was found on), input errors, and the result of
a whole scan.

These are the only things reporters and the CLI read, so they live here, below everything that produces them:
front ends report input errors, the engine findings, the scan a result -- and a reporter never needs to import
the machinery that made them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TraceStep:
    """One hop of a finding's path; ``role`` is a :class:`linter.path.Role` value."""

    role: str
    resource: str
    file: str
    line: int | None


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    title: str
    message: str
    fix: str
    file: str
    line: int | None
    resource: str
    trace: tuple[TraceStep, ...] = ()


@dataclass(frozen=True)
class InputError:
    """A file that could not be (fully) analysed, reported as ``file:line: message`` with exit code 2."""

    file: str
    line: int | None
    message: str

    @classmethod
    def internal(cls, file: str, exc: Exception) -> InputError:
        return cls(file, None, f"internal error while analysing this file ({type(exc).__name__}: {exc}); "
                               "please report it")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    errors: tuple[InputError, ...]
    files: int
    paths: int
    warnings: tuple[str, ...] = ()  # not about the user's files (an unreachable ACM endpoint): stderr only
