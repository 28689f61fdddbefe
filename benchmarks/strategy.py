"""Market simulation speed (issue 19): one quarter of 8 teams in a 200-account territory.

    python benchmarks/strategy.py

target quarter-8x200: the median time of one ``Market.play`` (8 bot decisions included)
against the goal of 50 ms, and beside it the ratio to a floor: the bare numpy work of a
quarter of the same shape (8 x 200 log-normal draws, an exp, a column softmax and a
row sum), measured in the same run.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from salestrain.core.strategy import bots  # noqa: E402
from salestrain.core.strategy.market import STANCES, Market, sample_territory  # noqa: E402

REPEATS = 60


def timed(fn) -> float:
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    territory = sample_territory(200, seed=0)
    teams = tuple(f"team{k}" for k in range(8))
    market = Market(territory, teams, seed=0)

    def one_quarter() -> None:
        plans = [bots.bot_decision(STANCES[k % 4], territory, 1200, 60_000, market.history,
                                   market.decisions, me=k) for k in range(8)]
        market.play(plans)

    rng = np.random.default_rng(0)

    def floor() -> None:
        noise = rng.lognormal(0.0, 0.15, size=(8, 200))
        a = np.exp(np.log(noise) - np.log(noise).max(axis=0))
        (a / a.sum(axis=0)).sum(axis=1)

    t_quarter, t_floor = timed(one_quarter), timed(floor)
    ok = t_quarter <= 0.050
    print(f"target quarter-8x200: {t_quarter * 1000:.2f} ms (goal <= 50 ms) {'PASS' if ok else 'FAIL'}"
          f"  [{t_quarter / t_floor:.0f}x the floor: bare numpy draws + softmax of the same shape, "
          f"{t_floor * 1000:.3f} ms, same run]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
