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
                    env: dict[str, str] | None = None) -> Run:
    """``tlspath ARGS`` in a bounded subprocess; fails the test on a hang, a kill, a traceback or memory
    exhausted inside the bound."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        done = subprocess.run([sys.executable, "-m", "linter", *map(str, args)], cwd=cwd or ROOT,
                              env={**os.environ, **(env or {})}, preexec_fn=limit, capture_output=True, text=True,
                              timeout=cpu * 2 + 30, check=False)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"tlspath {' '.join(map(str, args))} still ran after {cpu * 2 + 30} s") from None
    assert done.returncode >= 0, f"killed by signal {-done.returncode} (past {cpu} s of CPU or {memory >> 20} MiB?)"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "with the memory available" not in done.stderr, done.stderr[-3000:]
    assert "internal error" not in done.stderr, done.stderr[-3000:]
    return Run(done.returncode, done.stdout, done.stderr)
