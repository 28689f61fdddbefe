"""The test suite on all cores against the same suite run serially, in one run.

    python benchmarks/testsuite.py            # the whole suite (README's test command)
    python benchmarks/testsuite.py tests/funnel tests/goals   # a part of it, quicker

Floor: the same pytest selection run serially (``-p no:xdist``) right before, in this
process's environment. The measured run is exactly what ``./workshop test`` runs
(``-n auto --dist loadfile``). Both must pass for the ratio to count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.6


def run(args: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ})
    tail = (proc.stdout.strip().splitlines() or [""])[-1]
    return time.perf_counter() - start, proc.returncode, tail


def main() -> int:
    selection = sys.argv[1:]
    serial, rc1, tail1 = run(["-p", "no:xdist", *selection])
    parallel, rc2, tail2 = run(["-n", "auto", "--dist", "loadfile", *selection])
    print(f"serial:   {serial:7.1f} s  rc={rc1}  {tail1}")
    print(f"parallel: {parallel:7.1f} s  rc={rc2}  {tail2}  ({os.cpu_count()} cores)")
    ratio = parallel / serial
    ok = ratio <= GOAL and rc1 == 0 and rc2 == 0
    print(f"target test-suite-wall: {ratio:.2f} (goal <= {GOAL}) {'PASS' if ok else 'FAIL'}"
          "  [floor: the same selection run serially with -p no:xdist in this run]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
