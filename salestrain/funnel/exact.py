"""Exact forecast distributions: won deals (Poisson-binomial) and won revenue (lattice).

Both are products of one small polynomial per deal, ``(1 - p) + p z^k``. Multiplying
them pairwise, level by level, with batched FFTs costs O(n log^2 n) instead of the
O(n^2) of the textbook recursion: 10,000 deals take a few milliseconds.
FFT round-off leaves values of order 1e-17 where the true probability is smaller;
they are clipped to 0, so tail probabilities below ~1e-15 read as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import gcd

import numpy as np
from numpy.fft import irfft, rfft

# Below this length a direct convolution beats the FFT (and is exact).
_DIRECT_MAX = 16


def _convolve_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise full convolution of two equally shaped 2-D arrays."""
    length = a.shape[1]
    out_len = 2 * length - 1
    if length <= _DIRECT_MAX:
        out = np.zeros((a.shape[0], out_len))
        for i in range(length):
            out[:, i:i + length] += a[:, i:i + 1] * b
        return out
    nfft = 1 << (out_len - 1).bit_length()
    return irfft(rfft(a, nfft) * rfft(b, nfft), nfft)[:, :out_len]


def _product_equal(polys: np.ndarray) -> np.ndarray:
    """Product of the polynomials in the rows of ``polys`` (all the same length)."""
    while polys.shape[0] > 1:
        if polys.shape[0] % 2:
            polys = np.vstack([polys, np.eye(1, polys.shape[1])])
        polys = _convolve_pairs(polys[0::2], polys[1::2])
    result = np.clip(polys[0], 0.0, None)
    return result / result.sum()


def poisson_binomial_pmf(probs: Sequence[float] | np.ndarray) -> np.ndarray:
    """pmf[k] = P(exactly k of the independent deals are won)."""
    p = np.asarray(probs, dtype=float)
    if p.size == 0:
        return np.ones(1)
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError("probabilities must lie in [0, 1]")
    pmf = _product_equal(np.stack([1.0 - p, p], axis=1))
    return pmf[: p.size + 1]


def _product_ragged(polys: list[np.ndarray]) -> np.ndarray:
    """Product of polynomials of different lengths.

    Neighbours are paired (the caller sorts them by length, so pairs are alike), and
    pairs of similar length are batched into one FFT call per power-of-two size.
    """
    while len(polys) > 1:
        if len(polys) % 2:
            polys.append(np.ones(1))
        lengths = np.array([max(len(polys[i]), len(polys[i + 1])) for i in range(0, len(polys), 2)])
        sizes = np.array([1 << int(2 * n - 2).bit_length() for n in lengths])
        nxt: list[np.ndarray | None] = [None] * len(lengths)
        for size in np.unique(sizes):
            idx = np.flatnonzero(sizes == size)
            width = int(lengths[idx].max())
            a = np.zeros((idx.size, width))
            b = np.zeros((idx.size, width))
            for row, k in enumerate(idx):
                pa, pb = polys[2 * k], polys[2 * k + 1]
                a[row, : len(pa)] = pa
                b[row, : len(pb)] = pb
            conv = _convolve_pairs(a, b)
            for row, k in enumerate(idx):
                true_len = len(polys[2 * k]) + len(polys[2 * k + 1]) - 1
                nxt[k] = conv[row, :true_len]
        polys = nxt  # type: ignore[assignment]
    result = np.clip(polys[0], 0.0, None)
    return result / result.sum()


@dataclass(frozen=True)
class LatticeDistribution:
    """A distribution on the points ``0, h, 2h, ...`` (won revenue)."""

    bin_width: float
    pmf: np.ndarray
    exact_lattice: bool  # True when every amount was a multiple of bin_width

    @property
    def values(self) -> np.ndarray:
        return np.arange(self.pmf.size) * self.bin_width

    @property
    def mean(self) -> float:
        return float(self.values @ self.pmf)

    @property
    def sd(self) -> float:
        return float(np.sqrt(max((self.values**2) @ self.pmf - self.mean**2, 0.0)))

    def quantile(self, q: float) -> float:
        """Smallest value x with P(revenue <= x) >= q."""
        cdf = np.cumsum(self.pmf)
        k = int(np.searchsorted(cdf, q - 1e-12))
        return float(min(k, self.pmf.size - 1) * self.bin_width)

    def p_at_least(self, target: float) -> float:
        """P(revenue >= target)."""
        k = int(np.ceil(target / self.bin_width - 1e-9))
        if k >= self.pmf.size:
            return 0.0
        # A running sum from the top is monotone in the target; pmf[k:].sum() is not
        # quite (pairwise summation rounds differently for different lengths).
        return float(min(np.cumsum(self.pmf[::-1])[::-1][max(k, 0)], 1.0))

    def histogram(self, bins: int = 100, coverage: float = 0.999) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities summed into ``bins`` equal bins over the central ``coverage``.

        Returns (edges, probabilities); used for plots and for comparisons with
        Monte Carlo, whose noise is far below one such bin.
        """
        tail = (1 - coverage) / 2
        lo, hi = self.quantile(tail), self.quantile(1 - tail)
        if hi <= lo:
            hi = lo + self.bin_width
        edges = np.linspace(lo - self.bin_width / 2, hi + self.bin_width / 2, bins + 1)
        probs, _ = np.histogram(self.values, bins=edges, weights=self.pmf)
        return edges, probs


def _lattice_width(amounts: np.ndarray, probs: np.ndarray, max_points: int, precision: float,
                   exact_points: int = 1 << 14) -> tuple[float, bool]:
    total = float(amounts.sum())
    if total <= 0:
        return 1.0, True
    # Exact when all amounts are whole multiples of a common unit that keeps the
    # lattice small (teaching pipelines: amounts in thousands); past ``exact_points``
    # the split lattice below is as accurate in practice and several times faster.
    if np.all(amounts == np.round(amounts)):
        unit = 0
        for a in amounts.astype(np.int64):
            unit = gcd(unit, int(a))
        if unit > 0 and total / unit <= exact_points:
            return float(unit), True
    # Otherwise split each amount between its two neighbouring lattice points so the
    # mean stays exact; the split adds at most sum(p) h^2 / 4 to the variance, so pick
    # h to keep that below ``precision`` times the true variance.
    var = float(np.sum(probs * (1 - probs) * amounts**2))
    mass = max(float(probs.sum()), 1e-12)
    h = np.sqrt(4 * precision * var / mass) if var > 0 else total / max_points
    h = max(h, total / max_points)
    return float(h), False


def revenue_distribution(
    amounts: Sequence[float] | np.ndarray,
    probs: Sequence[float] | np.ndarray,
    bin_width: float | None = None,
    max_points: int = 1 << 21,
    precision: float = 1e-3,
) -> LatticeDistribution:
    """Exact distribution of won revenue, independent deals, on a lattice of width h.

    With whole-number amounts sharing a unit (e.g. all multiples of 1,000) the result
    is exact. Otherwise each amount ``a = (k + f) h`` becomes ``k h`` with weight
    ``1 - f`` and ``(k + 1) h`` with weight ``f``: the mean stays exact and the
    variance grows by less than ``precision`` (0.1%) of the true variance.
    """
    a = np.asarray(amounts, dtype=float)
    p = np.asarray(probs, dtype=float)
    if a.shape != p.shape:
        raise ValueError("amounts and probabilities must have the same length")
    if np.any(a < 0) or np.any(np.isnan(a)):
        raise ValueError("amounts must be >= 0")
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError("probabilities must lie in [0, 1]")
    keep = (p > 0) & (a > 0)
    a, p = a[keep], p[keep]
    if a.size == 0:
        return LatticeDistribution(bin_width or 1.0, np.ones(1), True)
    if bin_width is None:
        h, exact = _lattice_width(a, p, max_points, precision)
    else:
        h, exact = float(bin_width), bool(np.allclose(a / bin_width, np.round(a / bin_width)))
    scaled = a / h
    k = np.floor(scaled).astype(np.int64)
    f = scaled - k
    f[np.isclose(f, 0.0, atol=1e-9)] = 0.0
    order = np.argsort(k, kind="stable")
    polys = []
    for j in order:
        kj, fj, pj = int(k[j]), float(f[j]), float(p[j])
        poly = np.zeros(kj + (2 if fj > 0 else 1))
        poly[0] += 1 - pj
        poly[kj] += pj * (1 - fj)
        if fj > 0:
            poly[kj + 1] += pj * fj
        polys.append(poly)
    return LatticeDistribution(h, _product_ragged(polys), exact)
