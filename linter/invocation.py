"""What one ``tlspath`` run is asked to do: the flags, with the configuration file filling in what they leave
open, turned into the one set of :class:`~linter.scan.Options` a scan (or ``--check-certificate``) takes.

Flags beat the file; :mod:`linter.config` says how each key combines. How the report is written (format,
colour, output file, ``--quiet``) is the command line's alone and stays in :mod:`linter.cli`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.config import Config, find, load, rule_ids
from linter.exclusion import Patterns
from linter.frontend import FrontEndSettings
from linter.parse.cloudformation import CloudFormationSettings
from linter.parse.parameters import SAM_ENVIRONMENT, ParameterSource
from linter.parse.terraform import TerraformSettings
from linter.rule import DEFAULT_EXPIRY_DAYS, Rule, Settings
from linter.rules import catalogue
from linter.scan import Options
from linter.truststore import from_file

if TYPE_CHECKING:
    from linter.acm import AcmSettings
    from linter.probe import ProbeSettings


class UsageError(ValueError):
    """A flag names something that does not exist (a rule id no rule starts with): exit 2, as argparse's own."""


@dataclass(frozen=True)
class Invocation:
    """A run's paths (the current folder when none are given), the scan's options, and the level at which a
    finding fails the run."""

    paths: list[str]
    options: Options
    fail_level: str


def invocation(args: argparse.Namespace) -> Invocation:
    """The run ``args`` ask for. Raises :class:`~linter.config.ConfigError` for a configuration file that
    cannot be used, :class:`UsageError` for a flag naming an unknown rule, and
    :class:`~linter.truststore.TrustStoreError` for a trust store that cannot be read."""
    paths = args.paths or ([] if args.check_certificate else [os.curdir])
    config = _config(args.config, paths)
    select = _rule_ids(args.select, "--select") or config.select or ()
    ignore = (*config.ignore, *_rule_ids(args.ignore, "--ignore"))
    severity = {**config.severity, **{_rule_ids([rule], "--severity")[0]: level for rule, level in args.severity}}
    trust_store = args.trust_store or config.trust_store
    given_by = "--trust-store" if args.trust_store else f"{config.file}: trust-store"
    settings = Settings(at=args.at or dt.datetime.now(dt.timezone.utc),
                        expiry_days=next(days for days in (args.expiry_days, config.expiry_days, DEFAULT_EXPIRY_DAYS)
                                         if days is not None),
                        trust_store=from_file(trust_store, given_by) if trust_store else None)
    options = Options(settings, _front_end_settings(args, config), _acm_settings(args), _probe_settings(args),
                      rules=_rules(select, ignore), exclude=_excluded(args, config), severity=severity,
                      inline_suppressions=not args.no_inline_suppressions)
    return Invocation(paths, options, args.fail_level or config.fail_level or "warning")


def parameter_sources(given: list[tuple[str, str]]) -> list[ParameterSource]:
    """``--parameter``/``--parameters-file`` values in command-line order (:mod:`linter.parse.parameters`)."""
    return [ParameterSource.parse(kind, text) for kind, text in given]


def _config(file: str | None, paths: list[str]) -> Config:
    """The configuration file's settings: ``--config FILE``, else the one found from ``paths`` upwards; empty
    when there is none."""
    file = file if file is not None else find(paths)
    return load(file) if file is not None else Config()


def _rule_ids(values: list[str], flag: str) -> tuple[str, ...]:
    """The rule ids or prefixes a flag gives (comma-separated or repeated)."""
    try:
        return rule_ids([part for value in values for part in value.split(",")], [rule.id for rule in catalogue()])
    except ValueError as exc:
        raise UsageError(f"{flag} {exc}") from None


def _rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> list[type[Rule]]:
    """The rules a run applies: the selected ones (all when none is) but the ignored ones."""
    return [rule for rule in catalogue()
            if (not select or rule.id.startswith(select)) and not rule.id.startswith(ignore)]


def _front_end_settings(args: argparse.Namespace, config: Config) -> FrontEndSettings:
    """Variables and parameters, the file's first, so that the flags' win; ``TF_VAR_*`` from the environment
    (the front end never reads it)."""
    terraform = TerraformSettings(
        variables=(*(("var-file", file) for file in config.var_files), *args.terraform_variables),
        configured=len(config.var_files),
        environment=tuple((name.removeprefix("TF_VAR_"), value) for name, value in sorted(os.environ.items())
                          if name.startswith("TF_VAR_")),
        workspace=os.environ.get("TF_WORKSPACE", ""), data_dir=os.environ.get("TF_DATA_DIR", ""))
    cloudformation = CloudFormationSettings((*config.parameters, *parameter_sources(args.cloudformation_parameters)),
                                            config.sam_config_env or SAM_ENVIRONMENT)
    return FrontEndSettings((terraform, cloudformation))


def _excluded(args: argparse.Namespace, config: Config) -> tuple[Patterns, ...]:
    """The file's ``exclude`` patterns relative to its folder, the flags' relative to the current one."""
    given = ((config.folder, config.exclude), (os.curdir, tuple(args.exclude)))
    return tuple(Patterns(folder, patterns) for folder, patterns in given if patterns)


def _acm_settings(args: argparse.Namespace) -> AcmSettings | None:
    """ACM settings when the run reads certificates from ACM or a snapshot; ``linter.acm`` is imported only then."""
    if not (args.acm or args.acm_snapshot):
        return None
    from linter.acm import AcmSettings

    return AcmSettings(fetch=args.acm, snapshot=args.acm_snapshot, profile=args.profile)


def _probe_settings(args: argparse.Namespace) -> ProbeSettings | None:
    """Probe settings when ``--probe`` is given; ``linter.probe`` (and so ``socket`` use) is imported only then."""
    if not args.probe:
        return None
    from linter.probe import ProbeSettings

    return ProbeSettings(resolve=tuple(args.probe_resolve))
