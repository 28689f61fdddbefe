"""Plan vs actual: achievement, gap and run-rate projection per KPI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.errors import DataError, Problem
from salestrain.goals.targets import TargetPlan

# How each KPI adds up over the year: counts and money are summed, rates averaged.
KPI_KINDS: dict[str, str] = {
    "revenue": "sum",
    "new_customers": "sum",
    "visits": "sum",
    "repurchase_rate": "rate",
    "collected_60d": "rate",
    "lead_conversion": "rate",
}
ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"


@dataclass(frozen=True)
class Tracking:
    """Plan vs actual per (kpi, period) and a year-end projection per KPI."""

    periods: pd.DataFrame  # kpi, period, plan, actual, gap, achievement
    summary: pd.DataFrame  # per kpi: plan_to_date, actual_to_date, achievement_to_date,
    # gap_to_date, plan_total, projected, projected_achievement, status


def plan_vs_actual(plan: pd.DataFrame, actual: pd.DataFrame, n_periods: int = 12,
                   at_risk_below: float = 1.0, off_track_below: float = 0.9) -> Tracking:
    """Achievement rate, gap and run-rate projection per KPI.

    ``plan`` has columns ``kpi, period, plan`` for every period of the year;
    ``actual`` has ``kpi, period, actual`` for the periods that are over. A summed KPI
    projects its year end at the run rate (actual so far x periods / periods elapsed);
    a rate KPI projects the average achieved so far. Status: achievement to date below
    ``off_track_below`` is off track, below ``at_risk_below`` at risk.
    """
    _require(plan, ("kpi", "period", "plan"), "plan")
    _require(actual, ("kpi", "period", "actual"), "actual")
    unknown = sorted(set(plan["kpi"]) - set(KPI_KINDS))
    if unknown:
        raise DataError("plan: unknown KPI", [Problem("plan", None, "kpi",
                        f"{unknown[0]!r} is not one of {', '.join(KPI_KINDS)}")])
    merged = plan.merge(actual, on=["kpi", "period"], how="left")
    merged["gap"] = merged["actual"] - merged["plan"]
    merged["achievement"] = merged["actual"] / merged["plan"].where(merged["plan"] != 0)
    rows = []
    for kpi, grp in merged.groupby("kpi", sort=False):
        done = grp.dropna(subset=["actual"])
        elapsed = len(done)
        kind = KPI_KINDS[kpi]
        if kind == "sum":
            plan_td, actual_td = done["plan"].sum(), done["actual"].sum()
            plan_total = grp["plan"].sum()
            projected = actual_td * n_periods / elapsed if elapsed else np.nan
        else:
            plan_td = done["plan"].mean() if elapsed else np.nan
            actual_td = done["actual"].mean() if elapsed else np.nan
            plan_total = grp["plan"].mean()
            projected = actual_td
        ach = actual_td / plan_td if elapsed and plan_td else np.nan
        status = (ON_TRACK if not ach < at_risk_below else
                  AT_RISK if not ach < off_track_below else OFF_TRACK) if elapsed else ON_TRACK
        rows.append({
            "kpi": kpi, "kind": kind, "elapsed": elapsed, "plan_to_date": plan_td,
            "actual_to_date": actual_td, "gap_to_date": actual_td - plan_td,
            "achievement_to_date": ach, "plan_total": plan_total, "projected": projected,
            "projected_achievement": projected / plan_total if plan_total else np.nan,
            "status": status,
        })
    return Tracking(merged[["kpi", "period", "plan", "actual", "gap", "achievement"]],
                    pd.DataFrame(rows).set_index("kpi"))


def _require(df: pd.DataFrame, cols: Sequence[str], name: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(f"{name}: missing column(s)", [Problem(name, None, c,
                        f"column {c!r} is missing; found {list(df.columns)}") for c in missing])


def revenue_plan_frame(plan: TargetPlan) -> pd.DataFrame:
    """The monthly revenue plan as a ``kpi, period, plan`` table for :func:`plan_vs_actual`."""
    by_month = plan.by_month()
    return pd.DataFrame({"kpi": "revenue", "period": by_month.index.astype(int),
                         "plan": by_month.to_numpy(dtype=float)})
