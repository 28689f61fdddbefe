"""Monte Carlo forecasts for what the exact methods cannot do.

Three effects: a shared market factor (one-factor Gaussian copula: every deal's
chance moves together in a good or bad month, while each deal keeps its own
probability on average), close-date slippage (deals close later than the CRM says,
never earlier) and uncertain amounts (a mean-one lognormal multiplier).

Layout: trials are simulated in chunks of rows so memory stays flat (a few MiB for
any number of trials); draws are float32, compared against thresholds in place, and
the won amounts of a chunk are one row-wise dot product. Sums are float32: measured
relative error below 1e-6 for 10,000 deals, far under the sampling error of any run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

CHUNK_CELLS = 1 << 20  # deals x trials per chunk: 4 MiB of float32 per buffer


@dataclass(frozen=True)
class MonteCarloResult:
    revenue: np.ndarray  # one value per trial
    won: np.ndarray  # number of deals won (and in period) per trial
    seed: int | None

    @property
    def trials(self) -> int:
        return int(self.revenue.size)

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.revenue, q, method="inverted_cdf"))

    def p_at_least(self, target: float) -> float:
        return float(np.mean(self.revenue >= target))

    @property
    def mean(self) -> float:
        return float(self.revenue.mean())

    @property
    def sd(self) -> float:
        return float(self.revenue.std(ddof=1)) if self.trials > 1 else 0.0


def slip_probability(days_left: np.ndarray, mean_slip_days: float) -> np.ndarray:
    """P(a deal still closes in the period) when its close date slips by an
    exponential delay with the given mean and ``days_left`` remain after its date."""
    days_left = np.asarray(days_left, dtype=float)
    if mean_slip_days <= 0:
        return (days_left >= 0).astype(float)
    return np.where(days_left >= 0, 1.0 - np.exp(-np.maximum(days_left, 0) / mean_slip_days), 0.0)


def simulate(
    amounts: np.ndarray,
    probs: np.ndarray,
    trials: int = 10_000,
    seed: int | np.random.Generator | None = 0,
    correlation: float = 0.0,
    amount_cv: float = 0.0,
    days_left: np.ndarray | None = None,
    mean_slip_days: float = 0.0,
    count_won: bool = True,
) -> MonteCarloResult:
    """Simulate ``trials`` months of the pipeline.

    ``correlation`` is the latent correlation between any two deals (0 = independent).
    ``days_left`` (days from each deal's expected close to the period end) with
    ``mean_slip_days`` > 0 lets deals slip out of the period.
    ``count_won=False`` skips counting won deals per trial (``won`` is then all -1),
    which saves one pass over the hits when only revenue matters.
    """
    a = np.asarray(amounts, dtype=np.float64)
    p = np.asarray(probs, dtype=np.float64)
    if a.shape != p.shape:
        raise ValueError("amounts and probabilities must have the same length")
    if not 0.0 <= correlation < 1.0:
        raise ValueError(f"correlation must be in [0, 1), got {correlation}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n = a.size
    revenue = np.zeros(trials)
    won = np.zeros(trials, dtype=np.int64) if count_won else np.full(trials, -1, dtype=np.int64)
    if n == 0 or trials == 0:
        return MonteCarloResult(revenue, won, seed if isinstance(seed, int) else None)
    rows = max(1, min(trials, CHUNK_CELLS // n))
    # Row sums with einsum, not BLAS: between RNG calls OpenBLAS's worker threads
    # sleep and wake, which measured 20x slower than einsum's single C loop here.
    a32 = a.astype(np.float32)
    p32 = p.astype(np.float32)
    uniq, inverse = np.unique(p, return_inverse=True)
    z_uniq = ndtri(np.clip(uniq, 1e-12, 1 - 1e-12))
    draws = np.empty((rows, n), dtype=np.float32)
    hits = np.empty((rows, n), dtype=np.float32)
    for start in range(0, trials, rows):
        m = min(rows, trials - start)
        u = draws[:m]
        h = hits[:m]
        rng.random(out=u, dtype=np.float32)
        if correlation > 0:
            # Given the month's market factor the deals are independent, each with
            # its conditional probability; one ndtr per distinct probability.
            factor = rng.standard_normal(m)
            cond = ndtr((z_uniq[None, :] - np.sqrt(correlation) * factor[:, None])
                        / np.sqrt(1 - correlation))
            cond[:, uniq >= 1] = 1.0
            cond[:, uniq <= 0] = 0.0
            np.less(u, cond[:, inverse].astype(np.float32), out=h)
        else:
            np.less(u, p32, out=h)
        if days_left is not None and mean_slip_days > 0:
            slip = rng.exponential(mean_slip_days, size=(m, n)).astype(np.float32)
            h *= slip <= np.asarray(days_left, dtype=np.float32)
        elif days_left is not None:
            h *= np.asarray(days_left) >= 0
        if count_won:
            won[start:start + m] = np.rint(np.einsum("ij->i", h)).astype(np.int64)
        if amount_cv > 0:
            sigma = np.sqrt(np.log1p(amount_cv**2))
            mult = np.exp(rng.standard_normal((m, n)) * sigma - sigma**2 / 2).astype(np.float32)
            h *= mult
        revenue[start:start + m] = np.einsum("ij,j->i", h, a32)
    return MonteCarloResult(revenue, won, seed if isinstance(seed, int) else None)
