"""The tlspath rule catalogue (installed as ``linter.rules``): one module per rule.

``catalogue()`` lists the rules for tlspath itself. For cfn-lint (``cfn-lint -a linter.rules``) this package
also exposes one ``CloudFormationLintRule`` per rule, named by its id -- built lazily on first access, so
tlspath's own start-up never imports cfn-lint.
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
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == _CFN_LINT_ADAPTER:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(obj for obj in vars(module).values()
                     if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__)
    return tuple(sorted(found, key=lambda rule: (rule.id[1:], rule.id[0])))


def by_id(rule_id: str) -> type[Rule] | None:
    return next((rule for rule in catalogue() if rule.id.upper() == rule_id.upper()), None)


def __getattr__(name: str):  # PEP 562: the cfn-lint classes, on demand
    if name.startswith("_") or by_id(name) is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{_CFN_LINT_ADAPTER}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *(rule.id for rule in catalogue())])
