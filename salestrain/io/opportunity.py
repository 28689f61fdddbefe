"""Reading an opportunity table (the opportunity view's input), and the shipped sample.

One row per opportunity: ``opp_id, customer, rep, project, potential, strategic, amount,
win_rate, stage, hours`` (the table kind :data:`salestrain.io.schemas.OPPORTUNITIES`).
:func:`validate_opportunities` is the one way in: the table grammar parses every cell, then
:func:`salestrain.core.strategy.opportunity.check_rows` adds the sales checks (a stage of
the funnel, one potential and one strategic value per customer); every problem names the
line, the column, the bad value and the fix.

The sample is a fictional region in eastern China; ``opportunities.zh_CN.csv`` beside it
holds the same rows with the companies, reps and projects in Chinese.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from salestrain.base.i18n import get_language, resolve, t
from salestrain.base.tables import ProblemSet, read_text_table
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages
from salestrain.core.strategy.opportunity import check_rows
from salestrain.io.schemas import OPPORTUNITIES

DATA = resources.files("salestrain") / "data" / "strategy"
SAMPLE = "opportunities.csv"


def sample_path(lang: str | None = None) -> Path:
    """The sample in ``lang`` (the session's language by default), English when none is there."""
    language = get_language() if lang is None else resolve(lang)
    english = Path(str(DATA / SAMPLE))
    localised = english.with_name(f"{english.stem}.{language}.csv")
    return localised if localised.exists() else english


def _headline(source: str):
    def headline(count: int, shown: int, extra: int) -> str:
        text = t("opportunity.error.table", source=source, count=count)
        return text + (" " + t("opportunity.error.more", count=extra) if extra else "")
    return headline


def validate_opportunities(df: pd.DataFrame, source: str = "opportunities", *, header_lines: int = 1,
                           stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """A clean opportunity table from a raw one (text cells), or a ``DataError``."""
    problems = ProblemSet(source, first_line=header_lines + 1)
    typed = OPPORTUNITIES.parse(OPPORTUNITIES.rename(df), problems)
    clean = check_rows(typed, problems, stages)
    problems.raise_if_any(_headline(source))
    clean["strategic"] = clean["strategic"].astype(int)
    return clean


def read_opportunities(path: str | Path, stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """A checked opportunity table from a CSV file."""
    raw = read_text_table(path, str(path), needs=t("opportunity.error.needs_rows"))
    return validate_opportunities(raw, str(path), stages=stages)


def sample_opportunities(lang: str | None = None) -> pd.DataFrame:
    """The shipped fictional region (30 opportunities), named in ``lang``."""
    path = sample_path(lang)
    return read_opportunities(path)
