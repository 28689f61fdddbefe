"""Monte Carlo forecasts for what the exact methods cannot do.

Three effects: a shared market factor (one-factor Gaussian copula: every deal's
chance moves together in a good or bad month, while each deal keeps its own
probability on average), close-date slippage (deals close later than the CRM says,
never earlier) and uncertain amounts (a mean-one lognormal multiplier).

Layout: trials are simulated in chunks of rows so memory stays flat (a few MiB for
any number of trials); draws are float32 straight into reused buffers, compared
against thresholds in place, and the won amounts of a chunk are one row-wise dot
product. Slippage without a market factor is folded into each deal's probability
(winning and slipping are independent), so it costs no extra draws. Sums are float32: measured
relative error below 1e-6 for 10,000 deals, far under the sampling error of any run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# deals x trials per chunk: 1 MiB of float32 per buffer, so a chunk's draws are still in
# cache when they are compared and summed (measured 1.61x -> 1.35x the bare draws' time
# against 4 MiB chunks).
CHUNK_CELLS = 1 << 18


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
    # Slippage is independent of winning: a deal counts with P(won) x P(slip <= days
    # left). Without a market factor that is one Bernoulli per deal (one uniform draw);
    # with one, a second uniform against P(slip <= days left) (the exponential's CDF).
    in_period = None if days_left is None else slip_probability(days_left, mean_slip_days)
    if correlation > 0:
        # One-factor copula: deal i is won when sqrt(rho) F + sqrt(1 - rho) e_i <
        # ndtri(p_i), i.e. e_i + c F < z_i with c = sqrt(rho / (1 - rho)) and
        # z_i = ndtri(p_i) / sqrt(1 - rho): one add and one compare per cell.
        from scipy.special import ndtri  # lazy: keeps scipy out of `import salestrain`

        z = ndtri(np.clip(p, 1e-300, 1.0)) / np.sqrt(1 - correlation)
        z = np.where(p >= 1, np.inf, np.where(p <= 0, -np.inf, z)).astype(np.float32)
        c = np.float32(np.sqrt(correlation / (1 - correlation)))
        q32 = None if in_period is None else in_period.astype(np.float32)
    else:
        p_eff = p if in_period is None else p * in_period
        p32 = p_eff.astype(np.float32)
    sigma = np.float32(np.sqrt(np.log1p(amount_cv**2)))
    draws = np.empty((rows, n), dtype=np.float32)
    extra = np.empty((rows, n), dtype=np.float32) if (
        amount_cv > 0 or (correlation > 0 and in_period is not None)) else None
    for start in range(0, trials, rows):
        m = min(rows, trials - start)
        u = draws[:m]
        h = u  # compared in place: the 0/1 hits overwrite the draws (one buffer, in cache)
        if correlation > 0:
            rng.standard_normal(out=u, dtype=np.float32)
            factor = rng.standard_normal(m).astype(np.float32)
            u += (c * factor)[:, None]
            np.less(u, z, out=h)
            if q32 is not None:
                v = extra[:m]
                rng.random(out=v, dtype=np.float32)
                h *= v < q32
        else:
            rng.random(out=u, dtype=np.float32)
            np.less(u, p32, out=h)
        if count_won:
            won[start:start + m] = np.rint(np.einsum("ij->i", h)).astype(np.int64)
        if amount_cv > 0:
            # A mean-one lognormal multiplier per cell, built in place.
            mult = extra[:m]
            rng.standard_normal(out=mult, dtype=np.float32)
            mult *= sigma
            mult -= sigma * sigma / 2
            np.exp(mult, out=mult)
            h *= mult
        revenue[start:start + m] = np.einsum("ij,j->i", h, a32)
    return MonteCarloResult(revenue, won, seed if isinstance(seed, int) else None)
