"""What a rule is: metadata on the class (cfn-lint style), a ruff-style doc, and a check over a path.

Rules live in ``rules/`` (installed as ``linter.rules``), one file each. ``check_path`` judges one
:class:`~linter.path.Path`; ``check_model`` judges what a front end read when no path is needed (private keys
in a template, an API definition that cannot be read). Neither ever sees YAML or HCL.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from linter.model import Location, Resource
from linter.path import Role

if TYPE_CHECKING:
    from linter.model import Model
    from linter.path import Path, Presented
    from linter.truststore import TrustStore

Level = Literal["error", "warning", "info"]
LEVELS: dict[str, Level] = {"E": "error", "W": "warning", "I": "info"}
SEVERITY = {"info": 0, "warning": 1, "error": 2}
# Code scanning's 0.1-10 scale (7.0+ high, 4.0+ medium): a broken path is an outage of the API; info findings
# are not security results unless a rule says so.
SECURITY_SEVERITY: dict[str, float | None] = {"error": 7.5, "warning": 5.0, "info": None}
DEFAULT_EXPIRY_DAYS = 30


@dataclass(frozen=True)
class Settings:
    """What a run judges against: the moment certificates must be valid at, how soon is 'soon', and the CAs
    API Gateway trusts (``None``: its published list as shipped)."""

    at: dt.datetime
    expiry_days: int = DEFAULT_EXPIRY_DAYS
    trust_store: TrustStore | None = None


@dataclass(frozen=True)
class Violation:
    """One thing a rule found: a message about a resource, pointing at the field to change."""

    message: str
    resource: Resource
    field_name: str | None = None
    fix: str | None = None  # a fix more specific than the rule's own
    at: Location | None = None  # a place more precise than the field (a command inside a boot script)

    @property
    def loc(self) -> Location:
        if self.at is not None:
            return self.at
        return self.resource.at(self.field_name) if self.field_name else self.resource.loc


class Rule:
    """Metadata every rule carries. The class docstring is the rule's documentation (``--explain``)."""

    id: ClassVar[str]
    title: ClassVar[str]
    fix: ClassVar[str]
    sources: ClassVar[tuple[str, ...]] = ()
    needs: ClassVar[frozenset[Role]] = frozenset(Role)  # hops that must be resolved for the rule to speak
    tags: ClassVar[tuple[str, ...]] = ()  # what it is about ("certificate", "expiry"): dashboards filter by them
    security_severity: ClassVar[float | None] = None  # when the level's SECURITY_SEVERITY misjudges the rule

    @classmethod
    def level(cls) -> Level:
        return LEVELS[cls.id[0]]

    @classmethod
    def security_score(cls) -> float | None:
        """How grave a finding is on code scanning's 0.1-10 scale; ``None``: not a security result."""
        return cls.security_severity if cls.security_severity is not None else SECURITY_SEVERITY[cls.level()]

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of the doc's "What it does" section, for one-line listings."""
        text = cls.doc().split("## What it does", 1)[-1].strip()
        return " ".join(text.split("\n\n", 1)[0].split())

    def check_path(self, path: Path, settings: Settings) -> Iterable[Violation]:
        """Violations on one path (most rules)."""
        return ()

    def check_model(self, model: Model, settings: Settings) -> Iterable[Violation]:
        """Violations in what one front end read, path or not."""
        return ()

    def check_presented(self, shown: Presented, settings: Settings) -> Iterable[Violation]:
        """Violations about one certificate API Gateway is shown, judged alone: for each certificate of a path
        (:class:`CertificateRule`) and for the PEM file given to ``--check-certificate``."""
        return ()


class CertificateRule(Rule):
    """A rule about the certificates API Gateway is shown: a path's verdicts are those of each certificate it
    presents, so a path and ``--check-certificate`` share one judgement."""

    def check_path(self, path: Path, settings: Settings) -> Iterable[Violation]:
        for shown in path.presented:
            yield from self.check_presented(shown, settings)
