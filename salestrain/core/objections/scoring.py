"""Scoring a conversation with a rubric a trainer can read and change.

Every point shows its rule: a step earns 0..2 per rubric criterion (see
:func:`salestrain.core.objections.engine.technique_marks` for picked options, or a
mentor's marks in coach mode), weighted by the rubric; the overall score mixes the
technique share with the value of the ending reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from salestrain.core.objections.engine import CRITERIA, Transcript

MAX_MARK = 2


@dataclass(frozen=True)
class Rubric:
    weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({c: 1.0 for c in CRITERIA}))
    outcomes: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"won": 1.0, "next_step": 0.7, "stalled": 0.3, "lost": 0.0}))
    technique_share: float = 0.6

    def step_points(self, marks: Mapping[str, int]) -> float:
        return sum(self.weights[c] * marks.get(c, 0) for c in CRITERIA)

    @property
    def step_max(self) -> float:
        return sum(self.weights[c] * MAX_MARK for c in CRITERIA)


@dataclass(frozen=True)
class Score:
    step_points: tuple[float, ...]
    step_max: float
    technique: float        # 0..1, share of the technique points earned
    outcome: float          # 0..1, value of the ending
    total: float            # 0..100
    ending: str | None

    @property
    def points(self) -> float:
        return sum(self.step_points)


def score_marks(marks: list[Mapping[str, int]], ending: str | None, rubric: Rubric) -> Score:
    """Score from per-step marks (options or a mentor's marks) and the ending."""
    points = tuple(rubric.step_points(m) for m in marks)
    possible = rubric.step_max * len(points)
    technique = sum(points) / possible if possible else 0.0
    outcome = rubric.outcomes.get(ending, 0.0) if ending else 0.0
    total = 100 * (rubric.technique_share * technique + (1 - rubric.technique_share) * outcome)
    return Score(points, rubric.step_max, technique, outcome, round(total, 1), ending)


def score_transcript(transcript: Transcript, rubric: Rubric | None = None) -> Score:
    rubric = rubric or Rubric()
    return score_marks([dict(s.marks.scores) for s in transcript.steps], transcript.ending, rubric)
