"""Funnel benchmark: every target of the funnel issue, as ratios measured in one run.

    python benchmarks/funnel.py [--deals 10000] [--trials 10000] [--repeats 3]

Prints one line per target: ``target NAME: MEASURED (goal GOAL) PASS|FAIL``. Ratios
divide by the numpy RNG floor measured first in this same process, with the floor and
each measured run interleaved, best of ``--repeats`` each. Ratios use this process's
CPU time: on a shared machine wall time mostly measures the neighbours, while CPU time
is what the code costs (on an idle machine the two agree; wall times are printed too).
The app target is a latency a person waits for, so it is judged on wall time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from salestrain.core.funnel import (  # noqa: E402
    poisson_binomial_pmf,
    revenue_distribution,
    simulate,
    synthetic_pipeline,
)
from salestrain.io.funnel import validate_pipeline  # noqa: E402

MIB = 1024 * 1024


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def versus_floor(repeats: int, floor, fn) -> tuple[float, float, float, float, object]:
    """Best CPU and wall times of ``floor`` and ``fn``, run alternately so both see
    the same machine load."""
    f_cpu = f_wall = m_cpu = m_wall = float("inf")
    result = None
    for _ in range(repeats):
        c, w, _ = timed(floor)
        f_cpu, f_wall = min(f_cpu, c), min(f_wall, w)
        c, w, result = timed(fn)
        m_cpu, m_wall = min(m_cpu, c), min(m_wall, w)
    return f_cpu, f_wall, m_cpu, m_wall, result


def rng_floor(n_deals: int, trials: int, rng: np.random.Generator) -> None:
    """The floor: the same number of uniform draws, float64, into a reused buffer of
    the Monte Carlo's chunk shape (no allocation, no other work)."""
    rows = max(1, min(trials, (1 << 20) // n_deals))
    buf = np.empty((rows, n_deals))
    for start in range(0, trials, rows):
        rng.random(out=buf[: min(rows, trials - start)])


def report(name: str, measured: str, goal: str, ok: bool) -> bool:
    print(f"target {name}: {measured} (goal {goal}) {'PASS' if ok else 'FAIL'}", flush=True)
    return ok


def app_latencies(n_deals: int, changes: int) -> np.ndarray:
    from salestrain.apps.funnel import ForecastApp

    table = synthetic_pipeline(n_deals, seed=3)
    table["expected_close"] = "2026-12-15"  # all in one month: the app forecasts all of them
    app = ForecastApp(validate_pipeline(table))
    slider = app.controls["proposal"]
    values = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65]
    wall, cpu = [], []
    for i in range(changes):
        before = app.plot.image.value
        start, start_cpu = time.perf_counter(), time.process_time()
        slider.value = values[i % len(values)] if values[i % len(values)] != slider.value else 0.7
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert app.plot.image.value != before and app.error is None
    return np.array(wall), np.array(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=10_000)
    ap.add_argument("--trials", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--app-deals", type=int, default=1_000)
    ap.add_argument("--app-changes", type=int, default=40)
    args = ap.parse_args()
    n, trials = args.deals, args.trials

    rng = np.random.default_rng(2026)
    table = validate_pipeline(synthetic_pipeline(n, seed=1))
    amounts = table["amount"].to_numpy(float)
    probs = table["probability"].to_numpy(float)
    draws = n * trials

    def floor():
        rng_floor(n, trials, rng)

    f_cpu, f_wall, _, _, _ = versus_floor(1, floor, lambda: None)
    print(f"floor: numpy {draws:,} uniform float64 draws in {f_cpu:.3f} s CPU ({f_wall:.3f} s wall)"
          f" = {draws / f_cpu / 1e6:,.0f} M draws/s", flush=True)
    ok = True

    f_cpu, f_wall, mc_cpu, mc_wall, sim = versus_floor(
        args.repeats, floor, lambda: simulate(amounts, probs, trials, seed=7, count_won=False))
    _, _, both_cpu, _, _ = versus_floor(args.repeats, floor,
                                       lambda: simulate(amounts, probs, trials, seed=7))
    ratio = mc_cpu / f_cpu
    ok &= report(f"Monte Carlo {n:,} deals x {trials:,} trials (revenue) time / floor",
                 f"{ratio:.2f}x ({mc_cpu:.3f} s CPU; wall {mc_wall / f_wall:.2f}x; "
                 f"{both_cpu / f_cpu:.2f}x when it also counts won deals per trial)",
                 "<= 1.2x", ratio <= 1.2)
    tracemalloc.start()
    simulate(amounts, probs, trials, seed=7)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ok &= report("Monte Carlo peak memory", f"{peak / MIB:.1f} MiB", "< 16 MiB", peak < 16 * MIB)

    f_cpu, f_wall, c_cpu, c_wall, pmf = versus_floor(args.repeats, floor,
                                                     lambda: poisson_binomial_pmf(probs))
    ratio = c_cpu / f_cpu
    ok &= report(f"exact won-count distribution, {n:,} deals / floor",
                 f"{ratio:.3f}x ({c_cpu * 1000:.1f} ms CPU; wall {c_wall / f_wall:.3f}x)",
                 "<= 0.05x", ratio <= 0.05)
    mean_ok = abs(np.arange(pmf.size) @ pmf - probs.sum()) < 1e-6 * probs.sum()
    ok &= report("exact won-count mean equals sum of p", "yes" if mean_ok else "no", "yes", mean_ok)

    f_cpu, f_wall, r_cpu, r_wall, dist = versus_floor(args.repeats, floor,
                                                      lambda: revenue_distribution(amounts, probs))
    ratio = r_cpu / f_cpu
    ok &= report(f"exact revenue distribution, {n:,} deals / floor",
                 f"{ratio:.2f}x ({r_cpu:.3f} s CPU; wall {r_wall / f_wall:.2f}x; lattice "
                 f"{dist.bin_width:,.0f}, {dist.pmf.size:,} points)", "<= 1x", ratio <= 1.0)
    edges, _ = dist.histogram(bins=100)
    bin_width = edges[1] - edges[0]
    worst = max(abs(dist.quantile(q) - sim.quantile(q)) for q in (0.1, 0.5, 0.9))
    detail = ", ".join(f"P{int(q * 100)} {dist.quantile(q):,.0f} vs {sim.quantile(q):,.0f}"
                       for q in (0.1, 0.5, 0.9))
    ok &= report("exact vs Monte Carlo P10/P50/P90",
                 f"{worst / bin_width:.2f} bins apart ({detail}; bin = 1/100 of the central "
                 f"99.9% = {bin_width:,.0f})", "<= 1 bin", worst <= bin_width)

    wall, cpu = app_latencies(args.app_deals, args.app_changes)
    p50, p95 = np.percentile(wall, [50, 95]) * 1000
    # Wall time is the goal; CPU time and the load average show how much of it was
    # waiting for a core on a shared machine.
    cpu95 = np.percentile(cpu, 95) * 1000
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ok &= report(f"app update (slider -> result + figure), {args.app_deals:,} deals, p95",
                 f"{p95:.0f} ms (p50 {p50:.0f} ms, CPU p95 {cpu95:.0f} ms, {wall.size} changes, "
                 f"load average {load:.1f} on {os.cpu_count()} cores)", "<= 100 ms", p95 <= 100)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
