"""Aggregating item scores into capability and willingness, with the self-manager gap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.core.coaching.instrument import DIMENSIONS, Dimension, Instrument

View = Literal["manager", "self", "blend"]
# A gap of a full scale point between how reps see themselves and how their manager
# sees them is the usual cue for a conversation about evidence, not about scores.
GAP_FLAG = 1.0


@dataclass(frozen=True)
class DimensionScore:
    self: float | None
    manager: float | None

    @property
    def gap(self) -> float | None:
        """Self minus manager: positive when the rep rates themselves higher."""
        if self.self is None or self.manager is None:
            return None
        return self.self - self.manager

    def placed(self, view: View) -> float:
        """The score used to place the rep, with a stated fallback.

        ``manager`` (default) falls back to self when the manager has not scored yet;
        ``self`` the reverse; ``blend`` is the mean of what exists.
        """
        own, boss = self.self, self.manager
        if view == "blend":
            present = [v for v in (own, boss) if v is not None]
            return sum(present) / len(present)
        first, second = (boss, own) if view == "manager" else (own, boss)
        return first if first is not None else second  # type: ignore[return-value]


@dataclass(frozen=True)
class Assessment:
    """One rep's aggregated scores."""

    capability: DimensionScore
    willingness: DimensionScore
    items: dict[str, tuple[float | None, float | None]]  # item -> (self, manager)

    def score(self, dimension: Dimension, view: View = "manager") -> float:
        return getattr(self, dimension).placed(view)

    def item_gaps(self) -> dict[str, float]:
        return {k: s - m for k, (s, m) in self.items.items() if s is not None and m is not None}

    def large_gaps(self, flag: float = GAP_FLAG) -> dict[str, float]:
        """Items where self and manager differ by at least ``flag`` points."""
        return {k: g for k, g in self.item_gaps().items() if abs(g) >= flag}


def _weighted(instrument: Instrument, dimension: Dimension, scores: Mapping[str, float]) -> float | None:
    items = instrument.items_of(dimension)
    total = sum(i.weight for i in items if i.id in scores)
    if total == 0:
        return None
    return sum(i.weight * scores[i.id] for i in items if i.id in scores) / total


def check_scores(instrument: Instrument, scores: Mapping[str, float], rater: str) -> None:
    problems = []
    for key, value in scores.items():
        if key not in instrument.item_ids:
            problems.append(Problem(rater, None, key, t(
                "coaching.error.unknown_item", item=key, items=", ".join(instrument.item_ids))))
        elif not instrument.scale_min <= value <= instrument.scale_max:
            problems.append(Problem(rater, None, key, t(
                "coaching.error.score_outside", value=value, lo=f"{instrument.scale_min:g}",
                hi=f"{instrument.scale_max:g}")))
    if problems:
        raise DataError(t("coaching.error.scores_unusable"), problems)


def aggregate(
    instrument: Instrument,
    self_scores: Mapping[str, float] | None = None,
    manager_scores: Mapping[str, float] | None = None,
) -> Assessment:
    """Weighted means per dimension from either or both raters.

    Missing items are left out of the mean (their weight is not counted), so a
    half-filled form still places the rep; a dimension nobody scored is an error.
    """
    own = dict(self_scores or {})
    boss = dict(manager_scores or {})
    check_scores(instrument, own, "self")
    check_scores(instrument, boss, "manager")
    dims = {}
    for dim in DIMENSIONS:
        score = DimensionScore(_weighted(instrument, dim, own), _weighted(instrument, dim, boss))
        if score.self is None and score.manager is None:
            raise DataError(t("coaching.error.no_dimension_scored",
                              dimension=t(f"coaching.error.dimension.{dim}"),
                              items=", ".join(i.id for i in instrument.items_of(dim))))
        dims[dim] = score
    items = {i.id: (own.get(i.id), boss.get(i.id)) for i in instrument.items
             if i.id in own or i.id in boss}
    return Assessment(dims["capability"], dims["willingness"], items)
