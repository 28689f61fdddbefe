"""Forecasts of a pipeline table: weighted, exact, Monte Carlo, and category roll-ups."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.core.funnel.exact import (
    LatticeDistribution,
    poisson_binomial_pmf,
    revenue_distribution,
)
from salestrain.core.funnel.montecarlo import MonteCarloResult, simulate, slip_probability
from salestrain.core.funnel.pipeline import parse_month
from salestrain.core.funnel.stages import CATEGORIES, Stages


@dataclass(frozen=True)
class Weighted:
    """The weighted pipeline: its mean, and the spread it does not show."""

    mean: float
    variance: float
    deals: int

    @property
    def sd(self) -> float:
        return float(np.sqrt(self.variance))


def weighted_forecast(amounts, probs) -> Weighted:
    """Sum of amount x probability, and the variance of won revenue (independent deals)."""
    a = np.asarray(amounts, dtype=float)
    p = np.asarray(probs, dtype=float)
    return Weighted(float(a @ p), float(np.sum(p * (1 - p) * a**2)), int(a.size))


def probabilities(pipeline: pd.DataFrame, stages: Stages | None = None) -> np.ndarray:
    """Each deal's win probability: its override if it has one, else its stage's.

    With ``stages`` given (e.g. the app's sliders), stage probabilities come from there
    for deals without an override.
    """
    p = pipeline["probability"].to_numpy(dtype=float).copy()
    if stages is not None:
        from_stage = pipeline["stage"].map(stages.probability).to_numpy(dtype=float)
        if "override" in pipeline:
            p = np.where(pipeline["override"].to_numpy(dtype=bool), p, from_stage)
        else:
            p = from_stage
    return p


@dataclass(frozen=True)
class Forecast:
    """Everything a monthly forecast meeting needs, for one pipeline and target."""

    weighted: Weighted
    target: float
    method: str  # "exact", "approximate" (lattice with error bounds) or "monte carlo"
    p10: float
    p50: float
    p90: float
    p_hit: float  # P(won revenue >= target)
    revenue: LatticeDistribution | None  # exact distribution, when method == "exact"
    won_pmf: np.ndarray | None  # exact P(k deals won)
    simulation: MonteCarloResult | None  # when method == "monte carlo"
    # Rigorous bounds on how far p_hit and p10/p50/p90 can be from the truth of the
    # model: 0 when exact, computed from the lattice's rounding when approximate, None
    # for Monte Carlo (its error is statistical, see ``simulation``).
    p_hit_error: float | None = 0.0
    quantile_error: float | None = 0.0

    @property
    def gap(self) -> float:
        """Target minus the weighted forecast (positive: the pipeline falls short)."""
        return self.target - self.weighted.mean


def forecast(
    amounts,
    probs,
    target: float,
    correlation: float = 0.0,
    amount_cv: float = 0.0,
    days_left=None,
    mean_slip_days: float = 0.0,
    trials: int = 20_000,
    seed: int | None = 0,
) -> Forecast:
    """Forecast won revenue: on the revenue lattice when deals are independent with
    known amounts, by Monte Carlo otherwise.

    The lattice answer is "exact" only when every amount sits on it (whole units within
    the size budget, see :func:`revenue_distribution`); otherwise it is "approximate"
    and carries rigorous error bounds (``p_hit_error``, ``quantile_error``).
    Slippage alone stays on the lattice: a deal counts when it is won *and* still
    closes in the period, ``p x P(slip <= days left)``. Correlation or uncertain amounts
    need Monte Carlo (seeded: the same seed gives the same answer).
    """
    a = np.asarray(amounts, dtype=float)
    p = np.asarray(probs, dtype=float)
    if days_left is not None:
        p_eff = p * slip_probability(np.asarray(days_left, dtype=float), mean_slip_days)
    else:
        p_eff = p
    weighted = weighted_forecast(a, p_eff)
    if correlation == 0 and amount_cv == 0:
        dist = revenue_distribution(a, p_eff)
        method = "exact" if dist.exact_lattice else "approximate"
        q_error = max(dist.quantile_error(q) for q in (0.1, 0.5, 0.9))
        return Forecast(weighted, float(target), method, dist.quantile(0.1), dist.quantile(0.5),
                        dist.quantile(0.9), dist.p_at_least(target), dist,
                        poisson_binomial_pmf(p_eff), None, dist.p_at_least_error(target),
                        q_error)
    sim = simulate(a, p, trials=trials, seed=seed, correlation=correlation, amount_cv=amount_cv,
                   days_left=days_left, mean_slip_days=mean_slip_days)
    return Forecast(weighted, float(target), "monte carlo", sim.quantile(0.1), sim.quantile(0.5),
                    sim.quantile(0.9), sim.p_at_least(target), None, None, sim, None, None)


def days_left_in_month(pipeline: pd.DataFrame, month: str) -> np.ndarray:
    """Days from each deal's expected close to the end of ``month`` (negative: after it)."""
    end = parse_month(month).end_time.normalize()
    return (end - pipeline["expected_close"]).dt.days.to_numpy(dtype=float)


def category_rollup(pipeline: pd.DataFrame) -> pd.DataFrame:
    """Deals, amount and weighted amount per forecast category, with the usual
    cumulative calls: commit = closed + commit, best case = commit + best case,
    pipeline = best case + pipeline. Omitted deals are listed but never counted."""
    amount = pipeline["amount"]
    weighted = pipeline["amount"] * pipeline["probability"]
    rows = []
    running = 0.0
    for cat in CATEGORIES:
        mask = pipeline["category"] == cat
        total = float(amount[mask].sum())
        if cat != "omitted":
            running += total
        rows.append({"category": cat, "deals": int(mask.sum()), "amount": total,
                     "weighted": float(weighted[mask].sum()),
                     "cumulative": running if cat != "omitted" else np.nan})
    return pd.DataFrame(rows).set_index("category")
