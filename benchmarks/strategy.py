"""Market simulation speed (issue 19): one quarter of 8 teams in a 200-account territory,
and the ``market`` app's answer to a learner in the kernel.

    python benchmarks/strategy.py

target quarter-8x200: the median time of one ``Market.play`` (8 bot decisions included)
against the goal of 50 ms, and beside it the ratio to a floor: the bare numpy work of a
quarter of the same shape (8 x 200 log-normal draws, an exp, a column softmax and a
row sum), measured in the same run.

target market-app-update: the p95 of the app's recompute + show after a decision change
(one slider moved, in a solo game two quarters in), goal <= 100 ms. Floor: the same
decision built bare (a ``Decision`` from the slider values) and its plan line formatted
once with the catalog and the money formatter.

target market-app-play: the p95 of committing a plan in the app (the quarter played, the
leaderboard, the reveal and the share figure redrawn and encoded), goal <= 100 ms.
Floor: the bare core quarter (``Game.play_quarter`` with the same plans) plus one PNG
encoding of the same share figure drawn bare (lines and legend made afresh, one savefig).
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
APP_REPEATS = 60


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
    ok_update = app_update()
    ok_play = app_play()
    return 0 if ok and ok_update and ok_play else 1


def p95(samples: list[float]) -> float:
    return float(np.percentile(samples, 95))


def report(name: str, samples: list[float], floor: list[float], what: str) -> bool:
    measured, bare = p95(samples), p95(floor)
    ok = measured <= 0.100
    print(f"target {name}: p95 {measured * 1000:.1f} ms (goal <= 100 ms) {'PASS' if ok else 'FAIL'}"
          f"  [{measured / bare:.1f}x the floor: {what}, p95 {bare * 1000:.2f} ms, same run; "
          f"p50 {statistics.median(samples) * 1000:.1f} ms]")
    return ok


def app_update() -> bool:
    from salestrain.apps.strategy import market_app
    from salestrain.base.formats import format_money, format_number
    from salestrain.base.i18n import t
    from salestrain.core.strategy.market import HOUR_COST, Decision

    app = market_app()
    app.commit()
    app.commit()
    slider = app.controls["hours_healthcare"]
    low, high = slider.value - 50, slider.value
    samples = []
    for k in range(APP_REPEATS):
        start = time.perf_counter()
        slider.value = low if k % 2 == 0 else high  # observer: compute + show, in the kernel
        samples.append(time.perf_counter() - start)
    params = app.params()
    names = app.setup.segment_names

    def bare() -> None:
        d = Decision(hours={n: float(params[f"hours_{n}"]) for n in names},
                     budget={n: params[f"budget_{n}"] * 1000.0 for n in names},
                     price=params["price"], service=float(params["service"]), stance=params["stance"])
        hours, budget = sum(d.hours.values()), sum(d.budget.values())
        t("strategy.app.plan", hours=format_number(hours), capacity=format_number(1200),
          budget=format_money(budget), budget_capacity=format_money(60_000),
          cost=format_money(hours * HOUR_COST + budget))

    floor = []
    for _ in range(APP_REPEATS):
        start = time.perf_counter()
        bare()
        floor.append(time.perf_counter() - start)
    return report("market-app-update", samples, floor, "the Decision built bare + its plan line formatted")


def app_play() -> bool:
    from salestrain.apps.strategy import market_app
    from salestrain.core.strategy.game import Game
    from salestrain.plots.strategy import SharePlot
    from salestrain.plots.style import new_figure, to_png

    app = market_app()
    samples = []
    while len(samples) < APP_REPEATS:
        app.restart()
        for _ in range(app.setup.quarters):
            start = time.perf_counter()
            app.commit()  # the quarter, the leaderboard, the reveal, the figure: in the kernel
            samples.append(time.perf_counter() - start)
    floor = []
    plan = app.result.draft
    while len(floor) < APP_REPEATS:
        game = Game(app.setup)
        for _ in range(app.setup.quarters):
            start = time.perf_counter()
            game.pending["you"] = plan
            game.play_quarter()
            fig = new_figure(6.9, 3.0)
            SharePlot(fig, app.setup.all_teams, app.setup.quarters).update(game.share_by_quarter(), "you")
            to_png(fig)
            floor.append(time.perf_counter() - start)
    return report("market-app-play", samples, floor,
                  "the bare core quarter + one savefig of the same share figure drawn afresh")


if __name__ == "__main__":
    sys.exit(main())
