"""Reading pipeline and history tables: the table grammar, then the funnel's own checks.

:func:`read_pipeline` is the one function other modules call to get a clean
pipeline (the coaching module for a rep's weak stage, the cases for a post-mortem);
:func:`validate_pipeline` does the same for a DataFrame (a case exhibit, a test).
Cells are parsed by the schemas in :mod:`salestrain.io.schemas` (vectorised: a 1M-deal
CRM export is checked in about the time pandas takes to read it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import pandas as pd

from salestrain.base.errors import DataError
from salestrain.base.i18n import get_language, resolve, t
from salestrain.base.tables import DATE_ORDERS, ProblemSet, read_text_table
from salestrain.core.funnel.history import apply_history_stages
from salestrain.core.funnel.pipeline import apply_stages
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages
from salestrain.io.sample_names import load_sample_names
from salestrain.io.schemas import HISTORY, PIPELINE

DATA = resources.files("salestrain") / "data" / "funnel"
SAMPLE_PIPELINE = "sample_pipeline.csv"
SAMPLE_HISTORY = "sample_history.csv"
MALFORMED_PIPELINE = "malformed_pipeline.csv"
SAMPLE_NAMES = "sample_names.yaml"  # the samples' accounts and reps in Chinese
NAMED_COLUMNS = ("account", "owner")


def data_path(name: str) -> Path:
    return Path(str(DATA / name))


def _read_csv(path: str | Path, source: str, needs_key: str = "funnel.error.needs_pipeline") -> pd.DataFrame:
    """The table as text; ``needs_key`` says what an empty file should have held."""
    return read_text_table(path, source, needs=t(needs_key))


def check_date_format(date_format: str | None) -> None:
    """``None``, ``"dmy"``, ``"mdy"`` or a strptime pattern (it must contain a ``%``)."""
    if date_format is not None and date_format not in DATE_ORDERS and "%" not in date_format:
        raise DataError(t("core.table.bad_date_format", value=date_format))


def _headline(source: str):
    def headline(count: int, shown: int, extra: int) -> str:
        if extra:
            return t("funnel.error.table_more", source=source, count=count, shown=shown,
                     extra=extra)
        return t("funnel.error.table", source=source, count=count)
    return headline


def validate_pipeline(df: pd.DataFrame, stages: Stages = DEFAULT_STAGES,
                      mapping: Mapping[str, str] | None = None, source: str = "pipeline",
                      header_lines: int = 1, date_format: str | None = None) -> pd.DataFrame:
    """Check a raw pipeline table and return a clean copy, or raise ``DataError``.

    The clean table has canonical stage names, float amounts, datetime dates, a
    ``probability`` column (the override where given, else the stage's), ``override``
    and a ``category`` column. Every problem names the line (as in the CSV file), the
    column, the bad value and the fix; the first 20 are listed, with the count of all.
    CRM exports with other column names pass a ``mapping`` ``{their name: our name}``.
    """
    check_date_format(date_format)
    problems = ProblemSet(source, first_line=header_lines + 1)
    typed = PIPELINE.parse(PIPELINE.rename(df, mapping), problems, date_format)
    out = apply_stages(typed, stages, problems)
    problems.raise_if_any(_headline(source))
    return out


def validate_history(df: pd.DataFrame, stages: Stages = DEFAULT_STAGES,
                     source: str = "history", date_format: str | None = None) -> pd.DataFrame:
    """Check a history table; return it with canonical stage names, sorted by deal and date."""
    check_date_format(date_format)
    problems = ProblemSet(source, first_line=2)
    typed = HISTORY.parse(df, problems, date_format)
    out = apply_history_stages(typed, stages, problems)
    problems.raise_if_any(_headline(source))
    return out


def read_pipeline(path: str | Path, stages: Stages = DEFAULT_STAGES,
                  mapping: Mapping[str, str] | None = None,
                  date_format: str | None = None) -> pd.DataFrame:
    """A clean, validated pipeline from a CSV file (``DataError`` naming line and column).

    Reader notes (a GBK file) are kept in ``attrs["salestrain_notes"]`` of the result.
    """
    check_date_format(date_format)
    raw = _read_csv(path, str(path))
    out = validate_pipeline(raw, stages, mapping, source=str(path), date_format=date_format)
    out.attrs.update(raw.attrs)
    return out


def read_history(path: str | Path, stages: Stages = DEFAULT_STAGES,
                 date_format: str | None = None) -> pd.DataFrame:
    raw = _read_csv(path, str(path), "funnel.error.needs_history")
    out = validate_history(raw, stages, source=str(path), date_format=date_format)
    out.attrs.update(raw.attrs)
    return out


def _chinese_names() -> dict[str, str]:
    return load_sample_names(data_path(SAMPLE_NAMES))


def sample_names(lang: str | None = None) -> dict[str, str]:
    """``{English name: name shown}`` for the samples' accounts and reps in ``lang``
    (the session's language by default): empty in English, the Chinese names in zh_CN."""
    language = get_language() if lang is None else resolve(lang)
    return dict(_chinese_names()) if language == "zh_CN" else {}


def sample_name(english: str, lang: str | None = None) -> str:
    """One sample account or rep as the samples name it in ``lang``:
    ``sample_name("Wang Jun")`` is "Wang Jun" in English and "王军" in Chinese."""
    return sample_names(lang).get(english, english)


def localise_names(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The sample table with its account and owner names in ``lang`` (a name the map does
    not know stays as it is)."""
    names = sample_names(lang)
    if not names:
        return table
    out = table.copy()
    for column in NAMED_COLUMNS:
        if column in out.columns:
            out[column] = out[column].map(lambda name: names.get(name, name))
    return out


def sample_pipeline(stages: Stages = DEFAULT_STAGES, lang: str | None = None) -> pd.DataFrame:
    """The shipped synthetic pipeline (60 deals of invented accounts, month 2026-12).

    Accounts and owners are named in ``lang`` (the session's language by default); the
    CSV itself holds the English names.
    """
    return localise_names(read_pipeline(data_path(SAMPLE_PIPELINE), stages), lang)


def sample_history(stages: Stages = DEFAULT_STAGES, lang: str | None = None) -> pd.DataFrame:
    """The shipped synthetic history (its true rates are ``synthetic.TRUTH``), names in
    ``lang`` like :func:`sample_pipeline`."""
    return localise_names(read_history(data_path(SAMPLE_HISTORY), stages), lang)


def write_samples(folder: str | Path) -> list[Path]:
    """(Re)write the shipped sample files from the seeded generator.

    The package's CSVs are exactly this output (a test checks it), so anyone can see
    where they came from and regenerate them.
    """
    from salestrain.core.funnel.synthetic import synthetic_history, synthetic_pipeline

    pipeline = synthetic_pipeline()
    return write_sample_tables(folder, ((SAMPLE_PIPELINE, pipeline), (SAMPLE_HISTORY, synthetic_history()),
                                        (MALFORMED_PIPELINE, malformed_pipeline(pipeline))))


def write_sample_tables(folder: str | Path, tables: Iterable[tuple[str, pd.DataFrame]]) -> list[Path]:
    """Write generated sample tables as CSV into ``folder``, each whole or not at all."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables:
        path = folder / name
        tmp = path.with_suffix(".tmp")
        table.to_csv(tmp, index=False, lineterminator="\n")
        tmp.replace(path)  # never leave a half-written file behind
        written.append(path)
    return written


def malformed_pipeline(pipeline: pd.DataFrame) -> pd.DataFrame:
    """The first eight sample deals with the mistakes CRM exports really contain."""
    bad = pipeline.head(8).copy().astype(object)
    bad.loc[1, "stage"] = "closing"  # not a stage of this funnel
    bad.loc[2, "amount"] = "-45000"  # negative
    bad.loc[3, "amount"] = ""  # missing
    bad.loc[4, "expected_close"] = "31/02/2026"  # no such date
    bad.loc[6, "deal_id"] = bad.loc[5, "deal_id"]  # duplicate id
    return bad


def read_pipeline_bytes(content: bytes, name: str, stages: Stages = DEFAULT_STAGES,
                        mapping: Mapping[str, str] | None = None,
                        date_format: str | None = None) -> pd.DataFrame:
    """Like :func:`read_pipeline`, for an uploaded file's bytes (any encoding it reads)."""
    import io as _io

    raw = _read_csv(_io.BytesIO(content), name)
    out = validate_pipeline(raw, stages, mapping, source=name, date_format=date_format)
    out.attrs.update(raw.attrs)
    return out
