"""The test suite on all cores against the same suite run serially, in one run.

    python benchmarks/testsuite.py            # the whole suite (README's test command)
    python benchmarks/testsuite.py tests/funnel tests/goals   # a part of it, quicker

Floor: the same pytest selection run serially (``-p no:xdist``) right before, in this
process's environment. The measured run is exactly what ``./workshop test`` runs
(``-n auto --dist loadfile``). Both must pass for the ratio to count.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.6


def children_cpu() -> float:
    """CPU seconds used so far by finished children (pytest, its workers, kernels, browsers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str]) -> tuple[float, int, str, float]:
    """Wall time, return code, pytest's summary line and the CPU seconds the run used."""
    start, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rf", *args], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ})
    lines = proc.stdout.strip().splitlines() or [""]
    # Name the failures: a ratio over a red run does not count, and the reason must show.
    for line in lines:
        if line.startswith("FAILED") or line.startswith("ERROR"):
            print(f"  {line[:200]}")
    return time.perf_counter() - start, proc.returncode, lines[-1], children_cpu() - cpu


def main() -> int:
    selection = sys.argv[1:]
    serial, rc1, tail1, cpu1 = run(["-p", "no:xdist", *selection])
    parallel, rc2, tail2, cpu2 = run(["-n", "auto", "--dist", "loadfile", *selection])
    # CPU seconds over wall seconds: how many cores each run kept busy on average. A serial
    # run that already keeps more than one busy (a kernel or a browser beside pytest) leaves
    # less for the parallel run to gain.
    print(f"serial:   {serial:7.1f} s  rc={rc1}  {tail1}  (CPU {cpu1:.0f} s, {cpu1 / serial:.2f} cores busy)")
    print(f"parallel: {parallel:7.1f} s  rc={rc2}  {tail2}  ({os.cpu_count()} cores; "
          f"CPU {cpu2:.0f} s, {cpu2 / parallel:.2f} busy)")
    ratio = parallel / serial
    ok = ratio <= GOAL and rc1 == 0 and rc2 == 0
    print(f"target test-suite-wall: {ratio:.2f} (goal <= {GOAL}) {'PASS' if ok else 'FAIL'}"
          "  [floor: the same selection run serially with -p no:xdist in this run]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
