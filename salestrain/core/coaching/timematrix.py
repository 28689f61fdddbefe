"""The important x urgent time matrix (M1-M4) for a rep's week.

M1 important and urgent (complaints, contract disputes), M2 important not urgent
(prevention, capability building, relationships, planning, rest), M3 urgent not
important (interruptions, most internal requests), M4 neither. The course asks for more
M2; the healthy profile below is ours, in the spirit of Covey's matrix, and a trainer
can pass their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t

QUADRANTS = ("M1", "M2", "M3", "M4")
HEALTHY_PROFILE: dict[str, float] = {"M1": 0.25, "M2": 0.55, "M3": 0.15, "M4": 0.05}
TASK_COLUMNS = ("task", "hours", "important", "urgent")


def quadrant(important: bool, urgent: bool) -> str:
    if important:
        return "M1" if urgent else "M2"
    return "M3" if urgent else "M4"


# 是/否 too: the Chinese error message tells learners they may write them.
_TRUE = {"true", "yes", "y", "1", "x", "是"}
_FALSE = {"false", "no", "n", "0", "", "否"}


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def classify_tasks(tasks: pd.DataFrame, source: str = "tasks") -> pd.DataFrame:
    """The task table with a ``quadrant`` column; bad rows raise with their line."""
    missing = [c for c in TASK_COLUMNS if c not in tasks.columns]
    if missing:
        raise DataError(t("coaching.error.missing_columns", source=source,
                          missing=", ".join(missing), columns=", ".join(TASK_COLUMNS)))
    problems = []
    quads, hours = [], []
    for pos, (_, row) in enumerate(tasks.iterrows()):
        line = pos + 2
        h = pd.to_numeric(pd.Series([row["hours"]]), errors="coerce").iloc[0]
        if pd.isna(h) or h < 0:
            problems.append(Problem(source, line, "hours",
                                    t("coaching.error.not_hours", value=repr(row["hours"]))))
        flags = {}
        for col in ("important", "urgent"):
            flags[col] = _flag(row[col])
            if flags[col] is None:
                problems.append(Problem(source, line, col,
                                        t("coaching.error.not_yes_no", value=repr(row[col]))))
        hours.append(float(h) if not pd.isna(h) else 0.0)
        quads.append(quadrant(bool(flags["important"]), bool(flags["urgent"])))
    if problems:
        raise DataError(t("coaching.error.table", source=source, count=len(problems)), problems)
    out = tasks.copy()
    out["hours"] = hours
    out["quadrant"] = quads
    return out


@dataclass(frozen=True)
class TimeProfile:
    hours: dict[str, float]
    healthy: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.hours.values())

    @property
    def shares(self) -> dict[str, float]:
        total = self.total
        return {q: (self.hours[q] / total if total else 0.0) for q in QUADRANTS}

    @property
    def gaps(self) -> dict[str, float]:
        """Share minus healthy share, per quadrant (they sum to zero)."""
        return {q: self.shares[q] - self.healthy[q] for q in QUADRANTS}

    @property
    def shift_needed(self) -> float:
        """The share of the week that would have to move to match the healthy profile
        (half the total absolute gap: every hour moved leaves one quadrant and joins
        another)."""
        return sum(abs(g) for g in self.gaps.values()) / 2

    @property
    def hours_to_move_into_m2(self) -> float:
        return max(0.0, -self.gaps["M2"]) * self.total

    @property
    def most_over(self) -> str:
        return max(QUADRANTS, key=lambda q: (self.gaps[q], -QUADRANTS.index(q)))


def check_profile(profile: Mapping[str, float]) -> dict[str, float]:
    if set(profile) != set(QUADRANTS):
        raise DataError(t("coaching.error.profile_quadrants", quadrants=", ".join(QUADRANTS),
                          got=", ".join(sorted(profile)) or "-"))
    if any(v < 0 for v in profile.values()) or abs(sum(profile.values()) - 1) > 1e-6:
        raise DataError(t("coaching.error.profile_sum", total=f"{sum(profile.values()):.3f}"))
    return {q: float(profile[q]) for q in QUADRANTS}


def time_profile(tasks: pd.DataFrame, healthy: Mapping[str, float] | None = None,
                 source: str = "tasks") -> TimeProfile:
    classified = classify_tasks(tasks, source)
    hours = {q: float(classified.loc[classified["quadrant"] == q, "hours"].sum()) for q in QUADRANTS}
    if sum(hours.values()) <= 0:
        raise DataError(t("coaching.error.no_hours", source=source))
    return TimeProfile(hours, check_profile(healthy or HEALTHY_PROFILE))
