"""Assessments as a table, the format of the CSV a manager fills in a spreadsheet.

One row per rep, date and rater: ``rep,date,rater,<item id>,<item id>,...`` with
``rater`` ``self`` or ``manager`` and scores on the instrument's scale (an empty cell is
an item not scored). Errors give the spreadsheet line (header = line 1) and column.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.base.tables import BLANK, OK, parse_dates, parse_numbers
from salestrain.core.coaching.assessment import Assessment, View, aggregate
from salestrain.core.coaching.instrument import RATERS, Instrument, Thresholds
from salestrain.core.coaching.matrix import place

KEY_COLUMNS = ("rep", "date", "rater")


def _suggest(name: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, options, n=1)
    if close:
        return t("coaching.error.did_you_mean", name=close[0])
    return t("coaching.error.item_columns", items=", ".join(options))


def check_assessment_table(table: pd.DataFrame, instrument: Instrument,
                           source: str = "assessments") -> pd.DataFrame:
    """Validate and normalise; returns rep/date/rater plus numeric item columns."""
    problems: list[Problem] = []
    columns = [str(c).strip() for c in table.columns]
    table = table.copy()
    table.columns = columns
    for col in KEY_COLUMNS:
        if col not in columns:
            problems.append(Problem(source, 1, col, t("coaching.error.missing_key_column", column=col,
                                                      columns=", ".join(KEY_COLUMNS))))
    items = instrument.item_ids
    for col in columns:
        if col not in KEY_COLUMNS and col not in items:
            problems.append(Problem(source, 1, col, t("coaching.error.unknown_column", column=col,
                                                      hint=_suggest(col, items))))
    if not any(c in items for c in columns):
        problems.append(Problem(source, 1, t("coaching.error.header"),
                                t("coaching.error.no_item_columns", items=", ".join(items))))
    if problems:
        raise DataError(t("coaching.error.table", source=source, count=len(problems)), problems)
    item_cols = [c for c in items if c in columns]
    out_rows = []
    seen: dict[tuple, int] = {}
    lo, hi = instrument.scale_min, instrument.scale_max
    # Cells through the one table grammar (base.tables): the same numbers and dates as
    # every other table; the loop below only words the problems.
    table = table.reset_index(drop=True)
    dates, date_codes = parse_dates(table["date"])
    scores = {col: parse_numbers(table[col]) for col in item_cols}
    for pos, (_, row) in enumerate(table.iterrows()):
        line = pos + 2
        rep = "" if pd.isna(row["rep"]) else str(row["rep"]).strip()
        if not rep:
            problems.append(Problem(source, line, "rep", t("coaching.error.empty_rep")))
        date = dates.iat[pos] if date_codes[pos] == OK else pd.NaT
        if pd.isna(date):
            problems.append(Problem(source, line, "date",
                                    t("coaching.error.not_a_date", value=repr(row["date"]))))
        rater = str(row["rater"]).strip().lower()
        if rater not in RATERS:
            problems.append(Problem(source, line, "rater",
                                    t("coaching.error.not_a_rater", value=repr(row["rater"]))))
        record = {"rep": rep, "date": None if pd.isna(date) else date.strftime("%Y-%m-%d"),
                  "rater": rater}
        scored = 0
        for col in item_cols:
            raw = row[col]
            values, codes = scores[col]
            if codes[pos] == BLANK:
                record[col] = float("nan")
                continue
            value = values[pos]
            if codes[pos] != OK:
                problems.append(Problem(source, line, col, t(
                    "coaching.error.not_a_score", value=repr(raw), lo=f"{lo:g}", hi=f"{hi:g}")))
            elif not lo <= value <= hi:
                problems.append(Problem(source, line, col, t(
                    "coaching.error.score_out_of_range", value=f"{value:g}", lo=f"{lo:g}",
                    hi=f"{hi:g}")))
            else:
                scored += 1
            record[col] = float(value)
        if scored == 0 and not any(p.line == line for p in problems):
            problems.append(Problem(source, line, t("coaching.error.row"),
                                    t("coaching.error.no_score")))
        key = (rep, record["date"], rater)
        if key in seen:
            problems.append(Problem(source, line, t("coaching.error.row"),
                                    t("coaching.error.duplicate_row", line=seen[key])))
        seen.setdefault(key, line)
        out_rows.append(record)
    if problems:
        raise DataError(t("coaching.error.table", source=source, count=len(problems)), problems)
    return pd.DataFrame(out_rows, columns=[*KEY_COLUMNS, *item_cols])


def _scores(row: pd.Series | None, items: list[str]) -> dict[str, float]:
    if row is None:
        return {}
    return {i: float(row[i]) for i in items if i in row and not pd.isna(row[i])}


@dataclass(frozen=True)
class DatedAssessment:
    rep: str
    date: str
    assessment: Assessment


def assessments_from_table(table: pd.DataFrame, instrument: Instrument) -> list[DatedAssessment]:
    """One aggregated assessment per rep and date (self and manager rows combined),
    sorted by rep and date. ``table`` must have passed :func:`check_assessment_table`."""
    items = [c for c in instrument.item_ids if c in table.columns]
    out = []
    for (rep, date), group in table.groupby(["rep", "date"], sort=True):
        rows = {r["rater"]: r for _, r in group.iterrows()}
        out.append(DatedAssessment(str(rep), str(date), aggregate(
            instrument, _scores(rows.get("self"), items), _scores(rows.get("manager"), items))))
    return out


def progress(table: pd.DataFrame, instrument: Instrument, thresholds: Thresholds | None = None,
             view: View = "manager") -> pd.DataFrame:
    """Per rep and date: placed scores, self-manager gaps, quadrant style."""
    th = thresholds or instrument.thresholds
    rows = []
    for dated in assessments_from_table(table, instrument):
        a = dated.assessment
        p = place(a, th, view)
        rows.append({
            "rep": dated.rep, "date": dated.date,
            "capability": p.capability, "willingness": p.willingness,
            "capability_gap": a.capability.gap, "willingness_gap": a.willingness.gap,
            "style": p.style,
        })
    return pd.DataFrame(rows, columns=["rep", "date", "capability", "willingness",
                                       "capability_gap", "willingness_gap", "style"])


def latest(progress_table: pd.DataFrame) -> pd.DataFrame:
    """Each rep's most recent row."""
    return progress_table.sort_values(["rep", "date"]).groupby("rep").tail(1).set_index("rep")


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    return "".join(p[0].upper() for p in parts[:3]) or "?"
