"""Objection-handling benchmarks: app response, validation and path search times.

Run: ``python benchmarks/objections.py``. Prints one line per target:
``target NAME: MEASURED (goal GOAL) PASS|FAIL``. Under a minute on 2 cores.
"""

from __future__ import annotations

import statistics
import time

from salestrain.apps.objections import ObjectionApp
from salestrain.core.objections import best_path, win_rate
from salestrain.io.content import validate_path
from salestrain.io.objections.scenarios import DATA_DIR, load_all


def report(name: str, measured: float, goal: float, unit: str, lower_is_better: bool = True) -> None:
    ok = measured <= goal if lower_is_better else measured >= goal
    sign = "<=" if lower_is_better else ">="
    print(f"target {name}: {measured:.3g}{unit} (goal {sign} {goal:g}{unit}) "
          f"{'PASS' if ok else 'FAIL'}")


def click_latency_ms(clicks: int = 120) -> list[float]:
    """In-kernel time from a reply to the refreshed views (what a click costs)."""
    app = ObjectionApp(scenario="harbourline-cold-chain")
    app.best_path()  # the end screen's one-off search, cached per scenario
    times = []
    for _ in range(clicks):
        if app.conversation.finished:
            app.restart()
        start = time.perf_counter()
        app.choose(len(app.conversation.steps) % len(app.conversation.node.options))
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    times = click_latency_ms()
    report("reply_to_view_p95", statistics.quantiles(times, n=20)[18], 100, " ms")

    start = time.perf_counter()
    validate_path(DATA_DIR)
    report("validate_shipped_scenarios", (time.perf_counter() - start) * 1000, 2000, " ms")

    scenarios = load_all()
    start = time.perf_counter()
    bests = [best_path(s) for s in scenarios]
    report("best_path_all_scenarios", time.perf_counter() - start, 15, " s")

    # Ratio, measured in this run: random play's win rate against the best play's.
    random_rate = sum(win_rate(s, "random", runs=100, seed=1) for s in scenarios) / len(scenarios)
    best_rate = sum(b.ending == "won" for b in bests) / len(bests)
    report("random_to_best_win_ratio", random_rate / best_rate, 0.15, "")


if __name__ == "__main__":
    main()
