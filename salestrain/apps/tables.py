"""Tables a learner reads: headers in the learner's language, money, percent and counts
formatted as that language writes them, never a pandas repr.

Lessons and case notebooks show data with :func:`show_table` instead of leaving a
DataFrame as a cell's last line (which shows column codes, raw floats such as 0.866667
and ``Name: x, dtype: int64``)::

    show_table(pipeline.head(), {"account": {"en": "Account", "zh_CN": "客户"},
                                 "stage": {"en": "Stage", "zh_CN": "阶段"}},
               formats={"amount": "money"}, values={"stage": STAGE_PREFIX})

where ``STAGE_PREFIX`` is the funnel catalog's prefix of stage labels (``funnel`` then ``stage``).

``columns`` maps each shown column (in order) to a catalog key or a ``{en:, zh_CN:}``
text; ``formats`` names a column's kind; ``values`` names the catalog prefix whose
``PREFIX.<value>`` translates a column's codes (a code without a message shows as is).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from salestrain.base.formats import format_date, format_money, format_number, format_percent
from salestrain.base.i18n import Text, has_key, t

__all__ = ["FORMATS", "format_cell", "label", "show_table", "table_html"]

FORMATS = ("text", "money", "compact_money", "percent", "number", "decimal", "date")
INDEX = "__index__"  # a columns entry for the frame's index (shown first)


def label(text: str | Mapping[str, str]) -> str:
    """A catalog key or a ``{en:, zh_CN:}`` mapping, in the session's language."""
    return t(Text(dict(text))) if isinstance(text, Mapping) else t(text)


def format_cell(value: Any, kind: str = "text", codes: str | None = None) -> str:
    """One cell as text: ``kind`` is one of :data:`FORMATS`; ``codes`` a catalog prefix."""
    if kind not in FORMATS:
        raise ValueError(f"unknown table format {kind!r}; use one of: {', '.join(FORMATS)}")
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "–"
    if kind == "money":
        return format_money(float(value), compact=False)
    if kind == "compact_money":
        return format_money(float(value))
    if kind == "percent":
        return format_percent(float(value))
    if kind == "number":
        return format_number(round(float(value)))
    if kind == "decimal":
        return format_number(float(value), decimals=1)
    if kind == "date":
        day = value.date() if isinstance(value, dt.datetime | pd.Timestamp) else value
        return format_date(day)
    if isinstance(value, bool | np.bool_):
        return t("lessons.yes") if value else t("lessons.no")
    text = str(value)
    if codes and has_key(f"{codes}.{text}"):
        return t(f"{codes}.{text}")
    return text


def table_html(frame: pd.DataFrame | pd.Series, columns: Mapping[str, str | Mapping[str, str]],
               formats: Mapping[str, str] | None = None, values: Mapping[str, str] | None = None,
               caption: str | Mapping[str, str] | None = None) -> str:
    """The table as HTML (escaped): only ``columns``, labelled and formatted."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    formats = dict(formats or {})
    values = dict(values or {})
    missing = [c for c in columns if c != INDEX and c not in frame.columns]
    if missing:
        raise KeyError(f"show_table: no column {missing[0]!r}; the table has {list(frame.columns)}")
    numeric = {"money", "compact_money", "percent", "number", "decimal"}

    def align(col: str) -> str:
        return "right" if formats.get(col, "text") in numeric else "left"

    head = "".join(f'<th style="padding:2px 10px;text-align:{align(c)};border-bottom:1px solid #888">'
                   f"{html.escape(label(text))}</th>" for c, text in columns.items())
    rows = []
    for key, row in frame.iterrows():
        cells = []
        for col in columns:
            value = key if col == INDEX else row[col]
            shown = format_cell(value, formats.get(col, "text"), values.get(col))
            cells.append(f'<td style="padding:2px 10px;text-align:{align(col)}">{html.escape(shown)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    top = f"<caption style='text-align:left;font-weight:600'>{html.escape(label(caption))}</caption>" \
        if caption else ""
    return (f'<table class="salestrain-table" style="border-collapse:collapse;font-size:95%">{top}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


class _Table:
    """Displays as the HTML table (and as plain text, for a terminal or nbval)."""

    def __init__(self, markup: str, plain: str) -> None:
        self.markup, self.plain = markup, plain

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.plain


def show_table(frame: pd.DataFrame | pd.Series, columns: Mapping[str, str | Mapping[str, str]],
               formats: Mapping[str, str] | None = None, values: Mapping[str, str] | None = None,
               caption: str | Mapping[str, str] | None = None) -> _Table:
    """A table to leave as a cell's last line (see the module's docstring)."""
    markup = table_html(frame, columns, formats, values, caption)
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    lines = ["\t".join(label(text) for text in columns.values())]
    for key, row in frame.iterrows():
        lines.append("\t".join(format_cell(key if c == INDEX else row[c], (formats or {}).get(c, "text"),
                                           (values or {}).get(c)) for c in columns))
    return _Table(markup, "\n".join(lines))
