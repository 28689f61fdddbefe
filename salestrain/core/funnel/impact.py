"""Training impact from a team's own CRM history (Kirkpatrick level 4): before and after.

Per rep and for the whole cohort, per month or quarter, from a stage history (one row per
stage a deal entered, see :mod:`salestrain.core.funnel.history`):

- **win rate**: deals won / deals closed (won or lost) in the period;
- **deal cycle**: mean days from a closed deal's first stage row to its won/lost row;
- **average discount**: mean discount (share off list price) of the deals won in the
  period, from the history's or the pipeline's optional ``discount`` column;
- **forecast error**: at the start of each period the deals open then are weighted by the
  course's stage probabilities (``core.funnel.stages``); the error is
  ``|won - forecast| / forecast``, where "won" is what those same deals won by the end of
  the period. Deals that appear during the period are not part of that forecast.

Then one period before a training date and one after are compared, with the number of
deals behind every figure. A before/after change is not the effect of the training: there
is no control group, and the market, the season and the pipeline change too. The report
says so (``impact.caveat`` in the catalog) wherever it shows a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.core.funnel.history import LOST, WON
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages

PERIODS: dict[str, str] = {"month": "M", "quarter": "Q"}
METRICS = ("win_rate", "cycle_days", "discount", "forecast_error")
# The count behind each metric: closed deals, closed deals, won deals with a discount,
# deals open at the period's start.
METRIC_COUNTS = {"win_rate": "closed", "cycle_days": "closed", "discount": "discount_n",
                 "forecast_error": "open_n"}
SMALL_SAMPLE = 10  # fewer deals than this behind a figure: shown, but flagged
_SUMS = ("closed", "won", "cycle_sum", "discount_n", "discount_sum", "open_n", "forecast",
         "actual")


def period_code(period: str) -> str:
    """The pandas frequency of ``"month"`` or ``"quarter"`` (a ``DataError`` otherwise)."""
    if period not in PERIODS:
        raise DataError(t("impact.error.bad_period", value=repr(period),
                          periods=", ".join(PERIODS)))
    return PERIODS[period]


def deal_facts(history: pd.DataFrame, discounts: Mapping[str, float] | None = None,
               amounts: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per deal: owner, first date, close date (NaT while open), outcome, amount,
    discount.

    ``history`` is a checked history (sorted by deal and date). A deal's owner, amount and
    discount are its last filled values in the history; ``discounts`` and ``amounts``
    (``{deal_id: value}``, e.g. from a pipeline export) fill or replace them.
    """
    if "owner" not in history.columns:
        raise DataError(t("funnel.error.no_owner"),
                        [Problem("history", 1, "owner", t("funnel.error.missing_column"))])
    g = history.groupby("deal_id", sort=True)
    last_stage = g["stage"].last()
    closed = last_stage.isin([WON, LOST])
    owner = history["owner"].where(history["owner"].astype(str).str.strip() != "")
    facts = pd.DataFrame({
        "owner": owner.groupby(history["deal_id"]).last().reindex(last_stage.index)
        .fillna("").astype(str).str.strip(),
        "first": g["date"].min(),
        "closed": g["date"].max().where(closed),
        "outcome": last_stage.where(closed, "open"),
    })
    facts["amount"] = _last_number(history, "amount", facts.index)
    facts["discount"] = _last_number(history, "discount", facts.index)
    for column, given in (("amount", amounts), ("discount", discounts)):
        if given:
            extra = pd.Series(given, dtype=float).reindex(facts.index)
            facts[column] = extra.where(extra.notna(), facts[column])
    facts.index.name = "deal_id"
    return facts


def _last_number(history: pd.DataFrame, column: str, index: pd.Index) -> pd.Series:
    if column not in history.columns:
        return pd.Series(np.nan, index=index)
    values = pd.to_numeric(history[column], errors="coerce")
    return values.groupby(history["deal_id"]).last().reindex(index)


def _closed_records(facts: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Per closed deal: its period (of the close date), owner, won, cycle days, discount."""
    done = facts[facts["outcome"] != "open"]
    won = done["outcome"] == WON
    discount = done["discount"].where(won)
    return pd.DataFrame({
        "owner": done["owner"], "period": done["closed"].dt.to_period(freq),
        "closed": 1, "won": won.astype(int),
        "cycle_sum": (done["closed"] - done["first"]).dt.days.astype(float),
        "discount_n": discount.notna().astype(int), "discount_sum": discount.fillna(0.0),
    })


def _forecast_records(history: pd.DataFrame, facts: pd.DataFrame, periods: pd.PeriodIndex,
                      stages: Stages, count_deals: bool) -> pd.DataFrame:
    """Per period and deal open at its start: the weighted forecast and what it won."""
    parts = []
    probability = {s: stages.probability(s) for s in stages.open_names}
    for period in periods:
        start, end = period.start_time, period.end_time
        before = history[history["date"] < start]
        if before.empty:
            continue
        stage = before.groupby("deal_id", sort=False)["stage"].last()
        stage = stage[~stage.isin([WON, LOST])]
        if stage.empty:
            continue
        deals = facts.loc[stage.index]
        amount = pd.Series(1.0, index=deals.index) if count_deals else deals["amount"]
        known = amount.notna()  # a deal without an amount cannot be weighed
        p = stage.map(probability).fillna(0.0)
        won_here = (deals["outcome"] == WON) & (deals["closed"] <= end)
        parts.append(pd.DataFrame({
            "owner": deals["owner"][known], "period": period, "open_n": 1,
            "forecast": (amount * p)[known], "actual": amount.where(won_here, 0.0)[known],
        }))
    if not parts:
        return pd.DataFrame(columns=["owner", "period", "open_n", "forecast", "actual"])
    return pd.concat(parts)


def _ratios(sums: pd.DataFrame) -> pd.DataFrame:
    out = sums.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["win_rate"] = np.where(out["closed"] > 0, out["won"] / out["closed"], np.nan)
        out["cycle_days"] = np.where(out["closed"] > 0, out["cycle_sum"] / out["closed"], np.nan)
        out["discount"] = np.where(out["discount_n"] > 0,
                                   out["discount_sum"] / out["discount_n"], np.nan)
        out["forecast_error"] = np.where(out["forecast"] > 0,
                                         (out["actual"] - out["forecast"]).abs() / out["forecast"],
                                         np.nan)
    return out


@dataclass(frozen=True)
class ImpactReport:
    """The metrics per rep and period, for the cohort per period, and before vs after.

    ``reps`` is indexed by (owner, period), ``cohort`` by period; both hold the counts
    (``closed``, ``won``, ``discount_n``, ``open_n``) and the :data:`METRICS`.
    ``changes`` has one row per group (each rep, then the cohort: ``group`` missing) and
    metric: before, after, change, the deals behind each and ``small`` (fewer than
    :data:`SMALL_SAMPLE` on either side). ``amount_unit`` is "money", or "deals" when
    no amounts were given (the forecast then counts deals).
    """

    period: str
    trained: pd.Timestamp
    before: pd.Period
    after: pd.Period
    reps: pd.DataFrame
    cohort: pd.DataFrame
    changes: pd.DataFrame
    amount_unit: str
    has_discount: bool
    last_date: pd.Timestamp

    @property
    def after_complete(self) -> bool:
        """False when the history ends before the after period does (a partial period)."""
        return self.last_date >= self.after.end_time.normalize()

    @property
    def owners(self) -> list[str]:
        return sorted(self.reps.index.get_level_values("owner").unique())


def training_periods(trained: pd.Timestamp, period: str = "quarter") -> tuple[pd.Period, pd.Period]:
    """The last whole period before ``trained`` and the first that starts on or after it.

    A period the training falls inside (not on its first day) belongs to neither side.
    """
    freq = period_code(period)
    day = pd.Timestamp(trained).normalize()
    here = day.to_period(freq)
    after = here if day == here.start_time.normalize() else here + 1
    return here - 1, after


def impact(history: pd.DataFrame, trained: str | pd.Timestamp, period: str = "quarter",
           stages: Stages = DEFAULT_STAGES, discounts: Mapping[str, float] | None = None,
           amounts: Mapping[str, float] | None = None) -> ImpactReport:
    """Win rate, deal cycle, discount and forecast error per rep and cohort over time,
    and their change from the period before ``trained`` to the one after it."""
    freq = period_code(period)
    try:
        day = pd.Timestamp(trained)
    except ValueError:
        day = pd.NaT
    if pd.isna(day):
        raise DataError(t("impact.error.bad_date", value=repr(trained)))
    if history.empty:
        raise DataError(t("impact.error.empty"))
    facts = deal_facts(history, discounts, amounts)
    count_deals = bool(facts["amount"].isna().all())
    periods = pd.period_range(history["date"].min().to_period(freq),
                              history["date"].max().to_period(freq), freq=freq)
    records = pd.concat([
        _closed_records(facts, freq),
        _forecast_records(history, facts, periods, stages, count_deals),
    ], ignore_index=True)
    for column in _SUMS:
        records[column] = pd.to_numeric(records.get(column), errors="coerce").fillna(0.0)
    records["owner"] = records["owner"].astype(str)
    records["period"] = pd.PeriodIndex(records["period"], freq=freq)
    reps = _ratios(records.groupby(["owner", "period"])[list(_SUMS)].sum())
    cohort = _ratios(records.groupby("period")[list(_SUMS)].sum().reindex(periods, fill_value=0))
    cohort.index.name = "period"
    before, after = training_periods(day, period)
    changes = _changes(reps, cohort, before, after)
    return ImpactReport(period, day.normalize(), before, after, reps, cohort, changes,
                        "deals" if count_deals else "money", bool(facts["discount"].notna().any()),
                        history["date"].max().normalize())


def _changes(reps: pd.DataFrame, cohort: pd.DataFrame, before: pd.Period,
             after: pd.Period) -> pd.DataFrame:
    rows = []
    groups: list[tuple[str | None, pd.DataFrame]] = [
        (owner, table.droplevel("owner")) for owner, table in reps.groupby(level="owner")]
    groups.append((None, cohort))
    for owner, table in groups:
        for metric in METRICS:
            count = METRIC_COUNTS[metric]
            b = table.loc[before] if before in table.index else None
            a = table.loc[after] if after in table.index else None
            vb = float(b[metric]) if b is not None else np.nan
            va = float(a[metric]) if a is not None else np.nan
            nb = int(b[count]) if b is not None else 0
            na = int(a[count]) if a is not None else 0
            rows.append({"group": owner, "metric": metric, "before": vb, "after": va,
                         "change": va - vb, "n_before": nb, "n_after": na,
                         "small": min(nb, na) < SMALL_SAMPLE})
    return pd.DataFrame(rows)


__all__ = ["METRICS", "PERIODS", "SMALL_SAMPLE", "ImpactReport", "deal_facts", "impact",
           "period_code", "training_periods"]
