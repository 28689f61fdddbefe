"""Grading benchmark: sandboxed grading vs the bare nbclient floor, a hostile cohort,
and check() latency. Ratios are measured in this one run.

    PYTHONPATH=. python benchmarks/grading.py [--repeat 3] [--cohort 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salestrain.grading import autograde  # noqa: E402
from tests.grading import hostile  # noqa: E402

SAMPLE = ROOT / "exercises" / "sample" / "funnel_forecast.ipynb"


def line(name: str, measured: str, goal: str, ok: bool) -> None:
    print(f"target {name}: {measured} (goal {goal}) {'PASS' if ok else 'FAIL'}", flush=True)


def bare_floor(path: Path, workdir: Path) -> float:
    """The same notebook executed by plain nbclient: no sandbox, no evaluation."""
    nb = nbformat.read(str(path), as_version=4)
    # Tests cells are not learner code; the floor runs what the grader runs.
    nb.cells = [c for c in nb.cells if not c.source.lstrip().startswith("%%tests")]
    start = time.perf_counter()
    # Immediate shutdown, as the grader does: the floor is not padded by a polite exit.
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cohort", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=autograde.default_jobs())
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="salestrain-bench-"))
    solved = tmp / "solved.ipynb"
    nbformat.write(hostile.solved(), str(solved))
    box = autograde.check_source_protected(SAMPLE)
    # Without isolated kernels the hostile submissions could damage the real source.
    source = SAMPLE if box.level != "none" else Path(shutil.copy(SAMPLE, tmp / SAMPLE.name))
    exercise, _ = autograde.load_exercise(source)
    print(f"sandbox: {box.level}; cores: {os.cpu_count()}; jobs: {args.jobs}", flush=True)

    floors, graded = [], []
    for _ in range(args.repeat):
        floors.append(bare_floor(solved, tmp))
        start = time.perf_counter()
        result = autograde.run_sync(autograde.grade_notebook(exercise, source, solved, autograde.Limits()))
        graded.append(time.perf_counter() - start)
        assert result.score == result.max_score, result
    floor, grade_time = statistics.median(floors), statistics.median(graded)
    ratio = grade_time / floor
    line("per_submission", f"{grade_time:.2f} s vs floor {floor:.2f} s = {ratio:.2f}x", "<= 1.5x",
         ratio <= 1.5)

    # A cohort: every hostile submission plus honest ones up to the cohort size.
    subs = tmp / "cohort"
    piddir = Path(tempfile.mkdtemp(prefix="salestrain-bench-pids-"))
    piddir.chmod(0o777)
    hostile.cohort(subs, source, piddir, isolated=box.level != "none")
    i = 0
    while len(list(subs.glob("*.ipynb"))) < args.cohort:
        nbformat.write(hostile.solved(), str(subs / f"honest{i:02d}.ipynb"))
        i += 1
    pairs = autograde.collect_submissions(subs)
    limits = autograde.Limits(cell_seconds=3, notebook_seconds=30, output_bytes=1_000_000)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    me_before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    results = autograde.grade(source, pairs, limits, jobs=args.jobs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    me_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
           + me_after.ru_utime - me_before.ru_utime + me_after.ru_stime - me_before.ru_stime)
    floors_sum = floor * len(pairs)
    assert len(results) == len(pairs) and all(len(r.outcomes) == 5 for r in results)
    hostile_count = len(pairs) - i
    line("cohort_wall_vs_floors",
         f"{len(pairs)} submissions ({hostile_count} hostile) in {wall:.1f} s vs sum of floors "
         f"{floors_sum:.1f} s = {wall / floors_sum:.2f}x", f"<= 1.0x with {os.cpu_count()} cores",
         wall / floors_sum <= 1.0)
    overlap = sum(r.seconds for r in results) / wall
    line("cohort_parallelism", f"{overlap:.2f} submissions in flight on average "
         f"(sum of per-submission times {sum(r.seconds for r in results):.1f} s / wall {wall:.1f} s)",
         f">= {0.8 * args.jobs:.1f} with {args.jobs} jobs", overlap >= 0.8 * args.jobs)
    cores = cpu / wall
    load = os.getloadavg()[0]
    # CPU actually obtained depends on what else runs: the load average says how much.
    line("cohort_cores_busy", f"{cores:.2f} cores (CPU {cpu:.1f} s / wall {wall:.1f} s; "
         f"machine load average {load:.1f})", f">= 1.2 of {os.cpu_count()}", cores >= 1.2)

    # check("q1") in a real kernel, after the notebook ran.
    nb = hostile.solved()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import io, contextlib, time, statistics\n"
        "times = []\n"
        "for _ in range(200):\n"
        "    t0 = time.perf_counter()\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        check('q1')\n"
        "    times.append(time.perf_counter() - t0)\n"
        "times.sort()\n"
        "print(f'{times[100] * 1000:.3f} {times[190] * 1000:.3f}')"))
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp)}}).execute()
    p50, p95 = (float(x) for x in nb.cells[-1].outputs[0]["text"].split())
    line("check_q1_latency", f"p50 {p50:.2f} ms, p95 {p95:.2f} ms", "p95 < 100 ms", p95 < 100)
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(piddir, ignore_errors=True)


if __name__ == "__main__":
    main()
