"""CLI start-up benchmark (issue 12, item 8): `salestrain --help` against bare click.

    python benchmarks/cli.py [--repeats 9]

Prints ``target cli_help_start: RATIO (goal <= 3x) PASS|FAIL``. The floor is a fresh
``python -c "import click"`` process: the interpreter plus the one library the CLI
cannot start without. Floor and target processes are started interleaved in this one
run, ``--repeats`` times each, and compared by their medians. The ratio uses the child
processes' CPU time (user + system, from ``os.wait4``): on a shared machine wall time
mostly measures the neighbours; the wall-time ratio is printed beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = [sys.executable, "-c", "import click"]
TARGET = [sys.executable, "-m", "salestrain", "--help"]
GOAL = 3.0


def run(args: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process run to its end."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited with {proc.returncode}: {proc.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    repeats = parser.parse_args().repeats
    run(FLOOR), run(TARGET)  # warm the file cache and .pyc files; not counted
    floor, target = [], []
    for _ in range(repeats):
        floor.append(run(FLOOR))
        target.append(run(TARGET))
    f_cpu, f_wall = (statistics.median(x) for x in zip(*floor, strict=True))
    t_cpu, t_wall = (statistics.median(x) for x in zip(*target, strict=True))
    ratio = t_cpu / f_cpu
    print(f"floor: `python -c \"import click\"` in a fresh process, median of {repeats}: "
          f"{f_cpu * 1000:.0f} ms CPU, {f_wall * 1000:.0f} ms wall")
    print(f"measured: `python -m salestrain --help`, median of {repeats}, interleaved with the floor: "
          f"{t_cpu * 1000:.0f} ms CPU, {t_wall * 1000:.0f} ms wall (wall ratio {t_wall / f_wall:.2f}x)")
    print(f"target cli_help_start: {ratio:.2f}x (goal <= {GOAL:g}x) {'PASS' if ratio <= GOAL else 'FAIL'}")


if __name__ == "__main__":
    main()
