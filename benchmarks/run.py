"""tlspath next to cfn-lint on the same files, in one run: medians over several repetitions, and ratios.

    python benchmarks/run.py [--repeat N]

Run it with the Python of the environment tlspath is installed in: ``tlspath`` and ``cfn-lint`` are taken
from next to that interpreter. It times, per file set (the CloudFormation samples, and the CloudFormation
templates of the public repositories in ../shared/corpus/real when present):

- ``tlspath FILES``                       -- tlspath alone
- ``cfn-lint -- FILES``                   -- plain cfn-lint (its ~290 built-in rules)
- ``cfn-lint -a linter.rules -- FILES``   -- cfn-lint with tlspath's rules appended

and bare start-up: ``python -c pass``, ``tlspath --version``, ``cfn-lint --version``. Each repetition runs
every command once, in turn, so that drift in machine load spreads over all of them; one untimed warm-up run
comes first. Exit codes are not judged here (findings are expected); the tests do that.

Then the targets of issue 8, each measured side by side with its yardstick in this same run and printed with
the target beside it, on inputs :mod:`generate` makes on the fly: a small template cold (against cfn-lint, and
against the floor -- ``python -c`` with a bare ``yaml.CSafeLoader`` load), a 10,000-resource template in YAML
(against a bare CSafeLoader load) and in JSON (against a bare ``json.loads``), ten times the resources (YAML,
JSON, Terraform), a 5,000-resource Terraform root (against a bare ``hcl2.loads`` of its files), the checkov
corpus's peak memory, and the pre-commit case (one changed file in a repository of 200 templates). A ratio is
the median of ratios of CPU time (user + system, as the kernel accounts the finished process) of the two
commands run in turn: CPU rather than wall time, since the machines this runs on are shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from linter import __version__
from linter.parse.cloudformation import CloudFormation, looks_like_template

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent


@dataclass
class Command:
    label: str
    argv: list[str]
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def executable(name: str) -> str:
    found = shutil.which(name, path=str(BIN))
    if found is None:
        sys.exit(f"benchmarks/run.py: no {name} next to {sys.executable}; run this with the Python tlspath is "
                 f"installed in")
    return found


def cloudformation_files(folder: Path) -> list[str]:
    """YAML/JSON/.template files under ``folder`` that are (or were meant to be) CloudFormation templates."""
    found = []
    for path in sorted(folder.rglob("*")):
        if CloudFormation.claims.document(path.name) and path.is_file() and not path.is_symlink():
            head = path.read_bytes()[:65536].decode("utf-8", "replace")
            if looks_like_template(head):
                found.append(str(path))
    return found


def file_sets() -> dict[str, list[str]]:
    """The samples, and the public repositories of the corpus. (Not its ``robust/cfn-lint`` part: cfn-lint's
    own test templates, many broken on purpose, cost cfn-lint a minute and a half a round and time its error
    paths, not a lint.)"""
    sets = {"samples/ (CloudFormation)": cloudformation_files(SAMPLES)}
    real = CORPUS / "real"
    if real.is_dir():
        sets["corpus real (CloudFormation)"] = cloudformation_files(real)
    else:
        print(f"(skipped the corpus: {real} is absent)")
    return {name: files for name, files in sets.items() if files}


def environment(home: str) -> dict[str, str]:
    """The environment every timed command runs in: ``HOME`` an empty folder (no user configuration changes
    what cfn-lint runs), and Python free to cache compiled bytecode -- as an installed tool runs, from the
    ``.pyc`` files pip wrote; under ``PYTHONDONTWRITEBYTECODE`` every run would time the compiler too."""
    inherited = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**inherited, "HOME": home}


def measure(commands: list[Command], repeat: int, cwd: str, env: dict[str, str]) -> None:
    for rounds in range(repeat + 1):  # round 0 warms caches and compiled bytecode and is not kept
        for command in commands:
            start = time.perf_counter()
            subprocess.run(command.argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)
            if rounds:
                command.times.append(time.perf_counter() - start)


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:  # the first column left-aligned, numbers right-aligned
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions per command (default: 5)")
    args = parser.parse_args()
    tlspath, cfn_lint = executable("tlspath"), executable("cfn-lint")
    sets = file_sets()

    startup = [Command("python -c pass", [sys.executable, "-c", "pass"]),
               Command("tlspath --version", [tlspath, "--version"]),
               Command("cfn-lint --version", [cfn_lint, "--version"])]
    runs: dict[str, list[Command]] = {
        name: [Command("tlspath", [tlspath, "--fail-level", "none", *files]),
               Command("cfn-lint", [cfn_lint, "--", *files]),
               Command("cfn-lint -a linter.rules", [cfn_lint, "-a", "linter.rules", "--", *files])]
        for name, files in sets.items()}
    runs["samples/ (all, tlspath only)"] = [Command("tlspath", [tlspath, "--fail-level", "none", str(SAMPLES)])]

    versions = subprocess.run([cfn_lint, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"tlspath {__version__}, {versions}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
          f"(load average {os.getloadavg()[0]:.1f} at the start), {platform.machine()} {platform.system()}; "
          f"median of {args.repeat} runs after one warm-up\n")
    with tempfile.TemporaryDirectory() as home:  # no ~/.cfnlintrc, no .cfnlintrc in the working directory
        measure([*startup, *(c for commands in runs.values() for c in commands)], args.repeat, home,
                environment(home))

    rows = []
    for name, commands in runs.items():
        files = len(sets.get(name, [])) or "-"
        own, *cfn = commands
        if cfn:
            plain, packed = cfn
            rows.append([name, str(files), seconds(own.median), seconds(plain.median), seconds(packed.median),
                         f"{own.median / plain.median:.2f}",
                         f"{packed.median - plain.median:+.2f} s ({packed.median / plain.median - 1:+.0%})"])
        else:
            rows.append([name, str(files), seconds(own.median), "-", "-", "-", "-"])
    print(table(["files", "n", "tlspath", "cfn-lint", "cfn-lint -a linter.rules", "tlspath/cfn-lint",
                 "pack cost"], rows))
    python, version, cfn_version = startup
    print()
    print(table(["start-up", "median", "over python -c pass", "tlspath/cfn-lint"], [
        [python.label, seconds(python.median), "-", "-"],
        [version.label, seconds(version.median), f"{version.median - python.median:+.3f} s",
         f"{version.median / cfn_version.median:.2f}"],
        [cfn_version.label, seconds(cfn_version.median), f"{cfn_version.median - python.median:+.3f} s", "-"],
    ]))
    print()
    print(table(["issue 8 target", "measured", "target", ""], targets(tlspath, cfn_lint, args.repeat)))
    return 0


# ------------------------------------------------------------------------------------ issue 8 targets

# The floor of reading a template: Python started, PyYAML imported, the file loaded by libyaml. Tags are read
# as nothing (CloudFormation's short forms, !Ref ..., would stop a bare safe load at the first one).
_YAML_LOAD = ("import sys, yaml\n"
              "yaml.CSafeLoader.add_multi_constructor('!', lambda loader, suffix, node: None)\n"
              "yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)")
_JSON_LOAD = "import sys, json; json.loads(open(sys.argv[1], encoding='utf-8').read())"
_HCL_LOAD = ("import sys, glob, hcl2\n"
             "for name in sorted(glob.glob(sys.argv[1] + '/*.tf')): hcl2.loads(open(name, encoding='utf-8').read())")


# Measures one command from a small process of its own: a child counts the pages of the process it was forked
# (or spawned) from as its own until it executes the command, so measured from this (by then large) process
# every peak would be this process's. The measuring process is a few MiB: that is the floor of a peak.
_MEASURE = """import os, sys
pid = os.fork()
if pid == 0:
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.execv(sys.argv[1], sys.argv[1:])
_, _, used = os.wait4(pid, 0)
print(used.ru_utime + used.ru_stime, used.ru_maxrss)
"""


def usage(argv: list[str], cwd: str) -> tuple[float, int]:
    """CPU seconds (user + system) and peak resident bytes of one run, as the kernel accounts the finished
    process."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *argv], cwd=cwd, env=environment(cwd),
                          capture_output=True, text=True, check=True)
    cpu, peak = done.stdout.split()
    return float(cpu), int(peak) * (1 if sys.platform == "darwin" else 1024)


def ratios(subject: list[str], yardsticks: list[list[str]], repeat: int, cwd: str) -> list[float]:
    """For each yardstick, the median over ``repeat`` rounds (after one untimed round) of the subject's CPU time
    over the yardstick's. A round runs the subject and every yardstick in turn, so drift in machine load touches
    them alike -- and the subject runs once a round however many yardsticks it is held against."""
    rounds: list[list[float]] = []
    for round_ in range(repeat + 1):
        mine = usage(subject, cwd)[0]
        theirs = [usage(yardstick, cwd)[0] for yardstick in yardsticks]
        if round_:
            rounds.append([mine / their for their in theirs])
    return [statistics.median(column) for column in zip(*rounds)]


def targets(tlspath: str, cfn_lint: str, repeat: int) -> list[list[str]]:
    import generate

    python = sys.executable
    small = str(SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml")
    rows = []

    def row(name: str, measured: float, limit: float, unit: str = "x") -> None:
        shown = f"{measured:.2f}{unit}" if unit == "x" else f"{measured:.3f} {unit}" if unit == "s" else \
            f"{measured:.0f} {unit}"
        rows.append([name, shown, f"<= {limit:g}{unit if unit == 'x' else ' ' + unit}",
                     "met" if measured <= limit else "MISSED"])

    def scan(*paths: object) -> list[str]:
        return [tlspath, "--fail-level", "none", *map(str, paths)]

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        by_cfn_lint, by_floor = ratios(scan(small), [[cfn_lint, "--", small], [python, "-c", _YAML_LOAD, small]],
                                       repeat, work)
        row("small template, cold / cfn-lint", by_cfn_lint, 0.08)
        row("small template, cold / the floor", by_floor, 2.5)
        for syntax, load, limit in (("yaml", _YAML_LOAD, 1.2), ("json", _JSON_LOAD, 5)):
            big, tenth = generate.write_template(folder, 10_000, syntax), generate.write_template(folder, 1_000, syntax)
            by_load, by_tenth = ratios(scan(big), [[python, "-c", load, str(big)], scan(tenth)], repeat, work)
            row(f"10,000-resource {syntax.upper()} / bare {'CSafeLoader load' if syntax == 'yaml' else 'json.loads'}",
                by_load, limit)
            row(f"{syntax.upper()}: 10x the resources / 1x", by_tenth, 11)
        root, tenth_root = generate.write_terraform(folder, 5_000), generate.write_terraform(folder, 500)
        by_load, by_tenth = ratios(scan(root), [[python, "-c", _HCL_LOAD, str(root)], scan(tenth_root)], repeat, work)
        row("5,000-resource Terraform root / bare hcl2.loads", by_load, 0.8)
        row("Terraform: 10x the resources / 1x", by_tenth, 11)
        stacks = generate.write_repository(folder / "repository", Path(small))
        changed = [usage(scan(stacks[len(stacks) // 2].relative_to(folder / "repository")),
                         str(folder / "repository"))[0] for _ in range(repeat + 1)][1:]
        row("pre-commit: 1 changed file of 200, CPU", statistics.median(changed), 0.1, "s")
    corpus = CORPUS / "robust" / "terraform-checkov"
    if corpus.is_dir():
        row("checkov corpus, peak RSS", usage(scan(corpus), str(ROOT))[1] / 2 ** 20, 100, "MiB")
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
