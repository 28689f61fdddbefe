"""Reading coaching tables from CSV files, and the shipped sample team.

The core (:mod:`salestrain.core.coaching`) checks tables; this shell only reads files and
turns unreadable ones into clear errors. Sample reps and companies are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import get_language, resolve, t
from salestrain.base.tables import read_text_table
from salestrain.core.coaching.instrument import Instrument
from salestrain.core.coaching.table import check_assessment_table
from salestrain.io.coaching.content import DATA_DIR, load_instrument
from salestrain.io.content import register_file_validator
from salestrain.io.sample_names import load_sample_names

SAMPLE_ASSESSMENTS = DATA_DIR / "team_assessments.csv"
SAMPLE_FUNNEL = DATA_DIR / "team_funnel.csv"
SAMPLE_WEEK = DATA_DIR / "week_tasks.csv"
SAMPLE_NAMES = DATA_DIR / "sample_names.yaml"  # the sample team's names in Chinese


def read_csv(path: str | Path) -> pd.DataFrame:
    """Every cell as text (scores are checked later, with their line and column)."""
    return read_text_table(path)


def read_assessments_csv(path: str | Path, instrument: Instrument | None = None) -> pd.DataFrame:
    """A checked assessment table (see :mod:`salestrain.core.coaching.table` for the format)."""
    return check_assessment_table(read_csv(path), instrument or load_instrument(), str(path))


def read_funnel_csv(path: str | Path) -> dict[str, pd.DataFrame]:
    """Per-rep stage counts from a ``rep,stage,entered,advanced`` file."""
    table = read_csv(path)
    if "rep" not in table.columns:
        raise DataError(t("coaching.error.missing_columns", source=str(path), missing="rep",
                          columns="rep, stage, entered, advanced"))
    return {str(rep): group.drop(columns="rep").reset_index(drop=True)
            for rep, group in table.groupby("rep", sort=False)}


def sample_instrument() -> Instrument:
    return load_instrument()


def sample_names(lang: str | None = None) -> dict[str, str]:
    """``{name in the CSV: name shown}`` for the sample team in ``lang`` (the session's
    language by default): empty in English, the Chinese names in zh_CN."""
    language = get_language() if lang is None else resolve(lang)
    return dict(load_sample_names(SAMPLE_NAMES)) if language == "zh_CN" else {}


def sample_name(name: str, lang: str | None = None) -> str:
    """How the sample rep ``name`` (as the CSV spells it, e.g. "Lin Qiao") is shown in
    ``lang``: lessons pick a sample rep this way, so their code runs in every language."""
    return sample_names(lang).get(name, name)


def sample_team(lang: str | None = None) -> pd.DataFrame:
    """Six fictional reps, each assessed by self and manager at the end of Q1 and Q2.

    The reps are named in ``lang`` (the session's language by default; see
    :func:`sample_names`); the CSV itself holds the English names.
    """
    table = read_assessments_csv(SAMPLE_ASSESSMENTS)
    names = sample_names(lang)
    if names:
        table = table.assign(rep=table["rep"].map(lambda rep: names.get(rep, rep)))
    return table


def sample_funnel(lang: str | None = None) -> dict[str, pd.DataFrame]:
    """Each sample rep's stage counts, keyed by the rep's name in ``lang`` like :func:`sample_team`."""
    names = sample_names(lang)
    return {names.get(rep, rep): counts for rep, counts in read_funnel_csv(SAMPLE_FUNNEL).items()}


def sample_week(lang: str | None = None) -> pd.DataFrame:
    """One fictional rep's week of tasks, with hours and important/urgent flags.

    The tasks are written in the learner's language (``week_tasks.<lang>.csv`` beside the
    English file, same hours and flags row by row), so a Chinese screen shows Chinese
    tasks; a language without its own file reads the English one.
    """
    localised = SAMPLE_WEEK.with_name(f"{SAMPLE_WEEK.stem}.{lang or get_language()}.csv")
    return read_csv(localised if localised.exists() else SAMPLE_WEEK)


# `salestrain validate` checks assessment tables with the same reader a trainer's import uses.
ASSESSMENT_HEADER = ("rep", "date", "rater")


@register_file_validator(".csv")
def validate_assessment_csv(path: Path) -> list[Problem] | None:
    """Assessment tables (header starting ``rep,date,rater``) against the shipped instrument."""
    try:
        with path.open(encoding="utf-8") as fh:
            header = [c.strip() for c in fh.readline().split(",")]
    except (OSError, UnicodeDecodeError):
        return None
    if tuple(header[:3]) != ASSESSMENT_HEADER:
        return None  # not an assessment file; another module may own it
    try:
        read_assessments_csv(path)
    except DataError as exc:
        return exc.problems or [Problem(str(path), None, t("content.field.file"), str(exc))]
    return []
