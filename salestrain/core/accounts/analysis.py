"""Key accounts: Pareto concentration, ABC tiers, contribution, visit plan, buying centre, churn.

Pure core over three plain tables (see :mod:`salestrain.io.accounts` for loading and
the sample book):

- ``customers``: ``customer_id, name, rep`` plus optional ``industry, ownership,
  renewal_rate, last_visit, cost_to_serve``;
- ``transactions``: ``date, customer_id, product_line, revenue, margin``;
- ``contacts``: ``customer_id, role, name, met``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t

TIERS = ("A", "B", "C")
# Visits per year by tier, from the course: A weekly, B twice a month, C once a quarter.
CADENCE_PER_YEAR: dict[str, float] = {"A": 52.0, "B": 24.0, "C": 4.0}
# Days between visits that make an account due again.
CADENCE_DAYS: dict[str, int] = {"A": 7, "B": 15, "C": 91}
KA_ACCOUNTS_PER_REP = (30, 40)


# -- revenue per customer --------------------------------------------------------------
def customer_totals(transactions: pd.DataFrame, start: date | None = None,
                    end: date | None = None) -> pd.DataFrame:
    """Revenue, margin and order count per customer over ``[start, end]`` (dates inclusive)."""
    tx = transactions
    if start is not None:
        tx = tx[tx["date"] >= pd.Timestamp(start)]
    if end is not None:
        tx = tx[tx["date"] <= pd.Timestamp(end)]
    out = tx.groupby("customer_id").agg(revenue=("revenue", "sum"), margin=("margin", "sum"),
                                        orders=("revenue", "size"))
    return out


def _sorted_values(values: pd.Series) -> pd.Series:
    """Largest first; ties broken by customer id so every run gives the same order."""
    v = values.astype(float).clip(lower=0)
    frame = pd.DataFrame({"v": v, "id": v.index.astype(str)}, index=v.index)
    frame = frame.sort_values(["v", "id"], ascending=[False, True], kind="mergesort")
    return frame["v"]


# -- Pareto and ABC ----------------------------------------------------------------------
@dataclass(frozen=True)
class Pareto:
    curve: pd.DataFrame  # per customer, largest first: value, share, cum_share, cum_customers
    total: float

    def top_share(self, fraction: float = 0.2) -> float:
        """Share of the total from the top ``fraction`` of customers (at least one).

        The count is ``ceil(fraction x n)``: with 12 customers the "top 20%" are 3.
        """
        n = len(self.curve)
        if n == 0 or self.total <= 0:
            return 0.0
        k = max(1, math.ceil(fraction * n - 1e-9))
        return float(self.curve["value"].iloc[:k].sum() / self.total)

    def customers_for_share(self, share: float = 0.8) -> int:
        """How many of the largest customers it takes to reach ``share`` of the total."""
        if self.total <= 0:
            return 0
        reached = self.curve["cum_share"].to_numpy() >= share - 1e-12
        return int(np.argmax(reached) + 1) if reached.any() else len(self.curve)


def pareto(values: pd.Series) -> Pareto:
    """The Pareto (cumulative concentration) curve of a value per customer."""
    v = _sorted_values(values)
    total = float(v.sum())
    n = len(v)
    curve = pd.DataFrame({"value": v})
    curve["share"] = v / total if total > 0 else 0.0
    curve["cum_share"] = curve["share"].cumsum()
    curve["cum_customers"] = np.arange(1, n + 1) / n if n else []
    curve["rank"] = np.arange(1, n + 1)
    return Pareto(curve, total)


def abc_tiers(values: pd.Series, a_cut: float = 0.7, b_cut: float = 0.9) -> pd.DataFrame:
    """ABC tiers by cumulative share of value.

    Customers are taken largest first. A customer is A while the share accumulated
    *before* it is below ``a_cut`` (so the customer that crosses the cut is still A),
    B while it is below ``b_cut``, C after that. Customers with no value are C.
    Returns ``value, share, cum_share, rank, tier`` indexed by customer.
    """
    if not 0 < a_cut <= b_cut <= 1:
        raise DataError(t("accounts.error.tier_cuts"),
                        [Problem("tiers", None, "a_cut/b_cut",
                                 t("accounts.error.tier_cuts_got", a_cut=a_cut, b_cut=b_cut))])
    curve = pareto(values).curve.copy()
    before = curve["cum_share"] - curve["share"]
    tier = np.where(before < a_cut - 1e-12, "A", np.where(before < b_cut - 1e-12, "B", "C"))
    tier = np.where(curve["value"].to_numpy() > 0, tier, "C")
    curve["tier"] = tier
    return curve


def tier_summary(tiers: pd.DataFrame) -> pd.DataFrame:
    """Customers and value per tier, with their shares."""
    out = tiers.groupby("tier")["value"].agg(customers="size", value="sum").reindex(TIERS, fill_value=0)
    total_c, total_v = out["customers"].sum(), out["value"].sum()
    out["customer_share"] = out["customers"] / total_c if total_c else 0.0
    out["value_share"] = out["value"] / total_v if total_v else 0.0
    return out


# -- contribution ------------------------------------------------------------------------
def contribution(customers: pd.DataFrame, transactions: pd.DataFrame,
                 start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Revenue vs margin vs cost to serve per customer.

    ``net_contribution = margin - cost_to_serve``; ``serve_cost_ratio`` is cost to
    serve per unit of revenue (key accounts should be cheap to serve per yuan).
    Sorted by net contribution, largest first, with its cumulative sum (the "whale
    curve": it rises above the total and falls back when unprofitable accounts join).
    """
    totals = customer_totals(transactions, start, end)
    base = customers.set_index("customer_id")
    cost = base["cost_to_serve"] if "cost_to_serve" in base else pd.Series(0.0, index=base.index)
    out = pd.DataFrame(index=base.index)
    out["revenue"] = totals["revenue"].reindex(out.index, fill_value=0.0)
    out["margin"] = totals["margin"].reindex(out.index, fill_value=0.0)
    out["cost_to_serve"] = cost.astype(float)
    out["net_contribution"] = out["margin"] - out["cost_to_serve"]
    out["margin_rate"] = out["margin"] / out["revenue"].where(out["revenue"] > 0)
    out["serve_cost_ratio"] = out["cost_to_serve"] / out["revenue"].where(out["revenue"] > 0)
    out = out.sort_values(["net_contribution"], ascending=False, kind="mergesort")
    out["cum_contribution"] = out["net_contribution"].cumsum()
    return out


# -- visit plan --------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitPlan:
    accounts: pd.DataFrame  # per account: rep, tier, visits_per_month, hours_per_month
    reps: pd.DataFrame  # per rep: accounts, A, B, C, visits_per_month, hours, capacity, load, flags


def visit_plan(tiers: pd.DataFrame, reps: pd.Series, hours_per_visit: float = 3.0,
               capacity_hours: float = 100.0,
               cadence: Mapping[str, float] = CADENCE_PER_YEAR) -> VisitPlan:
    """Monthly visits and hours from the cadence rules, and each rep's load.

    ``tiers`` is :func:`abc_tiers` output; ``reps`` maps customer -> rep.
    ``load = hours / capacity``; above 1 the rep cannot keep the cadence. The rep's
    number of accounts is compared with the 30-40 a key-account rep can cover.
    """
    if hours_per_visit <= 0 or capacity_hours <= 0:
        raise DataError(t("accounts.error.visit_hours"),
                        [Problem("visits", None, "hours",
                                 t("accounts.error.visit_hours_got", hours=hours_per_visit,
                                   capacity=capacity_hours))])
    acc = pd.DataFrame({"tier": tiers["tier"]})
    acc["rep"] = reps.reindex(acc.index)
    no_rep = acc.index[acc["rep"].isna()]
    if len(no_rep):
        raise DataError(t("accounts.error.no_rep", count=len(no_rep)),
                        [Problem("customers", None, "rep",
                                 t("accounts.error.no_rep_customer", value=c)) for c in no_rep[:5]])
    acc["visits_per_month"] = acc["tier"].map(cadence) / 12.0
    acc["hours_per_month"] = acc["visits_per_month"] * hours_per_visit
    counts = acc.groupby(["rep", "tier"]).size().unstack(fill_value=0) \
        .reindex(columns=list(TIERS), fill_value=0)
    rep = acc.groupby("rep").agg(accounts=("tier", "size"), visits_per_month=("visits_per_month", "sum"),
                                 hours=("hours_per_month", "sum"))
    rep = rep.join(counts)
    rep["capacity"] = float(capacity_hours)
    rep["load"] = rep["hours"] / capacity_hours
    rep["over_capacity"] = rep["load"] > 1.0 + 1e-12
    key = rep["A"] + rep["B"]
    lo, hi = KA_ACCOUNTS_PER_REP
    rep["key_accounts"] = key
    # the course's 30-40 accounts per key-account rep, against the rep's whole book
    rep["ka_band"] = np.where(rep["accounts"] < lo, "below",
                              np.where(rep["accounts"] > hi, "above", "within"))
    return VisitPlan(acc, rep)


def visits_due(tiers: pd.DataFrame, last_visit: pd.Series, today: date,
               cadence_days: Mapping[str, int] = CADENCE_DAYS) -> pd.DataFrame:
    """Accounts due a visit on ``today``: days since the last visit >= the tier's interval.

    Never-visited accounts are due. Sorted: tier A first, then most overdue.
    """
    out = pd.DataFrame({"tier": tiers["tier"], "value": tiers["value"]})
    last = pd.to_datetime(last_visit.reindex(out.index))
    out["last_visit"] = last
    out["days_since"] = (pd.Timestamp(today) - last).dt.days
    out["interval"] = out["tier"].map(cadence_days)
    out["overdue_days"] = out["days_since"] - out["interval"]
    due = out[out["last_visit"].isna() | (out["days_since"] >= out["interval"])].copy()
    due["tier_order"] = due["tier"].map({t: i for i, t in enumerate(TIERS)})
    due = due.sort_values(["tier_order", "overdue_days", "value"], ascending=[True, False, False],
                          na_position="first", kind="mergesort")
    return due.drop(columns="tier_order")


# -- churn early warning -----------------------------------------------------------------
@dataclass(frozen=True)
class ChurnThresholds:
    """When an account raises an alert (any one signal is enough)."""

    max_days_silent: int = 120  # no order for this many days
    min_activity: float = 0.3  # last-90-day orders / the account's average 90 days before
    min_renewal: float = 0.6  # share of contracts renewed (from the CRM)


def churn_signals(customers: pd.DataFrame, transactions: pd.DataFrame, today: date,
                  window_days: int = 90, history_days: int = 365) -> pd.DataFrame:
    """Per account: days since the last order, activity ratio, renewal rate, revenue.

    ``activity`` compares the orders of the last ``window_days`` with the account's
    average per window over the ``history_days`` before that (1.0 = as usual; NaN
    when it averaged fewer than 1.5 orders per window, too few to judge).
    ``revenue_12m`` is the revenue of the last year, the money at risk if the
    account leaves.
    """
    t = pd.Timestamp(today)
    tx = transactions[transactions["date"] <= t]
    ids = customers["customer_id"]
    last = tx.groupby("customer_id")["date"].max().reindex(ids)
    recent = tx[tx["date"] > t - pd.Timedelta(days=window_days)]
    hist = tx[(tx["date"] <= t - pd.Timedelta(days=window_days))
              & (tx["date"] > t - pd.Timedelta(days=window_days + history_days))]
    n_recent = recent.groupby("customer_id").size().reindex(ids, fill_value=0)
    n_hist = hist.groupby("customer_id").size().reindex(ids, fill_value=0)
    per_window = n_hist * window_days / history_days
    # with fewer than 1.5 orders expected per window, an empty window is normal, not a signal
    per_window = per_window.where(per_window >= 1.5)
    year = tx[tx["date"] > t - pd.Timedelta(days=365)]
    out = pd.DataFrame(index=pd.Index(ids, name="customer_id"))
    out["days_silent"] = (t - last).dt.days.to_numpy()
    out["activity"] = (n_recent / per_window).to_numpy()
    if "renewal_rate" in customers:
        out["renewal_rate"] = customers.set_index("customer_id")["renewal_rate"].astype(float)
    else:
        out["renewal_rate"] = np.nan
    out["revenue_12m"] = year.groupby("customer_id")["revenue"].sum().reindex(ids, fill_value=0.0).to_numpy()
    return out


def churn_alerts(signals: pd.DataFrame, thresholds: ChurnThresholds = ChurnThresholds()) -> pd.DataFrame:
    """The alert list: accounts with at least one signal past its threshold.

    ``reasons`` lists the signals (``silent``, ``activity``, ``renewal``); ranked by
    the number of signals, then by revenue at risk (last 12 months), largest first.
    Accounts that never ordered are not alerts (nothing to lose yet).
    """
    s = signals
    silent = s["days_silent"] >= thresholds.max_days_silent
    activity = s["activity"] < thresholds.min_activity
    renewal = s["renewal_rate"] < thresholds.min_renewal
    out = s.copy()
    flags = pd.DataFrame({"silent": silent.fillna(False), "activity": activity.fillna(False),
                          "renewal": renewal.fillna(False)})
    out["signals"] = flags.sum(axis=1)
    names = list(flags.columns)
    out["reasons"] = [[n for n, on in zip(names, row, strict=True) if on] for row in flags.to_numpy()]
    out = out[(out["signals"] > 0) & s["days_silent"].notna()]
    out = out.assign(_id=out.index.astype(str)).sort_values(
        ["signals", "revenue_12m", "_id"], ascending=[False, False, True], kind="mergesort")
    out = out.drop(columns="_id")
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def alert_explanations(alert: pd.Series) -> list[tuple[str, dict[str, str]]]:
    """Catalog keys and values that explain one row of :func:`churn_alerts`."""
    values = {
        "days": f"{alert['days_silent']:.0f}" if pd.notna(alert["days_silent"]) else "-",
        "activity": f"{alert['activity']:.0%}" if pd.notna(alert["activity"]) else "-",
        "renewal": f"{alert['renewal_rate']:.0%}" if pd.notna(alert["renewal_rate"]) else "-",
    }
    return [(f"accounts.reason.{reason}", values) for reason in alert["reasons"]]
