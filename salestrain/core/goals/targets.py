"""Target decomposition: annual -> quarter -> month, by product line and new vs existing.

Money is counted in whole currency units (``int``) so a decomposed target reconciles
*exactly*: every quarter, month, product line and new/existing split adds back to the
annual number, not merely to within a rounding error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.core.goals.rounding import allocate, round_matrix

MONTHS = tuple(range(1, 13))
QUARTER_OF_MONTH = {m: (m - 1) // 3 + 1 for m in MONTHS}
SEGMENTS = ("new", "existing")


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
        # a negative share needs a different fix from two shares that are too large
        fix = "goals.error.fix_phasing_negative" if min(q1, q4) < 0 else "goals.error.fix_phasing_sum"
        raise DataError(
            t("goals.error.phasing"),
            [Problem("phasing", None, "q1+q4", t("goals.error.phasing_sum", q1=f"{q1:.0%}",
                                                  q4=f"{q4:.0%}", total=f"{q1 + q4:.0%}",
                                                  fix=t(fix)))],
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
        raise DataError(t("goals.error.annual"),
                        [Problem("target", None, "annual", t("goals.error.got", value=repr(annual),
                                                             fix=t("goals.error.fix_annual")))])
    annual = int(annual)
    _check_shares("quarter_shares", quarter_shares, 4)
    if len(month_weights) != 3 or any(w < 0 for w in month_weights) or sum(month_weights) <= 0:
        raise DataError(t("goals.error.month_weights"),
                        [Problem("target", None, "month_weights",
                                 t("goals.error.got", value=list(month_weights),
                                   fix=t("goals.error.fix_month_weights")))])
    if not lines:
        raise DataError(t("goals.error.no_lines"),
                        [Problem("target", None, "lines", t("goals.error.no_lines_fix"))])
    _check_shares("lines.share", [ln.share for ln in lines], len(lines))
    for ln in lines:
        if not 0 <= ln.new_share <= 1:
            raise DataError(t("goals.error.new_share"),
                            [Problem("target", None, f"lines.{ln.name}.new_share",
                                     t("goals.error.got", value=ln.new_share,
                                       fix=t("goals.error.fix_new_share")))])

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
        raise DataError(t("goals.error.shares", name=name, count=n),
                        [Problem("target", None, name,
                                 t("goals.error.shares_got", value=list(shares),
                                   total=f"{sum(shares):.3f}"))])
