"""One call from scores to advice: placement, style, training decision, weakest stage.

This is what the assess app, the team view and the exercises all use, so a learner
who computes by hand and the app always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from salestrain.core.coaching.assessment import GAP_FLAG, Assessment, View, aggregate
from salestrain.core.coaching.instrument import Instrument, Thresholds
from salestrain.core.coaching.matrix import Placement, StylePlan, place, style_plan
from salestrain.core.coaching.stages import StageDiagnosis, stages_from_assessment
from salestrain.core.coaching.table import assessments_from_table


@dataclass(frozen=True)
class Advice:
    assessment: Assessment
    placement: Placement
    plan: StylePlan
    stages: StageDiagnosis
    thresholds: Thresholds
    view: View

    @property
    def style(self) -> str:
        return self.placement.style

    def large_gaps(self, flag: float = GAP_FLAG) -> dict[str, float]:
        return self.assessment.large_gaps(flag)


def advise_assessment(instrument: Instrument, assessment: Assessment,
                      thresholds: Thresholds | None = None, view: View = "manager") -> Advice:
    th = thresholds or instrument.thresholds
    placement = place(assessment, th, view)
    return Advice(assessment, placement, style_plan(placement.style),
                  stages_from_assessment(instrument, assessment, view), th, view)


def advise(instrument: Instrument, self_scores: Mapping[str, float] | None = None,
           manager_scores: Mapping[str, float] | None = None,
           thresholds: Thresholds | None = None, view: View = "manager") -> Advice:
    return advise_assessment(instrument, aggregate(instrument, self_scores, manager_scores),
                             thresholds, view)


@dataclass(frozen=True)
class RepTrack:
    """A rep's assessments over time and the advice from the latest one."""

    rep: str
    dates: tuple[str, ...]
    positions: tuple[tuple[float, float], ...]  # (capability, willingness) per date
    styles: tuple[str, ...]
    advice: Advice

    @property
    def moved(self) -> bool:
        return len(set(self.styles)) > 1


def team_tracks(table: pd.DataFrame, instrument: Instrument, thresholds: Thresholds | None = None,
                view: View = "manager") -> dict[str, RepTrack]:
    """Every rep's path across the matrix; ``table`` is a checked assessment table."""
    th = thresholds or instrument.thresholds
    by_rep: dict[str, list] = {}
    for dated in assessments_from_table(table, instrument):
        by_rep.setdefault(dated.rep, []).append(dated)
    tracks = {}
    for rep, rows in by_rep.items():
        advices = [advise_assessment(instrument, d.assessment, th, view) for d in rows]
        tracks[rep] = RepTrack(
            rep, tuple(d.date for d in rows),
            tuple((a.placement.capability, a.placement.willingness) for a in advices),
            tuple(a.style for a in advices), advices[-1])
    return tracks
