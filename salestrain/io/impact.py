"""The inputs of ``salestrain impact``: a history, optionally a pipeline, read by the funnel
readers (so every bad cell is named by file line and column), and the shipped sample.

The discount of a won deal comes from a ``discount`` column (a share off the list price:
``0.08`` or ``8%``) in the history or in the pipeline export; the pipeline's wins when
both have one. Amounts come from the history's ``amount`` column, else the pipeline's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages
from salestrain.io.funnel import (
    data_path,
    localise_names,
    read_history,
    read_pipeline,
    write_sample_tables,
)

SAMPLE_IMPACT_HISTORY = "sample_impact_history.csv"
SAMPLE_IMPACT_DEALS = "sample_impact_deals.csv"


@dataclass(frozen=True)
class ImpactInputs:
    history: pd.DataFrame
    discounts: dict[str, float]
    amounts: dict[str, float]


def read_impact_inputs(history: str | Path, pipeline: str | Path | None = None,
                       stages: Stages = DEFAULT_STAGES,
                       date_format: str | None = None) -> ImpactInputs:
    table = read_history(history, stages, date_format=date_format)
    discounts: dict[str, float] = {}
    amounts: dict[str, float] = {}
    if pipeline is not None:
        deals = read_pipeline(pipeline, stages, date_format=date_format)
        ids = deals["deal_id"].astype(str)
        if "discount" in deals.columns:
            given = deals["discount"].notna()
            discounts = dict(zip(ids[given], deals.loc[given, "discount"].astype(float), strict=True))
        amounts = dict(zip(ids, deals["amount"].astype(float), strict=True))
    return ImpactInputs(table, discounts, amounts)


def is_sample(path: str | Path) -> bool:
    """True for the shipped sample history (its names are shown in the session's language)."""
    try:
        return Path(path).resolve() == data_path(SAMPLE_IMPACT_HISTORY).resolve()
    except OSError:
        return False


def localised(inputs: ImpactInputs, lang: str | None = None) -> ImpactInputs:
    """The sample's reps in ``lang`` (the funnel samples' name map)."""
    return ImpactInputs(localise_names(inputs.history, lang), inputs.discounts, inputs.amounts)


def write_impact_samples(folder: str | Path) -> list[Path]:
    """(Re)write the shipped impact sample from its seeded generator (a test checks that
    the package's files are exactly this output)."""
    from salestrain.core.funnel.impact_synthetic import synthetic_impact

    history, deals = synthetic_impact()
    return write_sample_tables(folder, ((SAMPLE_IMPACT_HISTORY, history), (SAMPLE_IMPACT_DEALS, deals)))
