"""tlspath next to cfn-lint on the same files, in one run: medians over several repetitions, and ratios.

    python benchmarks/run.py [--repeat N]

Run it with the Python of the environment tlspath is installed in: ``tlspath`` and ``cfn-lint`` are taken
from next to that interpreter. It times, per file set (the CloudFormation samples, and the CloudFormation
part of ../shared/corpus when present):

- ``tlspath FILES``                       -- tlspath alone
- ``cfn-lint -- FILES``                   -- plain cfn-lint (its ~290 built-in rules)
- ``cfn-lint -a linter.rules -- FILES``   -- cfn-lint with tlspath's rules appended

and bare start-up: ``python -c pass``, ``tlspath --version``, ``cfn-lint --version``. Each repetition runs
every command once, in turn, so that drift in machine load spreads over all of them; one untimed warm-up run
comes first. Exit codes are not judged here (findings are expected); the tests do that.
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
    sets = {"samples/ (CloudFormation)": cloudformation_files(SAMPLES)}
    for name, folder in (("corpus robust/cfn-lint", CORPUS / "robust" / "cfn-lint"),
                         ("corpus real (CloudFormation)", CORPUS / "real")):
        if folder.is_dir():
            sets[name] = cloudformation_files(folder)
        else:
            print(f"(skipped {name}: {folder} is absent)")
    return {name: files for name, files in sets.items() if files}


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
    print(f"tlspath {__version__}, {versions}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.machine()} {platform.system()}; median of {args.repeat} runs after one warm-up\n")
    with tempfile.TemporaryDirectory() as home:  # no ~/.cfnlintrc, no .cfnlintrc in the working directory
        env = {**os.environ, "HOME": home}
        measure([*startup, *(c for commands in runs.values() for c in commands)], args.repeat, home, env)

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
    python, own, cfn = startup
    print()
    print(table(["start-up", "median", "over python -c pass", "tlspath/cfn-lint"], [
        [python.label, seconds(python.median), "-", "-"],
        [own.label, seconds(own.median), f"{own.median - python.median:+.3f} s", f"{own.median / cfn.median:.2f}"],
        [cfn.label, seconds(cfn.median), f"{cfn.median - python.median:+.3f} s", "-"],
    ]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
