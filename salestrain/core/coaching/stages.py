"""The five purchasing stages of a key account, their coaching focus, and a rep's
weakest stage, found from assessment items or from the rep's own funnel counts.

The course says key-account purchasing has five stages, each with its own coaching
focus, without naming them; we use the common public sequence (need recognition,
evaluation of options, resolution of concerns, decision, implementation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.core.coaching.assessment import Assessment, View
from salestrain.core.coaching.instrument import Instrument

STAGES: tuple[str, ...] = (
    "need_recognition",
    "evaluation_of_options",
    "resolution_of_concerns",
    "decision",
    "implementation",
)


@dataclass(frozen=True)
class StagePlan:
    stage: str
    focus: str  # catalog key
    plan: tuple[str, ...]  # catalog keys, in the order to do them


def stage_plan(stage: str) -> StagePlan:
    if stage not in STAGES:
        raise DataError(t("coaching.error.unknown_stage", stage=stage, stages=", ".join(STAGES)))
    base = f"coaching.stage.{stage}"
    return StagePlan(stage, f"{base}.focus", tuple(f"{base}.plan{n}" for n in (1, 2, 3)))


@dataclass(frozen=True)
class StageDiagnosis:
    """Per-stage scores (higher is better) and the weakest stage.

    Ties go to the earliest stage: a weakness early in the purchase starves every later
    stage, so it is the one to train first.
    """

    scores: dict[str, float]
    source: str  # "assessment" or "funnel"

    @property
    def weakest(self) -> str:
        return min(self.scores, key=lambda s: (self.scores[s], STAGES.index(s)))

    @property
    def tied(self) -> tuple[str, ...]:
        """The other stages that share the weakest score: a tie is said, not hidden."""
        low = self.scores[self.weakest]
        return tuple(s for s in STAGES if s in self.scores and s != self.weakest
                     and abs(self.scores[s] - low) < 1e-9)

    @property
    def plan(self) -> StagePlan:
        return stage_plan(self.weakest)


def stages_from_assessment(instrument: Instrument, assessment: Assessment,
                           view: View = "manager") -> StageDiagnosis:
    """Weighted mean score of the capability items tagged with each stage."""
    sums: dict[str, float] = {}
    weights: dict[str, float] = {}
    for item in instrument.items_of("capability"):
        if item.stage is None or item.id not in assessment.items:
            continue
        own, boss = assessment.items[item.id]
        pair = {"self": own, "manager": boss}
        present = [v for v in (own, boss) if v is not None]
        if view == "blend":
            value = sum(present) / len(present)
        else:
            other = "self" if view == "manager" else "manager"
            value = pair[view] if pair[view] is not None else pair[other]
        sums[item.stage] = sums.get(item.stage, 0.0) + item.weight * value
        weights[item.stage] = weights.get(item.stage, 0.0) + item.weight
    if not sums:
        raise DataError(t("coaching.error.no_stage_items"))
    return StageDiagnosis({s: sums[s] / weights[s] for s in STAGES if s in sums}, "assessment")


FUNNEL_COLUMNS = ("stage", "entered", "advanced")


def _stage_name(value: object) -> str | None:
    text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    return text if text in STAGES else None


def stage_conversion(table: pd.DataFrame, source: str = "table") -> pd.DataFrame:
    """Check a rep's stage counts and return conversion per stage, in stage order.

    ``table`` has one row per stage: ``stage`` (name as in :data:`STAGES`, case and
    spaces ignored), ``entered`` (opportunities that reached the stage) and
    ``advanced`` (those that moved on from it). Row numbers in errors count the header
    as line 1, as a spreadsheet does.
    """
    missing = [c for c in FUNNEL_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(t("coaching.error.missing_columns", source=source,
                          missing=", ".join(missing), columns=", ".join(FUNNEL_COLUMNS)))
    problems: list[Problem] = []
    rows = {}
    for pos, (_, row) in enumerate(table.iterrows()):
        line = pos + 2
        stage = _stage_name(row["stage"])
        if stage is None:
            problems.append(Problem(source, line, "stage", t(
                "coaching.error.not_a_stage", value=repr(row["stage"]), stages=", ".join(STAGES))))
            continue
        if stage in rows:
            problems.append(Problem(source, line, "stage",
                                    t("coaching.error.stage_twice", stage=stage)))
            continue
        counts = {}
        for col in ("entered", "advanced"):
            value = pd.to_numeric(pd.Series([row[col]]), errors="coerce").iloc[0]
            if pd.isna(value) or value < 0 or value != int(value):
                problems.append(Problem(source, line, col,
                                        t("coaching.error.not_a_count", value=repr(row[col]))))
            else:
                counts[col] = int(value)
        if len(counts) < 2:
            continue
        if counts["entered"] == 0:
            problems.append(Problem(source, line, "entered",
                                    t("coaching.error.none_entered", stage=stage)))
        elif counts["advanced"] > counts["entered"]:
            problems.append(Problem(source, line, "advanced", t(
                "coaching.error.advanced_above_entered", advanced=counts["advanced"],
                entered=counts["entered"])))
        else:
            rows[stage] = counts
    if problems:
        raise DataError(t("coaching.error.table", source=source, count=len(problems)), problems)
    if not rows:
        raise DataError(t("coaching.error.no_stage_rows", source=source))
    out = pd.DataFrame([{"stage": s, **rows[s]} for s in STAGES if s in rows])
    out["conversion"] = out["advanced"] / out["entered"]
    return out.set_index("stage")


def stages_from_funnel(table: pd.DataFrame, benchmark: Mapping[str, float] | pd.DataFrame | None = None,
                       source: str = "table") -> StageDiagnosis:
    """Score each stage by the rep's conversion, relative to a benchmark if given.

    With a benchmark (team conversion per stage, or a team table in the same format)
    the score is the rep's rate divided by the team's: a stage where everyone loses
    half the deals is not this rep's weakness.
    """
    conv = stage_conversion(table, source)["conversion"]
    if benchmark is None:
        return StageDiagnosis({s: float(v) for s, v in conv.items()}, "funnel")
    if isinstance(benchmark, pd.DataFrame):
        bench = stage_conversion(benchmark, "benchmark")["conversion"].to_dict()
    else:
        bench = dict(benchmark)
    scores = {}
    for stage, rate in conv.items():
        base = bench.get(stage)
        if base is None or base <= 0:
            raise DataError(t("coaching.error.no_benchmark", stage=stage))
        scores[stage] = float(rate) / float(base)
    return StageDiagnosis(scores, "funnel")


def team_benchmark(tables: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """Pooled team conversion per stage: total advanced over total entered."""
    entered: dict[str, int] = {}
    advanced: dict[str, int] = {}
    for name, table in tables.items():
        conv = stage_conversion(table, name)
        for stage, row in conv.iterrows():
            entered[stage] = entered.get(stage, 0) + int(row["entered"])
            advanced[stage] = advanced.get(stage, 0) + int(row["advanced"])
    return {s: advanced[s] / entered[s] for s in STAGES if s in entered}
