"""The pipeline's sales logic: stages, probabilities and forecast categories.

A pipeline is a pandas DataFrame with the columns ``deal_id, account, stage, amount,
expected_close, owner`` and optionally ``probability`` (overrides the stage's),
``category`` (commit / best_case / pipeline / omitted) and ``created``. Reading and
checking its cells (numbers, dates, percentages, duplicate ids) is the table grammar's
job (:mod:`salestrain.io.schemas`, :func:`salestrain.io.funnel.validate_pipeline`); this
module applies what only the funnel knows, on already parsed columns, vectorised.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.base.tables import (  # TEXT: no object per cell
    TEXT,
    ProblemSet,
    distinct,
    map_text,
    take_text,
)
from salestrain.core.funnel.stages import CATEGORIES, DEFAULT_STAGES, Stages

# Column order in messages (a line's problems are listed left to right).
ORDER = {c: i for i, c in enumerate(("deal_id", "account", "stage", "amount", "expected_close",
                                     "owner", "probability", "category", "created"))}


def _norm(name: object) -> str:
    return " ".join(str(name).strip().lower().replace("_", " ").split())


def apply_stages(typed: pd.DataFrame, stages: Stages = DEFAULT_STAGES,
                 problems: ProblemSet | None = None) -> pd.DataFrame:
    """The clean pipeline from parsed columns: canonical stages, probabilities, categories.

    ``typed`` has text ``deal_id, account, stage, owner, category``, float ``amount`` and
    ``probability`` (NaN: none given), datetime ``expected_close`` and ``created``.
    Unknown stages and categories go to ``problems`` (raised at once when None).
    """
    own = problems is None
    problems = problems if problems is not None else ProblemSet("pipeline")
    raw_stage = typed["stage"]
    # Once per spelling, not per row: the stage's name, probability and category.
    codes, spellings = distinct(raw_stage)
    names = [stages.lookup(u) for u in spellings]
    canon = take_text(names, codes, raw_stage.index)
    unknown = np.array([n is None for n in names], dtype=bool)[codes]
    if unknown.any():
        listed = ", ".join(stages.names)
        problems.add(np.flatnonzero(unknown), "stage", lambda p: t(
            "funnel.error.unknown_stage", value=repr(raw_stage.iloc[p]), stages=listed),
            ORDER["stage"])
    stage_p = np.array([stages.probabilities.get(n, np.nan) if n is not None else np.nan
                        for n in names], dtype=float)[codes]
    given = (typed["probability"].to_numpy(dtype=float) if "probability" in typed
             else np.full(len(typed), np.nan))
    has = ~np.isnan(given)
    prob = np.where(has, given, stage_p)
    # Remember which deals carry their own probability: changing a stage's probability
    # (the app's sliders) must not overwrite a rep's explicit call.
    override = has & ~unknown & (given != stage_p)

    cat_of = {n: stages.category(n) for n in stages.names}
    category = take_text([cat_of.get(n, "pipeline") if n is not None else "pipeline"
                          for n in names], codes, raw_stage.index)
    if "category" in typed:
        raw_cat = typed["category"]
        wrote = (raw_cat != "").to_numpy(dtype=bool, na_value=False)
        norm = map_text(raw_cat, lambda u: _norm(u).replace(" ", "_"))
        valid = norm.isin(CATEGORIES).to_numpy()
        category = category.where(~(wrote & valid), norm)
        bad = wrote & ~valid
        if bad.any():
            cats = ", ".join(CATEGORIES)
            problems.add(np.flatnonzero(bad), "category", lambda p: t(
                "funnel.error.unknown_category", value=repr(raw_cat.iloc[p]), categories=cats),
                ORDER["category"])

    out = pd.DataFrame({
        "deal_id": typed["deal_id"].astype(TEXT),
        "account": typed["account"].astype(TEXT),
        "owner": typed["owner"].astype(TEXT),
        "stage": canon,  # Arrow text: a Python object per row would cost 60 MB per 1M
        "amount": typed["amount"].to_numpy(dtype=float),
        "expected_close": typed["expected_close"],
    }, copy=False)  # a dict of columns is copied by default: 1M rows, not needed
    if "created" in typed:
        out["created"] = typed["created"]
    if "discount" in typed:  # optional: a won deal's share off list price (salestrain impact)
        out["discount"] = typed["discount"].to_numpy(dtype=float)
    out["probability"] = prob
    out["override"] = override
    out["category"] = category
    if own:
        problems.raise_if_any(lambda count, shown, extra: t(
            "funnel.error.table", source=problems.source, count=count))
    return out


def in_period(pipeline: pd.DataFrame, month: str | None) -> pd.DataFrame:
    """Deals expected to close in ``month`` ("YYYY-MM"); all deals when None."""
    if month is None:
        return pipeline
    period = parse_month(month)
    closes = pipeline["expected_close"].dt.to_period("M")
    return pipeline[closes == period].reset_index(drop=True)


def parse_month(month: str) -> pd.Period:
    # Strict: pandas would read "December" as December of the current year.
    text = str(month).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}", text):
            raise ValueError(text)
        return pd.Period(text, freq="M")
    except (ValueError, TypeError):
        raise DataError(t("funnel.error.bad_month", value=repr(month))) from None
