"""Pre- and post-check statistics: what a trainer reads to see learning and to fix items.

Pure functions over a score table (one row per learner and item, the share of the item's
points earned, 0-1). Definitions, as classical test theory gives them:

- **normalised gain** (Hake): ``(post - pre) / (1 - pre)`` on shares of the maximum, the
  part of what a learner could still gain that they did gain; undefined (None) for a
  learner who already had everything on the pre-check;
- **difficulty** of an item: the mean share earned on it (high = easy);
- **discrimination**: the point-biserial correlation between the item's score and the
  rest of the check (the total *without* that item, so an item does not correlate with
  itself); an item below :data:`LOW_DISCRIMINATION`, or one nobody or everybody got, does
  not tell strong learners from weak ones and is flagged for the trainer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LOW_DISCRIMINATION = 0.2  # a common rule of thumb for classroom tests


def normalised_gain(pre: float, post: float) -> float | None:
    """Hake's gain from pre and post shares (0-1); None when pre is already 1."""
    for value in (pre, post):
        if not 0.0 <= value <= 1.0 or math.isnan(value):
            raise ValueError(f"a share must be between 0 and 1, not {value!r}")
    if pre >= 1.0:
        return None
    return (post - pre) / (1.0 - pre)


def point_biserial(item: Sequence[float], rest: Sequence[float]) -> float | None:
    """Pearson correlation of an item's scores with the rest scores (None: no variation)."""
    n = len(item)
    if n != len(rest):
        raise ValueError("one item score and one rest score per learner")
    if n < 2:
        return None
    mi, mr = sum(item) / n, sum(rest) / n
    cov = sum((a - mi) * (b - mr) for a, b in zip(item, rest, strict=True))
    vi = sum((a - mi) ** 2 for a in item)
    vr = sum((b - mr) ** 2 for b in rest)
    if vi <= 1e-12 or vr <= 1e-12:
        return None
    return max(-1.0, min(1.0, cov / math.sqrt(vi * vr)))


@dataclass(frozen=True)
class ItemReport:
    item: str
    learners: int
    difficulty: float  # mean share earned
    discrimination: float | None
    flagged: bool  # does not tell strong learners from weak ones

    @property
    def reason(self) -> str:
        """A code for why it is flagged (the report words it): "" when it is not."""
        if not self.flagged:
            return ""
        if self.discrimination is None:
            return "no_variation"
        return "negative" if self.discrimination < 0 else "low"


def item_reports(scores: Mapping[str, Mapping[str, float]], weights: Mapping[str, float] | None = None,
                 threshold: float = LOW_DISCRIMINATION) -> list[ItemReport]:
    """One report per item from ``{learner: {item: share}}`` (a missing item counts 0).

    ``weights`` are the items' points (default 1 each): the rest score is the weighted sum
    of the learner's other items, as their check total is.
    """
    items = sorted({i for row in scores.values() for i in row} | set(weights or {}))
    weights = {i: float((weights or {}).get(i, 1.0)) for i in items}
    learners = sorted(scores)
    reports = []
    for item in items:
        own = [float(scores[name].get(item, 0.0)) for name in learners]
        rest = [sum(weights[o] * float(scores[name].get(o, 0.0)) for o in items if o != item)
                for name in learners]
        r = point_biserial(own, rest)
        difficulty = sum(own) / len(own) if own else 0.0
        reports.append(ItemReport(item, len(own), difficulty, r, r is None or r < threshold))
    return reports


@dataclass(frozen=True)
class Gain:
    learner: str
    pre: float | None  # share of the pre-check's points
    post: float | None
    gain: float | None  # normalised; None without both checks, or with a perfect pre


def gains(pre: Mapping[str, float], post: Mapping[str, float]) -> list[Gain]:
    """Each learner's pre, post and normalised gain (shares 0-1), sorted by learner."""
    found = []
    for name in sorted(set(pre) | set(post)):
        a, b = pre.get(name), post.get(name)
        found.append(Gain(name, a, b, normalised_gain(a, b) if a is not None and b is not None else None))
    return found


def cohort_gain(pre: Mapping[str, float], post: Mapping[str, float]) -> float | None:
    """The class's gain from its mean pre and mean post (Hake's "average normalised
    gain"), over learners who took both checks."""
    both = sorted(set(pre) & set(post))
    if not both:
        return None
    mean_pre = sum(pre[n] for n in both) / len(both)
    mean_post = sum(post[n] for n in both) / len(both)
    return normalised_gain(mean_pre, mean_post)
