"""Plan vs actual: achievement, gap and run-rate projection per KPI."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.base.tables import is_blank
from salestrain.core.goals.targets import TargetPlan

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
MAX_PROBLEMS = 20  # enough to fix a table by; the headline still gives the full count


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

    Every cell is checked first: a bad table raises one :class:`DataError` listing each
    problem as ``plan:<row>: <column>: ...`` (row 1 is the table's first row). Numbers
    may be given as text ("120000"); an empty ``actual`` cell is a period not over yet.
    """
    _require(plan, ("kpi", "period", "plan"), "plan")
    _require(actual, ("kpi", "period", "actual"), "actual")
    plan, problems = _check_rows(plan, "plan", n_periods, blank_ok=False)
    actual, actual_problems = _check_rows(actual, "actual", n_periods, blank_ok=True)
    problems += actual_problems
    if not problems:
        # An actual without a plan row would silently drop out of the merge below.
        planned = set(zip(plan["kpi"], plan["period"], strict=True))
        for pos, key in enumerate(zip(actual["kpi"], actual["period"], strict=True)):
            if key not in planned:
                problems.append(Problem("actual", pos + 1, "period",
                                        t("goals.error.no_plan", kpi=key[0], period=key[1])))
    if problems:
        message = t("goals.error.tables", count=len(problems))
        if len(problems) > MAX_PROBLEMS:
            message += " " + t("goals.error.more", count=len(problems) - MAX_PROBLEMS)
        raise DataError(message, problems[:MAX_PROBLEMS])
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
        found = ", ".join(map(str, df.columns)) or "-"
        raise DataError(t("goals.error.missing_columns", name=name), [
            Problem(name, None, c, t("goals.error.missing_column", column=c, found=found,
                                     needed=", ".join(cols))) for c in missing])




def _number(value: object) -> float | None:
    """The cell as a finite float; ``None`` when it is not one."""
    try:
        number = float(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _check_rows(df: pd.DataFrame, name: str, n_periods: int,
                blank_ok: bool) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row of a ``kpi, period, <name>`` table; return it with numbers parsed.

    Problems name the row (1 = first row), the column, the bad value and the fix, so a
    learner's hand-typed table can be corrected without reading a traceback.
    """
    problems: list[Problem] = []
    periods: list[int | None] = []
    values: list[float] = []
    seen: dict[tuple, int] = {}
    for pos, (kpi, period, raw) in enumerate(zip(df["kpi"], df["period"], df[name], strict=True)):
        row = pos + 1
        if kpi not in KPI_KINDS:
            problems.append(Problem(name, row, "kpi", t("goals.error.unknown_kpi", value=repr(kpi),
                                                        kpis=", ".join(KPI_KINDS))))
        number = _number(period)
        if number is None or number != int(number) or not 1 <= number <= n_periods:
            problems.append(Problem(name, row, "period", t("goals.error.bad_period",
                                                           value=repr(period), n=n_periods)))
            periods.append(None)
        else:
            periods.append(int(number))
            key = (kpi, int(number))
            if key in seen:
                problems.append(Problem(name, row, "period", t(
                    "goals.error.duplicate_period", kpi=kpi, period=int(number), row=seen[key])))
            seen.setdefault(key, row)
        if blank_ok and is_blank(raw):
            values.append(math.nan)  # a period that is not over yet
            continue
        value = _number(raw)
        if value is None:
            shown = t("goals.error.empty") if is_blank(raw) else repr(raw)
            problems.append(Problem(name, row, name, t("goals.error.bad_number", value=shown)))
        values.append(math.nan if value is None else value)
    out = df.copy()
    if not problems:
        out["period"] = [int(p) for p in periods if p is not None]
        out[name] = values
    return out, problems


def revenue_plan_frame(plan: TargetPlan) -> pd.DataFrame:
    """The monthly revenue plan as a ``kpi, period, plan`` table for :func:`plan_vs_actual`."""
    by_month = plan.by_month()
    return pd.DataFrame({"kpi": "revenue", "period": by_month.index.astype(int),
                         "plan": by_month.to_numpy(dtype=float)})
