"""The pipeline table: validation with one clear problem per bad row and column.

A pipeline is a pandas DataFrame with the columns ``deal_id, account, stage, amount,
expected_close, owner`` and optionally ``probability`` (overrides the stage's),
``category`` (commit / best_case / pipeline / omitted) and ``created``. CRM exports
with other column names pass a ``mapping`` ``{their name: our name}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.base.tables import is_blank
from salestrain.core.funnel.stages import CATEGORIES, DEFAULT_STAGES, Stages

REQUIRED = ("deal_id", "account", "stage", "amount", "expected_close", "owner")
OPTIONAL = ("probability", "category", "created")

# Spellings common in CRM exports; used when no explicit mapping is given.
COMMON_NAMES: dict[str, str] = {
    "id": "deal_id", "opportunity id": "deal_id", "opportunity": "deal_id", "deal": "deal_id",
    "account name": "account", "customer": "account", "company": "account",
    "sales stage": "stage", "stage name": "stage",
    "value": "amount", "deal value": "amount", "amount (cny)": "amount",
    "close date": "expected_close", "expected close date": "expected_close",
    "opportunity owner": "owner", "rep": "owner", "sales rep": "owner",
    "forecast category": "category", "created date": "created",
}

MAX_ROW_PROBLEMS = 50  # beyond this the file is probably the wrong file; say so


def _norm(name: object) -> str:
    return " ".join(str(name).strip().lower().replace("_", " ").split())


def _line(row_index: int, header_lines: int) -> int:
    # CSV line numbers as an editor shows them: header is line 1, first data row line 2.
    return row_index + header_lines + 1


def rename_columns(df: pd.DataFrame, mapping: Mapping[str, str] | None) -> pd.DataFrame:
    known = {_norm(c): c for c in (*REQUIRED, *OPTIONAL)}
    rename: dict[str, str] = {}
    explicit = {_norm(k): v for k, v in (mapping or {}).items()}
    for col in df.columns:
        key = _norm(col)
        if key in explicit:
            rename[col] = explicit[key]
        elif key in known:
            rename[col] = known[key]
        elif key in COMMON_NAMES:
            rename[col] = COMMON_NAMES[key]
    return df.rename(columns=rename)


def validate_pipeline(
    df: pd.DataFrame,
    stages: Stages = DEFAULT_STAGES,
    mapping: Mapping[str, str] | None = None,
    source: str = "pipeline",
    header_lines: int = 1,
) -> pd.DataFrame:
    """Check a raw pipeline table and return a clean copy, or raise ``DataError``.

    The clean table has canonical stage names, float amounts, datetime dates, a
    ``probability`` column (the override where given, else the stage's) and a
    ``category`` column. Every problem names the line (as in the CSV file), the
    column, the bad value and the fix.
    """
    df = rename_columns(df, mapping)
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns))
        raise DataError(
            t("funnel.error.missing_columns", source=source, columns=", ".join(missing)),
            [Problem(source, 1, c, t("funnel.error.no_column_rename", found=have, column=c))
             for c in missing],
        )

    out = pd.DataFrame(index=df.index)
    out["deal_id"] = df["deal_id"].astype("string").str.strip()
    out["account"] = df["account"].astype("string").str.strip()
    out["owner"] = df["owner"].astype("string").str.strip()

    def bad(i: int, column: str, message: str) -> None:
        problems.append(Problem(source, _line(i, header_lines), column, message))

    pos = {label: i for i, label in enumerate(df.index)}

    # deal ids: present and unique
    seen: dict[str, int] = {}
    for label, value in out["deal_id"].items():
        i = pos[label]
        if pd.isna(value) or value == "":
            bad(i, "deal_id", t("funnel.error.empty_id"))
        elif value in seen:
            bad(i, "deal_id", t("funnel.error.duplicate_id", value=repr(value),
                                line=_line(seen[value], header_lines)))
        else:
            seen[value] = i

    # stages: known names
    canon = []
    for label, value in df["stage"].items():
        name = stages.lookup(value) if not pd.isna(value) else None
        if name is None:
            bad(pos[label], "stage", t("funnel.error.unknown_stage", value=repr(value),
                                       stages=", ".join(stages.names)))
        canon.append(name)
    out["stage"] = canon

    # amounts: numbers >= 0 (thousands separators and currency signs are tolerated)
    amounts = []
    for label, value in df["amount"].items():
        amount = _parse_number(value)
        if amount is None:
            bad(pos[label], "amount", t("funnel.error.missing_amount") if is_blank(value)
                else t("funnel.error.not_a_number", value=repr(value)))
        elif amount < 0:
            bad(pos[label], "amount", t("funnel.error.negative_amount", value=repr(value)))
        amounts.append(np.nan if amount is None else amount)
    out["amount"] = np.asarray(amounts, dtype=float)

    out["expected_close"] = _dates(df["expected_close"], "expected_close", pos, bad, required=True)
    if "created" in df.columns:
        out["created"] = _dates(df["created"], "created", pos, bad, required=False)

    probs = []
    overrides = []
    has_override = "probability" in df.columns
    for k, (label, stage) in enumerate(zip(df.index, canon, strict=True)):
        p = stages.probability(stage) if stage is not None else np.nan
        if has_override and not is_blank(df["probability"].iloc[k]):
            raw = df["probability"].iloc[k]
            value = _parse_number(raw)
            if value is not None and isinstance(raw, str) and raw.strip().endswith("%"):
                value /= 100
            if value is None or not 0 <= value <= 1:
                bad(pos[label], "probability", t("funnel.error.bad_probability", value=repr(raw)))
            else:
                p = value
        overrides.append(p != stages.probability(stage) if stage is not None else False)
        probs.append(p)
    out["probability"] = np.asarray(probs, dtype=float)
    # Remember which deals carry their own probability: changing a stage's
    # probability (the app's sliders) must not overwrite a rep's explicit call.
    out["override"] = np.asarray(overrides, dtype=bool)

    cats = []
    for k, stage in enumerate(canon):
        cat = stages.category(stage) if stage is not None else "pipeline"
        if "category" in df.columns and not is_blank(df["category"].iloc[k]):
            raw = df["category"].iloc[k]
            value = _norm(raw).replace(" ", "_")
            if value not in CATEGORIES:
                bad(k, "category", t("funnel.error.unknown_category", value=repr(raw),
                                     categories=", ".join(CATEGORIES)))
            else:
                cat = value
        cats.append(cat)
    out["category"] = cats

    if problems:
        order = {c: i for i, c in enumerate((*REQUIRED, *OPTIONAL))}
        problems.sort(key=lambda p: (p.line or 0, order.get(p.field, 99)))
        shown = problems[:MAX_ROW_PROBLEMS]
        extra = len(problems) - len(shown)
        if extra:
            message = t("funnel.error.table_more", source=source, count=len(problems),
                        shown=len(shown), extra=extra)
        else:
            message = t("funnel.error.table", source=source, count=len(problems))
        raise DataError(message, shown)
    return out.reset_index(drop=True)




def _parse_number(value: object) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = str(value).strip().replace(",", "").replace("¥", "").replace("$", "").rstrip("%")
    try:
        return float(text)
    except ValueError:
        return None


def _dates(series: pd.Series, column: str, pos: dict, bad, required: bool) -> pd.Series:
    parsed = pd.to_datetime(series, errors="coerce", format="mixed")
    for label, raw in series.items():
        if pd.isna(parsed[label]):
            if is_blank(raw):
                if required:
                    bad(pos[label], column, t("funnel.error.missing_date"))
            else:
                bad(pos[label], column, t("funnel.error.not_a_date", value=repr(raw)))
    return parsed


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
