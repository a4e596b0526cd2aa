"""The ``tlspath`` command.

Exit codes: 0 nothing at or above the fail level, 1 findings at or above it, 2 input or usage errors (the
other files are still analysed and reported).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from linter import __version__, memory
from linter.config import FAIL_LEVELS, LEVELS, MAX_EXPIRY_DAYS
from linter.git import repository_root
from linter.report import DEFAULT_FORMAT, FORMATS, ReportSettings, render
from linter.report.escape import visible
from linter.rule import DEFAULT_EXPIRY_DAYS, SEVERITY

if TYPE_CHECKING:
    from linter.findings import ScanResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERRORS = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors are exit 2, on one line, like input errors
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERRORS, f"tlspath: error: {visible(message)}\n")


def _date(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r} (e.g. 2026-12-31 or 2026-12-31T12:00Z)") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    try:
        year = moment.astimezone(dt.timezone.utc).year  # a far offset can push the moment past year 9999
    except OverflowError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range (a date in the years {FIRST_YEAR}-{LAST_YEAR})")
    return moment


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_EXPIRY_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 0 to {MAX_EXPIRY_DAYS}")
    return days


FIRST_YEAR, LAST_YEAR = 1970, 9000  # certificates live in these years; past 9999 Python's dates end


def _severity(text: str) -> tuple[str, str]:
    rule, equals, level = text.partition("=")
    if not equals or level.strip().lower() not in LEVELS:
        raise argparse.ArgumentTypeError(f"{text!r} is not ID=LEVEL with a level of {', '.join(LEVELS)}")
    return rule.strip(), level.strip().lower()


def _pattern(text: str) -> str:
    from linter.config import pattern

    try:
        return pattern(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _resolve(text: str) -> tuple[str, int, str]:
    from linter.probe import parse_resolve

    try:
        return parse_resolve(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _InOrder(argparse.Action):
    """``--var`` and ``--var-file`` (``--parameter`` and ``--parameters-file``) into one list, in command-line
    order, as ``(const, value)``: the later value wins, as Terraform applies them."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        setattr(namespace, self.dest, [*getattr(namespace, self.dest), (self.const, values)])


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tlspath", description=(
        "Follows every API Gateway integration -- private ones through their VPC link, public ones through the "
        "host their URI names -- via load balancer, listener and targets to the certificate API Gateway will "
        "validate, and reports how that path is going to fail."))
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders (folders are scanned recursively, leaving out what git ignores); "
                             "default: the current folder")
    parser.add_argument("--config", metavar="FILE",
                        help="read settings from FILE (default: .tlspath.toml or pyproject.toml's [tool.tlspath], "
                             "found from the scanned folder upwards); flags beat the file")
    parser.add_argument("--format", choices=tuple(FORMATS), default=DEFAULT_FORMAT,
                        help=f"output format (default: {DEFAULT_FORMAT}); CI formats give file paths relative to the "
                             "git repository's top")
    parser.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only (no summary, no warnings)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text report (default: auto -- on a terminal, unless NO_COLOR is set)")
    parser.add_argument("--fail-level", choices=FAIL_LEVELS,
                        help="exit 1 when a finding is at or above this level (default: warning)")
    parser.add_argument("--select", action="append", default=[], metavar="ID",
                        help="run only these rules (ids or id prefixes; comma-separated or repeated)")
    parser.add_argument("--ignore", action="append", default=[], metavar="ID",
                        help="do not run these rules (ids or id prefixes, e.g. W9502 or I95; comma-separated or "
                             "repeated); one finding: an inline suppression (docs/ci.md)")
    parser.add_argument("--severity", action="append", default=[], type=_severity, metavar="ID=LEVEL",
                        help="report a rule's findings at another level (e.g. I9513=warning); may be repeated")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB", type=_pattern,
                        help="leave out files and folders matching GLOB (.gitignore syntax) in folder scans; may "
                             "be repeated")
    parser.add_argument("--no-inline-suppressions", action="store_true",
                        help="ignore every suppression written in the files (tlspath:ignore comments, Metadata "
                             "tlspath/cfn-lint ignores)")
    adopt = parser.add_argument_group("Adopting tlspath on an existing repository")
    adopt.add_argument("--baseline", metavar="FILE",
                       help="do not report (nor fail on) the findings recorded in FILE")
    adopt.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE")
    adopt.add_argument("--changed-since", metavar="REF",
                       help="analyse everything, report only findings whose path touches a file changed since the "
                            "merge base of REF and HEAD (committed, staged, unstaged or untracked); findings in synthesized "
                            "output git ignores (cdk.out) are always reported")
    parser.add_argument("--at", type=_date, metavar="DATE",
                        help="judge certificate validity at this moment (default: now)")
    parser.add_argument("--expiry-days", type=_days, metavar="N",
                        help=f"warn about certificates expiring within N days (default: {DEFAULT_EXPIRY_DAYS})")
    parser.add_argument("--trust-store", metavar="FILE",
                        help="the CAs API Gateway trusts, as a PEM bundle or a list of SHA-256 fingerprints; replaces "
                             "the shipped copy of API Gateway's published list (2022-01-24)")
    cloudformation = parser.add_argument_group("CloudFormation")
    cloudformation.add_argument("--parameter", action=_InOrder, const="parameter", dest="cloudformation_parameters",
                                default=[], metavar="[TEMPLATE:]NAME=VALUE",
                                help="give a template parameter the value it is deployed with (every template that "
                                     "declares NAME, or TEMPLATE only); may be repeated")
    cloudformation.add_argument("--parameters-file", action=_InOrder, const="parameters-file",
                                dest="cloudformation_parameters", default=[], metavar="[TEMPLATE:]FILE",
                                help="read parameter values from FILE: AWS CLI --parameters JSON, a CodePipeline "
                                     "template configuration, Key=Value lines or SAM's samconfig.toml; may be "
                                     "repeated (--parameter and --parameters-file apply in the order given, the "
                                     "later wins)")
    terraform = parser.add_argument_group("Terraform")
    terraform.add_argument("--var", action=_InOrder, const="var", dest="terraform_variables", default=[],
                           metavar="NAME=VALUE", help="set a Terraform variable (like terraform -var); may be repeated")
    terraform.add_argument("--var-file", action=_InOrder, const="var-file", dest="terraform_variables", default=[],
                           metavar="FILE", help="read Terraform variables from a .tfvars file; may be repeated "
                                                "(--var and --var-file apply in the order given, the later wins)")
    acm = parser.add_argument_group("ACM (off by default; read-only calls)")
    acm.add_argument("--acm", action="store_true",
                     help="look up certificates known only by ARN in ACM (acm:DescribeCertificate, acm:GetCertificate)")
    acm.add_argument("--acm-snapshot", metavar="FILE",
                     help="with --acm: also write what was fetched to FILE; without: read certificates from FILE")
    acm.add_argument("--profile", metavar="NAME", help="AWS profile for --acm")
    probe = parser.add_argument_group("Probe (off by default; TLS 1.2 handshakes, nothing sent after them)")
    probe.add_argument("--probe", action="store_true",
                       help="read the certificate chain of every https endpoint whose certificate the files do not "
                            "show (TLS passed through to the targets), connecting as API Gateway does")
    probe.add_argument("--probe-resolve", action="append", default=[], type=_resolve, metavar="HOST:PORT:ADDRESS",
                       help="with --probe: connect to ADDRESS for HOST:PORT, still sending HOST as SNI (like curl "
                            "--resolve); may be repeated")
    check = parser.add_argument_group("One certificate chain in hand")
    check.add_argument("--check-certificate", metavar="FILE.pem",
                       help="judge a PEM chain (server certificate first, then its chain) as API Gateway would, "
                            "instead of scanning PATHs")
    check.add_argument("--host", metavar="NAME", help="with --check-certificate: the host name API Gateway verifies")
    parser.add_argument("--list-rules", action="store_true",
                        help="list the rule catalogue and exit (--format json: as JSON)")
    parser.add_argument("--explain", metavar="ID", help="show a rule's documentation and exit")
    parser.add_argument("--version", action="version", version=f"tlspath {__version__}")
    return parser


def _list_rules(fmt: str) -> int:
    from linter.rules import catalogue

    if fmt == "json":
        from linter.report.json import rules_document

        text = json.dumps(rules_document(catalogue()), indent=2) + "\n"
    elif fmt != "text":
        _parser().error("--list-rules prints text or json")
    else:
        text = "".join(f"{rule.id}  {rule.level():<7}  {rule.title}\n" for rule in catalogue())
    return EXIT_CLEAN if _write(text, None) else EXIT_ERRORS


def _explain(rule_id: str) -> int:
    from linter.rules import by_id, catalogue

    rule = by_id(rule_id)
    if rule is None:
        known = ", ".join(r.id for r in catalogue())
        print(f"tlspath: error: no rule {rule_id!r} (known: {known})", file=sys.stderr)
        return EXIT_ERRORS
    sources = "".join(f"\n- {url}" for url in rule.sources)
    text = f"# {rule.id} ({rule.level()}): {rule.title}\n\n{rule.doc()}\n" + (f"{sources}\n" if sources else "")
    return EXIT_CLEAN if _write(text, None) else EXIT_ERRORS


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(_parser().parse_intermixed_args(argv))  # paths anywhere, as ruff and cfn-lint take them
    except BrokenPipeError:  # `tlspath --list-rules | head`: the reader left
        _silence_stdout()
        return EXIT_CLEAN
    except KeyboardInterrupt:
        print("tlspath: interrupted", file=sys.stderr)
        return 130
    except MemoryError:  # past the scan's own guards (which name the file or the step): still one line
        memory.RESERVE.release()
        print("tlspath: error: not enough memory to finish the run", file=sys.stderr)
        return EXIT_ERRORS


def command() -> NoReturn:
    """The ``tlspath`` console script: :func:`main` in a process of its own, which ends with it. Before the
    interpreter exits, everything the run made is frozen out of the cyclic collector: the collections at exit
    would walk every object only to free memory the process hands back anyway (about 4% of a one-file run --
    a pre-commit hook pays it on every commit). :func:`main` itself leaves the collector as it found it."""
    status = main()
    gc.freeze()
    raise SystemExit(status)


def _run(args: argparse.Namespace) -> int:
    if args.list_rules:
        return _list_rules(args.format)
    if args.explain:
        return _explain(args.explain)
    _usage_errors(args)
    from linter.config import ConfigError
    from linter.invocation import UsageError, invocation
    from linter.truststore import TrustStoreError

    try:
        run = invocation(args)
    except UsageError as exc:
        _parser().error(str(exc))
    except (ConfigError, TrustStoreError) as exc:
        return _error(str(exc))
    if args.check_certificate:
        from linter.check import check_certificate

        if args.output_file is not None and _same_file(args.output_file, args.check_certificate):
            return _error(f"-o {args.output_file}: is the certificate file being checked; not overwritten")

        return _report(check_certificate(args.check_certificate, args.host, run.options.applied_rules(),
                                         run.options.settings), args, run.fail_level)
    if args.acm and not _installed("boto3"):
        return _error("--acm needs boto3, which is not installed: install tlspath with its acm extra "
                      "(python -m pip install '.[acm]' in a tlspath checkout) or python -m pip install boto3")
    from linter.adoption import Adoption, AdoptionError
    from linter.scan import OutOfMemory, scan

    try:
        adoption = Adoption.prepare(run.paths, args.baseline, args.write_baseline, args.changed_since)
        result = scan(run.paths, run.options)
        if (overwritten := _overwrites_input(args, run.paths, result)) is not None:
            return _error(overwritten)
        result, notes = adoption.apply(result)
    except (AdoptionError, OutOfMemory) as exc:
        return _error(str(exc))
    for note in () if args.quiet else notes:
        print(f"tlspath: {visible(note)}", file=sys.stderr)
    return _report(result, args, run.fail_level)


def _overwrites_input(args: argparse.Namespace, paths: Sequence[str], result: ScanResult) -> str | None:
    """Why the report (``-o``) or the baseline (``--write-baseline``) would replace a file the run scanned --
    one named on the command line, one the front ends read (a template, a module's file, a var file, a
    certificate read with ``file()``) -- or ``None``. Checked before anything is written: a slip of the pen
    must not destroy a template."""
    for flag, target in (("-o", args.output_file), ("--write-baseline", args.write_baseline)):
        if target is None or not os.path.isfile(target):
            continue
        if os.path.realpath(target) in result.read or any(_same_file(target, path) for path in paths):
            return f"{flag} {target}: is one of the scanned files; not overwritten"
    return None


def _same_file(one: str, other: str) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _error(message: str) -> int:
    """A usage or input error that stops the run: one line on stderr, exit 2."""
    print(f"tlspath: error: {visible(message)}", file=sys.stderr)
    return EXIT_ERRORS


def _usage_errors(args: argparse.Namespace) -> None:
    """Options that make no sense together, or values that make none: exit 2 with one line (argparse's usage
    error), before any file is read."""
    if args.check_certificate and args.paths:
        _parser().error("--check-certificate judges one file: give no PATH")
    scan_only = [flag for flag, value in (("--baseline", args.baseline), ("--write-baseline", args.write_baseline),
                                          ("--changed-since", args.changed_since)) if value is not None]
    if args.check_certificate and scan_only:
        _parser().error(f"{scan_only[0]} goes with a scan, not with --check-certificate")
    if args.write_baseline is not None and args.changed_since is not None:
        _parser().error("--write-baseline records the whole tree's findings: drop --changed-since")
    if args.host and not args.check_certificate:
        _parser().error("--host goes with --check-certificate (a scan takes host names from the files)")
    if args.probe_resolve and not args.probe:
        _parser().error("--probe-resolve goes with --probe")
    if args.profile is not None and not args.acm:
        _parser().error("--profile goes with --acm (it names the AWS profile the ACM lookups use)")
    if args.terraform_variables:  # a run without --var never loads the Terraform evaluator (a hook starts fast)
        from linter.parse.terraform.variables import well_formed

        malformed = [setting for kind, setting in args.terraform_variables
                     if kind == "var" and not well_formed(setting)]
        if malformed:
            _parser().error(f"--var {malformed[0]!r} is not NAME=VALUE with a Terraform variable name "
                            "(e.g. --var region=eu-west-1)")
    from linter.invocation import parameter_sources

    malformed = [source for source in parameter_sources(args.cloudformation_parameters)
                 if source.kind == "parameter" and not source.well_formed]
    if malformed:
        _parser().error(f"--parameter {malformed[0].text!r} is not [TEMPLATE:]NAME=VALUE with a CloudFormation "
                        "parameter name (e.g. --parameter DomainName=api.example.com)")


def _report(result: ScanResult, args: argparse.Namespace, fail_level: str) -> int:
    """Print what a run found (warnings and input errors on stderr, the report on stdout or into the output
    file); the exit code."""
    for warning in () if args.quiet else result.warnings:
        print(f"tlspath: warning: {visible(warning)}", file=sys.stderr)
    for error in result.errors:
        print(visible(str(error)), file=sys.stderr)
    try:
        report = render(result, args.format, ReportSettings(root=repository_root(os.curdir), color=_color(args),
                                                            quiet=args.quiet, fail_level=fail_level))
    except MemoryError:
        memory.RESERVE.release()
        return _error(f"not enough memory to write the {args.format} report")
    except Exception as exc:  # noqa: BLE001 -- a report that cannot be made says so on one line, never a traceback
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        print(visible(f"tlspath: error: internal error while writing the {args.format} report ({detail}); "
                      "please report it"), file=sys.stderr)
        return EXIT_ERRORS
    if not _write(report, args.output_file):
        return EXIT_ERRORS
    if result.errors:
        return EXIT_ERRORS
    if fail_level != "none" and any(SEVERITY[f.level] >= SEVERITY[fail_level] for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _installed(module: str) -> bool:
    """Whether an optional dependency can be imported (it is, as the run that asks for it will use it)."""
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _color(args: argparse.Namespace) -> bool:
    """``--color auto``: colour for a person at a terminal, never into a file, a pipe or when NO_COLOR is set."""
    if args.color != "auto":
        return args.color == "always"
    return (args.output_file is None and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
            and sys.stdout.isatty())


def _write(report: str, output_file: str | None) -> bool:
    """The report to the output file, or stdout; ``False`` (said on stderr) when the file cannot be written."""
    if output_file is not None:
        try:
            with open(output_file, "w", encoding="utf-8") as handle:
                handle.write(report)
        except OSError as exc:
            print(visible(f"tlspath: error: cannot write {output_file}: {exc.strerror or exc}"), file=sys.stderr)
            return False
        return True
    try:
        sys.stdout.write(report)
        sys.stdout.flush()
    except BrokenPipeError:  # `tlspath . | head`: the reader left, the verdict stands
        _silence_stdout()
    except OSError as exc:  # stdout on a full disk: one line on stderr, never a traceback
        _silence_stdout()
        print(f"tlspath: error: cannot write to stdout: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's exit-time flush does not raise again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
