"""Coaching benchmarks: app response, team scale, mentorship-record round trip.

Run: ``python benchmarks/coaching.py``; prints one line per target, measured in this run,
with its floor: the app targets divide by the same core call plus the same figure drawn
bare with matplotlib (not by another app of the project).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from salestrain.apps.coaching import assess_app, team_app  # noqa: E402
from salestrain.core.coaching import initials as core_initials  # noqa: E402
from salestrain.core.coaching import team_tracks  # noqa: E402
from salestrain.io.coaching.files import sample_instrument  # noqa: E402
from salestrain.io.coaching.mentorship import MentorshipRecord  # noqa: E402


def report(name: str, measured: float, goal: float, unit: str, floor: str) -> None:
    status = "PASS" if measured <= goal else "FAIL"
    digits = 2 if unit in ("s", "x") else 0
    print(f"target {name}: {measured:.{digits}f} {unit} (goal <= {goal:g} {unit}) {status}; "
          f"floor: {floor}", flush=True)


def p95(samples: list[float]) -> float:
    return float(np.percentile(samples, 95))


def synthetic_team(n_reps: int, n_dates: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    items = sample_instrument().item_ids
    rows = []
    for r in range(n_reps):
        for d in range(n_dates):
            for rater in ("self", "manager"):
                rows.append({"rep": f"Rep {r:04d}", "date": f"2026-{d + 1:02d}-28", "rater": rater,
                             **{i: int(rng.integers(1, 6)) for i in items}})
    return pd.DataFrame(rows)


def bare_matrix(figsize, lo: float, hi: float, cx: float, cy: float) -> tuple:
    """The capability x willingness matrix drawn the bare way: a new matplotlib Figure,
    four shaded quadrants with their names, the two threshold lines, labels."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for x0, y0, x1, y1 in ((lo, lo, cx, cy), (lo, cy, cx, hi), (cx, lo, hi, cy), (cx, cy, hi, hi)):
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, color="#eeeeee", zorder=0))
        ax.text((x0 + x1) / 2, y1 - 0.04 * (hi - lo), "style", ha="center", va="top", fontsize=11)
    ax.axvline(cx, color="#777777", linewidth=1)
    ax.axhline(cy, color="#777777", linewidth=1)
    ax.set_xlim(lo - 0.2, hi + 0.2)
    ax.set_ylim(lo - 0.2, hi + 0.2)
    ax.set_xlabel("capability")
    ax.set_ylabel("willingness")
    ax.set_title("capability x willingness")
    return fig, ax


def png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def main() -> None:
    # 1. One control change -> new advice and a new PNG, in the kernel (what a person
    # waits for). The floor of each change is the same core call plus the same figure
    # drawn bare with matplotlib (new Figure every time), measured interleaved with the
    # app's changes so both see the same machine load.
    inst = sample_instrument()
    lo, hi = inst.scale_min, inst.scale_max

    def compare(app, name, values, floor, n=30):
        app_ms, floor_ms = [], []
        for k in range(n):
            start = time.perf_counter()
            app.controls[name].value = values[k % len(values)]
            app_ms.append((time.perf_counter() - start) * 1000)
            params = app.params()
            start = time.perf_counter()
            floor(params)
            floor_ms.append((time.perf_counter() - start) * 1000)
        return p95(app_ms), p95(floor_ms), statistics.median(app_ms)

    assess = assess_app()
    size = tuple(assess.plot.figure.get_size_inches())

    def assess_floor(params):
        result = assess.compute(**params)  # the app's compute is the core.advise call
        th, a = result.thresholds, result.assessment
        fig, ax = bare_matrix(size, lo, hi, th.capability, th.willingness)
        ax.plot([a.capability.self], [a.willingness.self], "o", markersize=11, label="self")
        ax.plot([a.capability.manager], [a.willingness.manager], "o", markersize=11, label="manager")
        ax.annotate("", xy=(a.capability.manager, a.willingness.manager),
                    xytext=(a.capability.self, a.willingness.self), arrowprops={"arrowstyle": "->"})
        ax.legend(loc="lower right")
        png(fig)

    team = team_app()
    team_size = tuple(team.plot.figure.get_size_inches())

    def team_floor(params):
        result = team.compute(**params)  # the app's compute is the core.team_tracks call
        th = result.selected.advice.thresholds
        fig, ax = bare_matrix(team_size, lo, hi, th.capability, th.willingness)
        for rep, track in result.tracks.items():
            for (x0, y0), (x1, y1) in zip(track.positions, track.positions[1:], strict=False):
                ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={"arrowstyle": "-|>"})
            x, y = track.positions[-1]
            ax.scatter([x], [y], s=180, zorder=3)
            ax.text(x, y, core_initials(rep), ha="center", va="center", fontsize=8)
        png(fig)

    floor_text = ("the same core call plus the same figure drawn bare with matplotlib "
                  "(new Figure, quadrants, lines, points, PNG), interleaved")
    a95, f95, a50 = compare(assess, "mgr_discovery", [1, 2, 3, 4, 5], assess_floor)
    report("assess_slider_p95_vs_bare_figure", a95 / f95, 1.5, "x",
           f"{floor_text}; app p95 {a95:.0f} ms (median {a50:.0f}), floor p95 {f95:.0f} ms")
    t95, g95, t50 = compare(team, "rep", team.reps, team_floor, n=18)
    report("team_pick_p95_vs_bare_figure", t95 / g95, 1.5, "x",
           f"{floor_text}; app p95 {t95:.0f} ms (median {t50:.0f}), floor p95 {g95:.0f} ms")

    # 2. A large workshop's team: 200 reps x 4 quarters, self and manager.
    table = synthetic_team(200, 4)
    start = time.perf_counter()
    from salestrain.core.coaching import check_assessment_table
    tracks = team_tracks(check_assessment_table(table, inst), inst)
    elapsed = time.perf_counter() - start
    assert len(tracks) == 200
    report("team_tracks_200x4", elapsed, 5.0, "s", "none (absolute time for a 200-rep workshop)")

    # 3. Mentorship record: import, reopen, export, re-import the 1600-row CSV.
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table.to_csv(folder / "in.csv", index=False)
        start = time.perf_counter()
        rec = MentorshipRecord(folder / "a.sqlite", inst)
        rec.import_csv(folder / "in.csv")
        rec.export_csv(folder / "out.csv")
        again = MentorshipRecord(folder / "b.sqlite", inst)
        again.import_csv(folder / "out.csv")
        same = rec.assessments().equals(again.assessments())
        elapsed = time.perf_counter() - start
    assert same, "round trip changed the data"
    report("record_round_trip_1600_rows", elapsed, 10.0, "s",
           "none (absolute time: import, export, re-import, compare)")


if __name__ == "__main__":
    main()
