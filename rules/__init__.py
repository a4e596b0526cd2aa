"""The tlspath rule catalogue (installed as ``linter.rules``): one module per rule.

``catalogue()`` lists the rules for tlspath itself. For cfn-lint (``cfn-lint -a linter.rules``) this package
also exposes one ``CloudFormationLintRule`` per rule, named by its id, plus ``E9500`` (what tlspath could not
analyse) -- built lazily on first access (PEP 562), so tlspath's own start-up never imports cfn-lint. cfn-lint
finds them through ``dir()``, which it only walks for a module named by ``-a``: submodules are not searched.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from linter.rule import Rule

_CFN_LINT_ADAPTER = "tlspath_cfn_lint"


@functools.lru_cache(maxsize=1)
def catalogue() -> tuple[type[Rule], ...]:
    """Every rule class, ordered by number then level letter (E9504 before W9504)."""
    found: list[type[Rule]] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == _CFN_LINT_ADAPTER:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(obj for obj in vars(module).values()
                     if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__)
    return tuple(sorted(found, key=lambda rule: (rule.id[1:], rule.id[0])))


def by_id(rule_id: str) -> type[Rule] | None:
    return next((rule for rule in catalogue() if rule.id.upper() == rule_id.upper()), None)


def _cfn_lint_adapter():
    return importlib.import_module(f"{__name__}.{_CFN_LINT_ADAPTER}")


def __getattr__(name: str):  # PEP 562: the cfn-lint classes (E9501 ...), on demand
    if name[:1] in ("E", "W", "I") and name[1:].isdigit():
        try:
            return getattr(_cfn_lint_adapter(), name)
        except AttributeError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:  # what cfn-lint's inspect.getmembers() walks: only cfn-lint asks, so it may import it
    return sorted([*globals(), *_cfn_lint_adapter().__all__])
