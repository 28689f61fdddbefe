"""Plan vs actual: achievement, gap and run-rate projection per KPI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.base.tables import BLANK, OK, parse_numbers
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




def _cell(series: pd.Series, pos: int) -> object:
    """A cell as the user wrote it: 13, not np.int64(13)."""
    value = series.iat[pos]
    return value.item() if isinstance(value, np.generic) else value


def _check_rows(df: pd.DataFrame, name: str, n_periods: int,
                blank_ok: bool) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row of a ``kpi, period, <name>`` table; return it with numbers parsed.

    Cells are read with the one table grammar (:mod:`salestrain.base.tables`: "12,000",
    "1.2e6" are numbers, NaN and inf are not). Problems name the row (1 = first row), the
    column, the bad value and the fix, so a learner's hand-typed table can be corrected
    without reading a traceback.
    """
    problems: list[Problem] = []
    df = df.reset_index(drop=True)
    kpis = df["kpi"]
    period_raw = df["period"]
    periods, period_codes = parse_numbers(period_raw)
    with np.errstate(invalid="ignore"):
        period_ok = (period_codes == OK) & (periods == np.round(periods)) & (periods >= 1) \
            & (periods <= n_periods)
    values, value_codes = parse_numbers(df[name])
    known_kpi = kpis.isin(list(KPI_KINDS)).to_numpy()
    key = pd.DataFrame({"kpi": kpis.astype(str), "period": np.where(period_ok, periods, -1)})
    dup = key.duplicated(keep="first").to_numpy() & period_ok
    first_row = key.groupby(["kpi", "period"], sort=False).cumcount()  # 0 for the first
    first_of = {}
    for pos in np.flatnonzero(period_ok & (first_row.to_numpy() == 0)):
        first_of[(key["kpi"].iat[pos], key["period"].iat[pos])] = pos + 1
    for pos in range(len(df)):  # rows with problems only; a plan has tens of rows
        row = pos + 1
        if not known_kpi[pos]:
            problems.append(Problem(name, row, "kpi", t("goals.error.unknown_kpi",
                                                        value=repr(_cell(kpis, pos)),
                                                        kpis=", ".join(KPI_KINDS))))
        if not period_ok[pos]:
            problems.append(Problem(name, row, "period", t("goals.error.bad_period",
                                                           value=repr(_cell(period_raw, pos)),
                                                           n=n_periods)))
        elif dup[pos]:
            k = (key["kpi"].iat[pos], key["period"].iat[pos])
            problems.append(Problem(name, row, "period", t(
                "goals.error.duplicate_period", kpi=k[0], period=int(k[1]), row=first_of[k])))
        code = value_codes[pos]
        if code == OK or (blank_ok and code == BLANK):  # blank actual: period not over yet
            continue
        raw = _cell(df[name], pos)
        shown = t("goals.error.empty") if code == BLANK else repr(raw)
        problems.append(Problem(name, row, name, t("goals.error.bad_number", value=shown)))
    out = df.copy()
    if not problems:
        out["period"] = periods.astype(int)
        out[name] = values
    return out, problems


def revenue_plan_frame(plan: TargetPlan) -> pd.DataFrame:
    """The monthly revenue plan as a ``kpi, period, plan`` table for :func:`plan_vs_actual`."""
    by_month = plan.by_month()
    return pd.DataFrame({"kpi": "revenue", "period": by_month.index.astype(int),
                         "plan": by_month.to_numpy(dtype=float)})
