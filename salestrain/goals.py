"""Goals: target decomposition, goal-quality checks, plan-vs-actual tracking.

Pure core: plain data in, plain data out. Money is counted in whole currency units
(``int``) so a decomposed target reconciles *exactly*: every quarter, month, product
line and new/existing split adds back to the annual number, not merely to within a
rounding error. The rounding is the largest-remainder method (one dimension) and a
controlled matrix rounding (months x product lines) that keeps both margins exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from salestrain.errors import DataError, Problem

MONTHS = tuple(range(1, 13))
QUARTER_OF_MONTH = {m: (m - 1) // 3 + 1 for m in MONTHS}
SEGMENTS = ("new", "existing")


# -- exact integer allocation ---------------------------------------------------------
def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum to ``total``.

    Largest-remainder (Hamilton) rounding: every part is the floor or the ceiling of
    its exact share, and ties go to the earlier part so the result is deterministic.
    """
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    w = [float(x) for x in weights]
    if not w or any(x < 0 or not math.isfinite(x) for x in w) or sum(w) <= 0:
        raise ValueError(f"weights must be finite, >= 0 and not all zero, got {list(weights)}")
    s = sum(w)
    exact = [total * x / s for x in w]
    parts = [math.floor(e) for e in exact]
    short = total - sum(parts)
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:short]:
        parts[i] += 1
    return parts


def round_matrix(ideal: np.ndarray, row_totals: Sequence[int], col_totals: Sequence[int]) -> np.ndarray:
    """Round a non-negative matrix to integers with the given row and column sums.

    ``ideal`` must already have (up to float error) those margins. Each cell ends at
    the floor or the ceiling of its ideal value; the +1s are placed by a max-flow
    (rows -> cells -> columns), which always succeeds for such a matrix (the classic
    result on controlled rounding of two-way tables).
    """
    floor = np.floor(ideal + 1e-9).astype(np.int64)
    frac = ideal - floor
    row_need = np.asarray(row_totals, dtype=np.int64) - floor.sum(axis=1)
    col_need = np.asarray(col_totals, dtype=np.int64) - floor.sum(axis=0)
    n_rows, n_cols = ideal.shape
    # cell (i, j) may take one extra unit when it has a fractional part
    can = frac > 1e-9
    extra = np.zeros_like(floor)
    # augmenting paths on the bipartite graph rows -> cols (tiny graphs: <= 20 x 12)
    for i in range(n_rows):
        for _ in range(int(row_need[i])):
            if not _augment(i, can, extra, col_need, n_rows, n_cols):
                raise ValueError("margins are inconsistent with the ideal matrix")
    return floor + extra


def _augment(start: int, can: np.ndarray, extra: np.ndarray, col_need: np.ndarray,
             n_rows: int, n_cols: int) -> bool:
    """Find a path start-row -> column with spare need, flipping cells along it."""
    from collections import deque

    prev_col: dict[int, tuple[int, int]] = {}  # col -> (row it came from, unused)
    prev_row: dict[int, int] = {start: -1}  # row -> col it came from
    queue = deque([start])
    while queue:
        r = queue.popleft()
        for c in range(n_cols):
            if c in prev_col or not can[r, c] or extra[r, c] == 1:
                continue
            prev_col[c] = (r, 0)
            if col_need[c] - extra[:, c].sum() > 0:
                # walk back, alternating add / remove
                while True:
                    rr, _ = prev_col[c]
                    extra[rr, c] = 1
                    back = prev_row[rr]
                    if back == -1:
                        return True
                    extra[rr, back] = 0
                    c = back
            # continue through rows that already use column c
            for r2 in range(n_rows):
                if r2 not in prev_row and extra[r2, c] == 1:
                    prev_row[r2] = c
                    queue.append(r2)
    return False


# -- target decomposition -------------------------------------------------------------
@dataclass(frozen=True)
class ProductLine:
    """One product line of the plan: its share of the target and its margin class."""

    name: str
    share: float
    high_margin: bool = False
    new_share: float = 0.3  # share of this line's target expected from new customers


def quarter_phasing(q1: float = 0.20, q4: float = 0.25) -> tuple[float, float, float, float]:
    """Quarter shares: Q1 and Q4 as given, Q2 and Q3 split the rest equally.

    The course's example: Q1 delivers 20% while the customer reserve is built, and
    Q2-Q3 carry the conversion to signed contracts.
    """
    rest = 1.0 - q1 - q4
    if q1 < 0 or q4 < 0 or rest < 0:
        raise DataError(
            "phasing: Q1 and Q4 shares must be >= 0 and leave something for Q2-Q3",
            [Problem("phasing", None, "q1+q4", f"{q1:.0%} + {q4:.0%} = {q1 + q4:.0%}; "
                     "lower one of them so they add up to at most 100%")],
        )
    return (q1, rest / 2, rest / 2, q4)


@dataclass(frozen=True)
class TargetPlan:
    """An annual target decomposed by month, product line and new vs existing customers.

    ``detail`` has one row per (month, line, segment): columns ``quarter``, ``month``,
    ``line``, ``segment``, ``high_margin`` and ``target`` (int).
    """

    annual: int
    quarter_shares: tuple[float, ...]
    detail: pd.DataFrame = field(repr=False)

    def by_quarter(self) -> pd.Series:
        return self.detail.groupby("quarter")["target"].sum()

    def by_month(self) -> pd.Series:
        return self.detail.groupby("month")["target"].sum()

    def by_line(self) -> pd.Series:
        return self.detail.groupby("line", sort=False)["target"].sum()

    def by_segment(self) -> pd.Series:
        return self.detail.groupby("segment", sort=False)["target"].sum()

    def monthly_table(self) -> pd.DataFrame:
        """Months as rows, product lines as columns, plus the month total and running total."""
        table = self.detail.pivot_table(index="month", columns="line", values="target",
                                        aggfunc="sum", sort=False)
        table["total"] = table.sum(axis=1)
        table["cumulative"] = table["total"].cumsum()
        table.insert(0, "quarter", [QUARTER_OF_MONTH[m] for m in table.index])
        return table

    @property
    def high_margin_share(self) -> float:
        if self.annual == 0:
            return 0.0
        return float(self.detail.loc[self.detail["high_margin"], "target"].sum() / self.annual)

    @property
    def new_share(self) -> float:
        if self.annual == 0:
            return 0.0
        return float(self.detail.loc[self.detail["segment"] == "new", "target"].sum() / self.annual)


DEFAULT_LINES = (
    ProductLine("job_ads", 0.45, high_margin=False, new_share=0.25),
    ProductLine("campus", 0.15, high_margin=False, new_share=0.35),
    ProductLine("branding", 0.20, high_margin=True, new_share=0.30),
    ProductLine("assessment", 0.20, high_margin=True, new_share=0.40),
)


def decompose_target(
    annual: int,
    lines: Sequence[ProductLine] = DEFAULT_LINES,
    quarter_shares: Sequence[float] = (0.20, 0.27, 0.28, 0.25),
    month_weights: Sequence[float] = (1.0, 1.0, 1.0),
) -> TargetPlan:
    """Decompose an annual target into month x product line x new/existing, exactly.

    ``quarter_shares`` (summing to 1) phase the year; ``month_weights`` split each
    quarter over its three months (e.g. ``(0.3, 0.3, 0.4)`` for a quarter-end push).
    Every cell is an integer; the month totals, quarter totals, line totals and the
    new/existing totals of each line all add up to ``annual``.
    """
    if not isinstance(annual, int | np.integer) or annual < 0:
        raise DataError("annual target must be a whole, non-negative amount",
                        [Problem("target", None, "annual", f"got {annual!r}; give e.g. 8000000")])
    annual = int(annual)
    _check_shares("quarter_shares", quarter_shares, 4)
    if len(month_weights) != 3 or any(w < 0 for w in month_weights) or sum(month_weights) <= 0:
        raise DataError("month weights: three non-negative weights, one per month of a quarter",
                        [Problem("target", None, "month_weights", f"got {list(month_weights)}")])
    if not lines:
        raise DataError("a plan needs at least one product line",
                        [Problem("target", None, "lines", "got none; list the product lines")])
    _check_shares("lines.share", [ln.share for ln in lines], len(lines))
    for ln in lines:
        if not 0 <= ln.new_share <= 1:
            raise DataError("new-customer share must be between 0 and 1",
                            [Problem("target", None, f"lines.{ln.name}.new_share",
                                     f"got {ln.new_share}; use e.g. 0.3 for 30%")])

    # annual -> quarters -> months, each step exact, so a quarter's target is the
    # nearest whole amount to its share and its months add up to it
    quarter_parts = allocate(annual, quarter_shares) if annual else [0] * 4
    month_parts = [m for q in quarter_parts
                   for m in (allocate(q, month_weights) if q else [0, 0, 0])]
    # rows: (line, segment); the share of each row is line share x segment share
    rows = [(ln, seg) for ln in lines for seg in SEGMENTS]
    row_w = [ln.share * (ln.new_share if seg == "new" else 1 - ln.new_share) for ln, seg in rows]
    if annual == 0:
        cells = np.zeros((len(rows), 12), dtype=np.int64)
    else:
        row_parts = allocate(annual, row_w)
        ideal = np.outer(row_parts, month_parts) / annual
        cells = round_matrix(ideal, row_parts, month_parts)
    records = []
    for r, (ln, seg) in enumerate(rows):
        for m in MONTHS:
            records.append((QUARTER_OF_MONTH[m], m, ln.name, seg, ln.high_margin, int(cells[r, m - 1])))
    detail = pd.DataFrame(records, columns=["quarter", "month", "line", "segment", "high_margin", "target"])
    return TargetPlan(annual, tuple(float(q) for q in quarter_shares), detail)


def _check_shares(name: str, shares: Sequence[float], n: int) -> None:
    if len(shares) != n or any((not math.isfinite(s)) or s < 0 for s in shares) \
            or abs(sum(shares) - 1.0) > 1e-6:
        raise DataError(f"{name}: {n} non-negative shares that add up to 100%",
                        [Problem("target", None, name,
                                 f"got {list(shares)} (sum {sum(shares):.3f}); make them add up to 1")])


# -- goal quality ----------------------------------------------------------------------
VAGUE_WORDS = ("improve", "better", "more", "increase", "boost", "grow", "enhance",
               "提升", "提高", "加强", "更好", "增加")
GROUP_OWNERS = ("team", "everyone", "all", "we", "us", "department", "sales", "团队", "大家",
                "全体", "部门", "我们")


@dataclass(frozen=True)
class Goal:
    """A structured goal, as a goal worksheet asks for it."""

    what: str
    measure: str = ""
    target: float | None = None
    owner: str = ""
    deadline: date | None = None
    baseline: float | None = None  # where the owner stands today, same measure


@dataclass(frozen=True)
class GoalFinding:
    rule: str  # clear | measurable | individual | realistic
    passed: bool
    key: str  # catalog key of the explanation
    values: Mapping[str, object] = field(default_factory=dict)


def check_goal(goal: Goal, today: date, max_growth: float = 0.5,
               horizon_days: int = 366) -> list[GoalFinding]:
    """Check a goal against the course's four properties; one finding per rule.

    - clear: says what, how much and by when (the three dimensions);
    - measurable: names a measure and a number;
    - individual: one named owner, not a group;
    - realistic: within ``max_growth`` of the baseline and a deadline in the future
      but inside ``horizon_days`` (a goal beyond the year is a vision, not a plan).
    """
    out: list[GoalFinding] = []
    missing = [name for name, ok in (("what", bool(goal.what.strip())),
                                     ("target", goal.target is not None),
                                     ("deadline", goal.deadline is not None)) if not ok]
    # a vague verb is only a problem when no measure says what it means
    words = set(re.findall(r"[a-z]+", goal.what.lower()))
    vague = [w for w in VAGUE_WORDS if (w in words if w.isascii() else w in goal.what)] \
        if not goal.measure.strip() else []
    if missing:
        out.append(GoalFinding("clear", False, "goals.check.clear_missing",
                               {"missing": ", ".join(missing)}))
    elif vague:
        out.append(GoalFinding("clear", False, "goals.check.clear_vague", {"word": vague[0]}))
    else:
        out.append(GoalFinding("clear", True, "goals.check.clear_ok", {}))

    if not goal.measure.strip() or goal.target is None:
        out.append(GoalFinding("measurable", False, "goals.check.measurable_missing", {}))
    else:
        out.append(GoalFinding("measurable", True, "goals.check.measurable_ok",
                               {"measure": goal.measure, "target": goal.target}))

    owner = goal.owner.strip()
    words = set(re.findall(r"[a-z]+", owner.lower()))
    group = (any(w in words if w.isascii() else w in owner for w in GROUP_OWNERS)
             or "and" in words or "," in owner or "、" in owner or "/" in owner)
    if not owner:
        out.append(GoalFinding("individual", False, "goals.check.individual_missing", {}))
    elif group:
        out.append(GoalFinding("individual", False, "goals.check.individual_group", {"owner": owner}))
    else:
        out.append(GoalFinding("individual", True, "goals.check.individual_ok", {"owner": owner}))

    if goal.deadline is not None and goal.deadline <= today:
        out.append(GoalFinding("realistic", False, "goals.check.realistic_past",
                               {"deadline": goal.deadline.isoformat()}))
    elif goal.deadline is not None and (goal.deadline - today).days > horizon_days:
        out.append(GoalFinding("realistic", False, "goals.check.realistic_far",
                               {"deadline": goal.deadline.isoformat(), "days": horizon_days}))
    elif goal.baseline is not None and goal.target is not None and goal.baseline > 0 \
            and goal.target > goal.baseline * (1 + max_growth):
        out.append(GoalFinding("realistic", False, "goals.check.realistic_stretch",
                               {"growth": f"{goal.target / goal.baseline - 1:.0%}",
                                "limit": f"{max_growth:.0%}"}))
    else:
        out.append(GoalFinding("realistic", True, "goals.check.realistic_ok", {}))
    return out


# -- plan vs actual --------------------------------------------------------------------
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
