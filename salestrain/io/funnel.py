"""Reading pipeline and history tables from files (the shells' side of the core).

:func:`read_pipeline` is the one function other modules call to get a clean
pipeline (the coaching module for a rep's weak stage, the cases for a post-mortem).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pandas as pd

from salestrain.base.i18n import t
from salestrain.base.tables import read_text_table
from salestrain.core.funnel.history import validate_history
from salestrain.core.funnel.pipeline import validate_pipeline
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages

DATA = resources.files("salestrain") / "data" / "funnel"
SAMPLE_PIPELINE = "sample_pipeline.csv"
SAMPLE_HISTORY = "sample_history.csv"
MALFORMED_PIPELINE = "malformed_pipeline.csv"


def data_path(name: str) -> Path:
    return Path(str(DATA / name))


def _read_csv(path: str | Path, source: str, needs_key: str = "funnel.error.needs_pipeline") -> pd.DataFrame:
    """The table as text; ``needs_key`` says what an empty file should have held."""
    return read_text_table(path, source, needs=t(needs_key))


def read_pipeline(path: str | Path, stages: Stages = DEFAULT_STAGES,
                  mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A clean, validated pipeline from a CSV file (``DataError`` naming line and column)."""
    return validate_pipeline(_read_csv(path, str(path)), stages, mapping, source=str(path))


def read_history(path: str | Path, stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    return validate_history(_read_csv(path, str(path), "funnel.error.needs_history"), stages,
                            source=str(path))


def sample_pipeline(stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """The shipped synthetic pipeline (60 deals of invented accounts, month 2026-12)."""
    return read_pipeline(data_path(SAMPLE_PIPELINE), stages)


def sample_history(stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """The shipped synthetic history (its true rates are ``synthetic.TRUTH``)."""
    return read_history(data_path(SAMPLE_HISTORY), stages)


def write_samples(folder: str | Path) -> list[Path]:
    """(Re)write the shipped sample files from the seeded generator.

    The package's CSVs are exactly this output (a test checks it), so anyone can see
    where they came from and regenerate them.
    """
    from salestrain.core.funnel.synthetic import synthetic_history, synthetic_pipeline

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    pipeline = synthetic_pipeline()
    for name, table in ((SAMPLE_PIPELINE, pipeline), (SAMPLE_HISTORY, synthetic_history()),
                        (MALFORMED_PIPELINE, malformed_pipeline(pipeline))):
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
                        mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Like :func:`read_pipeline`, for an uploaded file's bytes."""
    import io as _io

    return validate_pipeline(_read_csv(_io.BytesIO(content), name), stages, mapping, source=name)
