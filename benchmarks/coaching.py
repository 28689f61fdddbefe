"""Coaching benchmarks: app response, team scale, mentorship-record round trip.

Run: ``python benchmarks/coaching.py``; prints one line per target, measured in this run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from salestrain.apps.coaching import assess_app, team_app  # noqa: E402
from salestrain.core.coaching import team_tracks  # noqa: E402
from salestrain.io.coaching.files import sample_instrument  # noqa: E402
from salestrain.io.coaching.mentorship import MentorshipRecord  # noqa: E402


def report(name: str, measured: float, goal: float, unit: str) -> None:
    status = "PASS" if measured <= goal else "FAIL"
    digits = 2 if unit in ("s", "x") else 0
    print(f"target {name}: {measured:.{digits}f} {unit} (goal <= {goal:g} {unit}) {status}")


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


def main() -> None:
    # 1. One slider change -> new quadrant and a new PNG, in the kernel (what a person
    # waits for). Absolute times depend on how busy the machine is, so the target is the
    # ratio to the foundation's start-here app measured in the same run.
    from salestrain.apps.start import start_here_app

    def slider_p95(app, name, values, n=30):
        times = []
        for k in range(n):
            start = time.perf_counter()
            app.controls[name].value = values[k % len(values)]
            times.append((time.perf_counter() - start) * 1000)
        return p95(times), statistics.median(times)

    base, base_med = slider_p95(start_here_app(), "deals", [8, 9, 10, 11, 12])
    assess, assess_med = slider_p95(assess_app(), "mgr_discovery", [1, 2, 3, 4, 5])
    team = team_app()
    pick, pick_med = slider_p95(team, "rep", team.reps, n=18)
    print(f"(p95 / median ms: start-here {base:.0f}/{base_med:.0f}, assess {assess:.0f}/"
          f"{assess_med:.0f}, team pick {pick:.0f}/{pick_med:.0f})")
    report("assess_slider_p95_vs_start_here", assess / base, 1.5, "x")
    report("team_pick_p95_vs_start_here", pick / base, 2.5, "x")

    # 2. A large workshop's team: 200 reps x 4 quarters, self and manager.
    inst = sample_instrument()
    table = synthetic_team(200, 4)
    start = time.perf_counter()
    from salestrain.core.coaching import check_assessment_table
    tracks = team_tracks(check_assessment_table(table, inst), inst)
    elapsed = time.perf_counter() - start
    assert len(tracks) == 200
    report("team_tracks_200x4", elapsed, 5.0, "s")

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
    report("record_round_trip_1600_rows", elapsed, 10.0, "s")


if __name__ == "__main__":
    main()
