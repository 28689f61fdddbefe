"""Class debrief: each table's agreement from a human-vs-human role play, ranked.

The trainer gives one row per table (pair): a ``table`` name and, for every issue, the
option the pair agreed on (its label, ignoring case and spaces, or its number counted
from 1); a row whose issue cells are all empty, or whose ``agreement`` column says
no, is a table that walked away. Each table is placed in utility space and ranked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.core.negotiation.analysis import distance_to_frontier, nash_product
from salestrain.core.negotiation.domain import BUYER, SELLER, Domain, Issue

NO_WORDS = {"no", "n", "false", "0", "none", "no deal", "walked away", "否", "无"}
RANK_BY = ("joint", "seller", "buyer")


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _option(issues: Sequence[Issue], j: int, cell: object) -> int | None:
    issue = issues[j]
    text = _norm(cell)
    for k, label in enumerate(issue.options):
        if _norm(label) == text:
            return k
    if re.fullmatch(r"\d+(\.0)?", text):
        number = int(float(text))
        if 1 <= number <= len(issue.options):
            return number - 1
    return None


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, float) and np.isnan(cell)) or _norm(cell) == ""


def table_deals(issues: Sequence[Issue], table: pd.DataFrame,
                source: str = "table") -> list[tuple[str, tuple[int, ...] | None]]:
    """Each table's name and agreed deal (one option index per issue; None: no deal), from
    a class sheet; every bad cell is named in one DataError."""
    cols = {_norm(c): c for c in table.columns}
    problems: list[Problem] = []
    names = [i.name for i in issues]
    missing = [n for n in ["table", *names] if n not in cols]
    if missing:
        raise DataError(t("negotiation.error.missing_columns", source=source), [Problem(
            source, 1, ", ".join(missing),
            t("negotiation.error.fix_columns", issues=", ".join(names),
              found=", ".join(map(str, table.columns))))])
    rows = []
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        values = dict(zip(table.columns, row, strict=True))
        name = str(values[cols["table"]]).strip()
        cells = [values[cols[n]] for n in names]
        said_no = "agreement" in cols and _norm(values[cols["agreement"]]) in NO_WORDS
        if said_no or all(_empty(c) for c in cells):
            rows.append((name, None))
            continue
        deal = []
        for j, (n, cell) in enumerate(zip(names, cells, strict=True)):
            k = None if _empty(cell) else _option(issues, j, cell)
            if k is None:
                options = "; ".join(f"{m + 1}={o}" for m, o in enumerate(issues[j].options))
                what = (t("negotiation.error.empty_cell") if _empty(cell)
                        else t("negotiation.error.not_an_option", value=cell, issue=n))
                problems.append(Problem(source, line, n, t("negotiation.error.bad_cell", table=name,
                                                           what=what, options=options)))
            deal.append(k)
        rows.append((name, None if None in deal else tuple(deal)))
    if problems:
        raise DataError(t("negotiation.error.table", source=source, count=len(problems)), problems)
    return rows


def class_debrief(domain: Domain, table: pd.DataFrame, source: str = "table",
                  rank_by: str = "joint") -> pd.DataFrame:
    """One row per table: the deal, both utilities and advantages, the Nash product,
    the distance to the Pareto frontier, the discount, and the rank (1 = best).

    Bad cells raise one DataError listing every problem as ``source:line: column``
    (line counts the CSV header as line 1).
    """
    if rank_by not in RANK_BY:
        raise DataError(t("negotiation.error.bad_rank_by", choices=", ".join(RANK_BY), value=rank_by))
    rows = [(name, None if deal is None else domain.index_of(deal))
            for name, deal in table_deals(domain.issues, table, source)]
    u, r = domain.utilities, domain.reservations
    records = []
    for name, k in rows:
        if k is None:
            records.append({"table": name, "agreement": False, "deal": None,
                            "u_seller": r[SELLER], "u_buyer": r[BUYER], "adv_seller": 0.0,
                            "adv_buyer": 0.0, "nash_product": 0.0, "pareto_distance": np.nan,
                            "discount": np.nan})
            continue
        us, ub = float(u[k, SELLER]), float(u[k, BUYER])
        disc = domain.discount_of(k)
        records.append({"table": name, "agreement": True, "deal": k, "u_seller": us, "u_buyer": ub,
                        "adv_seller": us - r[SELLER], "adv_buyer": ub - r[BUYER],
                        "nash_product": nash_product(domain, k),
                        "pareto_distance": distance_to_frontier(domain, (us, ub)),
                        "discount": np.nan if disc is None else disc})
    out = pd.DataFrame(records, columns=["table", "agreement", "deal", "u_seller", "u_buyer",
                                         "adv_seller", "adv_buyer", "nash_product",
                                         "pareto_distance", "discount"])
    out["deal"] = out["deal"].astype("Int64")
    key = {"joint": "nash_product", "seller": "adv_seller", "buyer": "adv_buyer"}[rank_by]
    out["rank"] = out[key].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", "table"]).reset_index(drop=True)
