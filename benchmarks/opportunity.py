"""Opportunity view speed (issue 19): the projector's update after a control change.

    python benchmarks/opportunity.py

target opportunity-app-update: the p95 of one control change in the kernel (recompute
through the core + show: both figures' PNGs when they change, the problems and the
actions), over filter changes and what-if moves alternated, against the goal of 100 ms.
Beside it, the ratio to a floor measured in the same run: the bare work any frame must do,
encoding the two 630x290 PNGs the app shows (Pillow, same compression), with no
computing and no drawing.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image  # noqa: E402

from salestrain.apps.opportunity import opportunity_app  # noqa: E402

REPEATS = 40


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> int:
    app = opportunity_app()
    changes = [("threshold", 0.3), ("value", "A"), ("deal", "P11"), ("move_stage", "proposal"),
               ("move_level", "ahead"), ("amount", "large"), ("move_level", "behind"),
               ("threshold", 0.0), ("value", "all"), ("move_stage", ""), ("deal", ""), ("amount", "all")]
    update = []
    for k in range(REPEATS):
        name, value = changes[k % len(changes)]
        start = time.perf_counter()
        app.controls[name].value = value
        update.append(time.perf_counter() - start)

    frames = [Image.open(io.BytesIO(view.image.value)).convert("RGBA")
              for view in (app.matrix_view, app.funnel_view)]

    def floor() -> None:
        for frame in frames:
            frame.save(io.BytesIO(), format="png", compress_level=1)

    bare = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        floor()
        bare.append(time.perf_counter() - start)
    t_update, t_floor = p95(update), p95(bare)
    ok = t_update <= 0.100
    print(f"target opportunity-app-update: p95 {t_update * 1000:.1f} ms (goal <= 100 ms) {'PASS' if ok else 'FAIL'}"
          f"  [p50 {statistics.median(update) * 1000:.1f} ms; {t_update / t_floor:.1f}x the floor: encoding "
          f"the app's two PNGs alone, p95 {t_floor * 1000:.1f} ms, same run]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
