"""Run the real ``tlspath`` on hostile input with the bounds held by the test harness, not by the code under test.

The command runs in a subprocess whose CPU time and address space the kernel limits (``RLIMIT_CPU``,
``RLIMIT_AS``), with a wall-clock timeout on top: a hang or a memory blow-up fails the test -- it never takes the
machine down, and no test asserts how fast anything is. The bounds are far above what the inputs need when
tlspath is right, and far below what they cost when it is not.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, Run

CPU_SECONDS = 60
MEMORY_BYTES = 768 * 1024 * 1024


def tlspath_bounded(*args: object, cwd: Path | None = None, cpu: int = CPU_SECONDS, memory: int = MEMORY_BYTES,
                    wall: int | None = None, env: dict[str, str | None] | None = None, setup: str = "",
                    too_large: bool = False) -> Run:
    """``tlspath ARGS`` in a bounded subprocess; fails the test on a hang, a kill, a traceback or memory
    exhausted inside the bound (unless ``too_large``: the test gives a file larger than the bound holds). ``env``
    adds variables (``None`` removes one); ``setup`` is Python run before the command (to shorten a deadline)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    wall = wall or cpu * 2 + 30
    command = f"import sys\n{setup}\nfrom linter.cli import main\nsys.exit(main(sys.argv[1:]))"
    try:
        done = subprocess.run([sys.executable, "-c", command, *map(str, args)], cwd=cwd or ROOT,
                              env=_environment(env or {}), preexec_fn=limit, capture_output=True, text=True,
                              timeout=wall, check=False)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"tlspath {' '.join(map(str, args))} still ran after {wall} s") from None
    assert done.returncode >= 0, f"killed by signal {-done.returncode} (past {cpu} s of CPU or {memory >> 20} MiB?)"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert too_large or "with the memory available" not in done.stderr, done.stderr[-3000:]
    assert "internal error" not in done.stderr, done.stderr[-3000:]
    return Run(done.returncode, done.stdout, done.stderr)


def _environment(changes: dict[str, str | None]) -> dict[str, str]:
    merged = {**os.environ, **changes}
    return {name: value for name, value in merged.items() if value is not None}
