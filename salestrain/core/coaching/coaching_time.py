"""How a manager's coaching hours split across the team by style (capability x willingness).

Situational leadership (Hersey and Blanchard) describes each style by two behaviours of the
leader: *directive* (telling what, how and when; checking) and *supportive* (listening,
encouraging, involving). S1 direct is high directive and low supportive, S2 guide high on
both, S3 excite low directive and high supportive, S4 delegate low on both. The public
framework gives no hours; ours count a high behaviour as two units of a manager's contact
time and a low one as one, so a guide rep takes twice the time of a delegate rep. A trainer
can pass other weights. The point it teaches is the framework's: the eager beginner being
taught (S2), not the weakest rep, is where a manager's week goes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.core.coaching.matrix import STYLES

# (directive, supportive) per style: 2 = high, 1 = low.
BEHAVIOUR: dict[str, tuple[int, int]] = {
    "direct": (2, 1), "guide": (2, 2), "excite": (1, 2), "delegate": (1, 1)}
# Relative coaching time per rep: directive + supportive.
STYLE_TIME: dict[str, float] = {style: float(sum(b)) for style, b in BEHAVIOUR.items()}


@dataclass(frozen=True)
class CoachingTime:
    """A week's coaching hours per rep and per style (every style listed, 0 when empty)."""

    hours: float
    per_rep: dict[str, float]
    per_style: dict[str, float]
    reps_per_style: dict[str, tuple[str, ...]]

    def hours_per_rep(self, style: str) -> float:
        """What one rep in ``style`` gets (0 for a style with nobody in it)."""
        reps = self.reps_per_style[style]
        return self.per_style[style] / len(reps) if reps else 0.0

    @property
    def most_per_rep(self) -> str:
        """The style whose reps each get the most time (among styles with reps)."""
        return max((s for s in STYLES if self.reps_per_style[s]), key=self.hours_per_rep)


def coaching_time(styles: Mapping[str, str], hours: float,
                  weights: Mapping[str, float] | None = None) -> CoachingTime:
    """Split ``hours`` of coaching over the reps in ``styles`` (rep -> style) by each style's
    weight (``STYLE_TIME`` unless given); the hours always add back up to ``hours``."""
    w = dict(STYLE_TIME if weights is None else weights)
    if not (isinstance(hours, int | float) and math.isfinite(hours) and hours > 0):
        raise DataError(t("coaching.error.coaching_hours", value=repr(hours)))
    for style in STYLES:
        weight = w.get(style)
        if weight is None or not math.isfinite(weight) or weight <= 0:
            raise DataError(t("coaching.error.style_weight", style=style, value=repr(weight)))
    for rep, style in styles.items():
        if style not in STYLES:
            raise DataError(t("coaching.error.unknown_style", rep=rep, value=repr(style),
                              styles=", ".join(STYLES)))
    total = sum(w[s] for s in styles.values())
    per_rep = {rep: hours * w[s] / total for rep, s in styles.items()} if total else {}
    members = {s: tuple(r for r, rs in styles.items() if rs == s) for s in STYLES}
    per_style = {s: sum(per_rep[r] for r in members[s]) for s in STYLES}
    return CoachingTime(float(hours), per_rep, per_style, members)
