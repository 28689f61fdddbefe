"""Calibration of stage probabilities against history: Brier score and reliability.

Every closed deal gives one forecast per open stage it reached (that stage's
probability) and one outcome (won = 1). A well-calibrated funnel has, for each
stage, a win share close to its probability.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.core.funnel.history import LOST, WON, outcomes


def forecast_outcome_pairs(history: pd.DataFrame, probabilities: Mapping[str, float]) -> pd.DataFrame:
    """One row per (closed deal, open stage it reached): stage, forecast, outcome."""
    out = outcomes(history)
    closed = out[out != "open"]
    rows = history[history["deal_id"].isin(closed.index)
                   & history["stage"].isin(list(probabilities))
                   & ~history["stage"].isin([WON, LOST])]
    rows = rows.drop_duplicates(["deal_id", "stage"])
    return pd.DataFrame({
        "deal_id": rows["deal_id"].to_numpy(),
        "stage": rows["stage"].to_numpy(),
        "forecast": rows["stage"].map(probabilities).to_numpy(dtype=float),
        "outcome": (rows["deal_id"].map(closed) == WON).to_numpy(dtype=float),
    })


@dataclass(frozen=True)
class Brier:
    """Brier score and Murphy's decomposition: score = reliability - resolution + uncertainty.

    ``reliability`` (lower is better) is the calibration error; ``resolution``
    (higher is better) is how well the forecasts separate winners from losers;
    ``uncertainty`` is the base rate's own variance, which no forecast changes.
    The identity is exact because forecasts are grouped by their distinct values.
    """

    score: float
    reliability: float
    resolution: float
    uncertainty: float
    n: int


def brier(forecasts, outcomes_) -> Brier:
    f = np.asarray(forecasts, dtype=float)
    o = np.asarray(outcomes_, dtype=float)
    if f.shape != o.shape or f.size == 0:
        raise ValueError("need as many forecasts as outcomes, at least one")
    n = f.size
    base = o.mean()
    score = float(np.mean((f - o) ** 2))
    values, inverse = np.unique(f, return_inverse=True)
    counts = np.bincount(inverse)
    hit = np.bincount(inverse, weights=o) / counts
    rel = float(np.sum(counts * (values - hit) ** 2) / n)
    res = float(np.sum(counts * (hit - base) ** 2) / n)
    return Brier(score, rel, res, float(base * (1 - base)), n)


def reliability_curve(pairs: pd.DataFrame, confidence: float = 0.9) -> pd.DataFrame:
    """Per stage: its forecast, the observed win share, n, and a Wilson interval."""
    # The normal quantile, imported here: scipy costs ~60 MB and 0.5 s at `import salestrain`.
    from scipy.special import ndtri

    z = float(ndtri(0.5 + confidence / 2))
    g = pairs.groupby("stage", sort=False)
    table = pd.DataFrame({"forecast": g["forecast"].first(), "observed": g["outcome"].mean(),
                          "n": g["outcome"].size()})
    n = table["n"].to_numpy(float)
    ph = table["observed"].to_numpy(float)
    centre = (ph + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    table["low"] = centre - half
    table["high"] = centre + half
    # The gap a trainer acts on: positive when the stage is called too optimistically.
    table["gap"] = table["forecast"] - table["observed"]
    return table


def most_miscalibrated(curve: pd.DataFrame) -> str:
    """The stage whose forecast is furthest from its observed win share, weighted by n
    (its contribution to the reliability term)."""
    contribution = curve["n"] * curve["gap"] ** 2
    return str(contribution.idxmax())


@dataclass(frozen=True)
class Calibration:
    """Stage probabilities checked against history (what the calibration app shows)."""

    probabilities: dict[str, float]
    curve: pd.DataFrame
    score: Brier
    worst_stage: str


def calibrate(history: pd.DataFrame, probabilities: Mapping[str, float]) -> Calibration:
    open_probs = {s: float(p) for s, p in probabilities.items() if p < 1.0}
    # Both are the learner's doing (an export of open deals only, or every slider
    # pushed to 100%), so they are DataErrors the apps show, not tracebacks.
    if not open_probs:
        raise DataError(t("funnel.error.no_open_stage"))
    pairs = forecast_outcome_pairs(history, open_probs)
    if pairs.empty:
        raise DataError(t("funnel.error.no_closed_deals"))
    curve = reliability_curve(pairs)
    return Calibration(open_probs, curve, brier(pairs["forecast"], pairs["outcome"]),
                       most_miscalibrated(curve))
