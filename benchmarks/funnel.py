"""Funnel benchmark: every target of the funnel issues, as ratios measured in one run.

    python benchmarks/funnel.py [--deals 10000] [--trials 10000] [--repeats 3]

Prints one line per target: ``target NAME: MEASURED (goal GOAL) PASS|FAIL; floor: ...``.
Every ratio divides by a floor that does the same work the bare way, measured in this
process with the floor and the measured run interleaved, best of ``--repeats`` each.
Monte Carlo floors make exactly the random draws ``simulate`` makes on that path (same
generator, dtype and chunk shape, into reused buffers) and nothing else. Ratios use this
process's CPU time: on a shared machine wall time mostly measures the neighbours; wall
ratios are printed too. The app target is a latency a person waits for: wall time.
"""

from __future__ import annotations

import argparse
import io
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
    slip_probability,
    synthetic_pipeline,
)
from salestrain.core.funnel.montecarlo import CHUNK_CELLS  # noqa: E402
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


def draws_floor(n_deals: int, trials: int, kinds: tuple[str, ...]):
    """The bare draws of one ``simulate`` path: per chunk of its shape, one float32
    buffer per kind ("uniform", "normal": a cell each; "factor": one normal per row)."""
    rows = max(1, min(trials, CHUNK_CELLS // n_deals))
    bufs = {k: np.empty((rows, n_deals), dtype=np.float32) for k in kinds if k != "factor"}
    rng = np.random.default_rng(11)

    def run() -> None:
        for start in range(0, trials, rows):
            m = min(rows, trials - start)
            for kind in kinds:
                if kind == "uniform":
                    rng.random(out=bufs[kind][:m], dtype=np.float32)
                elif kind == "normal":
                    rng.standard_normal(out=bufs[kind][:m], dtype=np.float32)
                else:
                    rng.standard_normal(m)
    return run


def report(name: str, measured: str, goal: str, ok: bool, floor: str) -> bool:
    print(f"target {name}: {measured} (goal {goal}) {'PASS' if ok else 'FAIL'}; floor: {floor}",
          flush=True)
    return ok


def bare_figure(fc, figsize) -> bytes:
    """The app's figure drawn the bare way: a new matplotlib Figure, the same two
    step histograms, two lines, labels and title, saved as PNG like the app does."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax = fig.add_subplot()
    edges, probs = fc.revenue.histogram(bins=60)
    centres = (edges[:-1] + edges[1:]) / 2
    ax.stairs(probs, edges, fill=True, alpha=0.6)
    ax.stairs(np.where(centres >= fc.target, probs, 0.0), edges, fill=True, alpha=0.8)
    ax.axvline(fc.target, linewidth=2)
    ax.axvline(fc.weighted.mean, linestyle="--")
    ax.set_xlabel("won revenue")
    ax.set_ylabel("probability")
    ax.set_title(f"{fc.weighted.deals} deals: chance of hitting target {fc.p_hit:.0%}")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def app_latencies(n_deals: int, changes: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Wall times of a slider change in the app and of its floor (the same forecast
    by the core call plus the same figure drawn bare), interleaved."""
    from salestrain.apps.funnel import ForecastApp
    from salestrain.core.funnel import forecast, probabilities

    table = synthetic_pipeline(n_deals, seed=3)
    table["expected_close"] = "2026-12-15"  # all in one month: the app forecasts all of them
    app = ForecastApp(validate_pipeline(table))
    slider = app.controls["proposal"]
    figsize = tuple(app.plot.figure.get_size_inches())
    values = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65]
    target = app.controls["target"].value
    app_wall, floor_wall = [], []
    for i in range(changes):
        value = values[i % len(values)] if values[i % len(values)] != slider.value else 0.7
        before = app.plot.image.value
        start = time.perf_counter()
        slider.value = value
        app_wall.append(time.perf_counter() - start)
        assert app.plot.image.value != before and app.error is None
        start = time.perf_counter()
        stages = app.stages.with_probabilities({"proposal": value})
        deals = app.pipeline
        fc = forecast(deals["amount"].to_numpy(float), probabilities(deals, stages), target,
                      trials=4000, seed=0)
        bare_figure(fc, figsize)
        floor_wall.append(time.perf_counter() - start)
    return np.array(app_wall), np.array(floor_wall), float(os.getloadavg()[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=10_000)
    ap.add_argument("--trials", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--app-deals", type=int, default=1_000)
    ap.add_argument("--app-changes", type=int, default=30)
    args = ap.parse_args()
    n, trials, reps = args.deals, args.trials, args.repeats

    table = validate_pipeline(synthetic_pipeline(n, seed=1))
    amounts = table["amount"].to_numpy(float)
    probs = table["probability"].to_numpy(float)
    days_left = np.random.default_rng(5).integers(-3, 30, n).astype(float)
    cells = f"{n:,} deals x {trials:,} trials"
    ok = True

    # Monte Carlo, one target per path simulate() takes; floors make the same draws.
    paths = [
        ("independent", {}, ("uniform",),
         "float32 uniforms, one per cell"),
        ("correlated market factor (rho 0.3)", {"correlation": 0.3}, ("normal", "factor"),
         "float32 standard normals, one per cell, + one normal per trial"),
        ("uncertain amounts (cv 0.3)", {"amount_cv": 0.3}, ("uniform", "normal"),
         "float32 uniforms and float32 standard normals, one each per cell"),
        ("slippage (mean 10 days)", {"days_left": days_left, "mean_slip_days": 10.0},
         ("uniform",), "float32 uniforms, one per cell (slippage folds into p)"),
    ]
    for name, kwargs, kinds, floor_text in paths:
        floor = draws_floor(n, trials, kinds)
        f_cpu, f_wall, mc_cpu, mc_wall, _ = versus_floor(
            reps, floor, lambda kw=kwargs: simulate(amounts, probs, trials, seed=7,
                                                    count_won=False, **kw))
        ratio = mc_cpu / f_cpu
        ok &= report(f"Monte Carlo {name}, {cells}, revenue: time / floor",
                     f"{ratio:.2f}x ({mc_cpu:.3f} s CPU vs {f_cpu:.3f} s; wall {mc_wall / f_wall:.2f}x)",
                     "<= 1.5x", ratio <= 1.5, f"{floor_text}, same chunks and generator")

    tracemalloc.start()
    simulate(amounts, probs, trials, seed=7, correlation=0.3, amount_cv=0.3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ok &= report("Monte Carlo peak memory (correlated + uncertain amounts)",
                 f"{peak / MIB:.1f} MiB", "< 16 MiB", peak < 16 * MIB,
                 "none (absolute; the trials' results alone are "
                 f"{2 * trials * 8 / MIB:.1f} MiB)")

    # The exact methods against the cheapest Monte Carlo: its bare draws alone.
    floor = draws_floor(n, trials, ("uniform",))
    floor_text = f"the {n * trials:,} float32 uniform draws of a {trials:,}-trial Monte Carlo"
    f_cpu, f_wall, c_cpu, c_wall, _ = versus_floor(reps, floor, lambda: poisson_binomial_pmf(probs))
    ratio = c_cpu / f_cpu
    ok &= report(f"exact won-count distribution, {n:,} deals: time / floor",
                 f"{ratio:.3f}x ({c_cpu * 1000:.1f} ms CPU; wall {c_wall / f_wall:.3f}x)",
                 "<= 0.05x", ratio <= 0.05, floor_text)

    f_cpu, f_wall, r_cpu, r_wall, dist = versus_floor(reps, floor,
                                                      lambda: revenue_distribution(amounts, probs))
    ratio = r_cpu / f_cpu
    ok &= report(f"exact revenue distribution, {n:,} deals: time / floor",
                 f"{ratio:.2f}x ({r_cpu:.3f} s CPU; wall {r_wall / f_wall:.2f}x; lattice "
                 f"{dist.bin_width:,.0f} = the amounts' unit, {dist.pmf.size:,} points, "
                 f"exact: {'yes' if dist.exact_lattice else 'NO'})",
                 "<= 1x and exact", ratio <= 1.0 and dist.exact_lattice, floor_text)

    # Exact against Monte Carlo in standard errors of the Monte Carlo estimate, at the
    # exact P10/P50/P90 and with slippage (where the exact answer thins p).
    sim = simulate(amounts, probs, trials, seed=7)
    slip = simulate(amounts, probs, trials, seed=8, days_left=days_left, mean_slip_days=10.0)
    slip_exact = revenue_distribution(amounts, probs * slip_probability(days_left, 10.0))
    worst, parts = 0.0, []
    for label, exact, mc in (("independent", dist, sim), ("slippage", slip_exact, slip)):
        for q in (0.1, 0.5, 0.9):
            target = exact.quantile(q)
            p = exact.p_at_least(target)
            se = np.sqrt(p * (1 - p) / trials)
            z = abs(mc.p_at_least(target) - p) / se
            worst = max(worst, z)
            parts.append(f"{label} P(R >= P{int(q * 100)}) {p:.4f} vs {mc.p_at_least(target):.4f}")
    ok &= report("exact vs Monte Carlo, |P_exact - P_mc| / se", f"{worst:.2f} se ({'; '.join(parts)})",
                 "<= 4 se", worst <= 4,
                 f"se = sqrt(P (1 - P) / {trials:,}), the Monte Carlo's own standard error")

    app_wall, floor_wall, load = app_latencies(args.app_deals, args.app_changes)
    a95, f95 = np.percentile(app_wall, 95) * 1000, np.percentile(floor_wall, 95) * 1000
    ratio = a95 / f95
    ok &= report(f"app update (slider -> result + figure), {args.app_deals:,} deals, p95 / floor p95",
                 f"{ratio:.2f}x ({a95:.0f} ms vs {f95:.0f} ms; p50 {np.median(app_wall) * 1000:.0f}"
                 f" ms; {app_wall.size} changes; load average {load:.1f} on {os.cpu_count()} cores)",
                 "<= 1.5x", ratio <= 1.5,
                 "the same forecast() call plus the same figure drawn bare with matplotlib "
                 "(new Figure, stairs, lines, title, PNG), interleaved with the app's changes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
