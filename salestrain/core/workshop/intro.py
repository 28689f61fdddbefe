"""The start-here example: how many of N equally likely deals will close?

Small on purpose: it shows a newcomer that a pipeline's outcome is a distribution,
not the single weighted number, before the funnel module does it properly.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb


@dataclass(frozen=True)
class WinsDistribution:
    n_deals: int
    win_rate: float
    pmf: tuple[float, ...]  # pmf[k] = P(exactly k deals won)

    @property
    def mean(self) -> float:
        return self.n_deals * self.win_rate

    def quantile(self, q: float) -> int:
        """Smallest k with P(wins <= k) >= q."""
        total = 0.0
        for k, p in enumerate(self.pmf):
            total += p
            if total >= q - 1e-12:
                return k
        return self.n_deals

    def p_at_least(self, k: int) -> float:
        return float(sum(self.pmf[max(k, 0):]))


def wins_distribution(n_deals: int, win_rate: float) -> WinsDistribution:
    """Exact binomial distribution of won deals."""
    if n_deals < 0:
        raise ValueError(f"n_deals must be >= 0, got {n_deals}")
    if not 0.0 <= win_rate <= 1.0:
        raise ValueError(f"win_rate must be in [0, 1], got {win_rate}")
    pmf = tuple(
        comb(n_deals, k) * win_rate**k * (1 - win_rate) ** (n_deals - k)
        for k in range(n_deals + 1)
    )
    return WinsDistribution(n_deals, win_rate, pmf)
