"""Exact forecast distributions: won deals (Poisson-binomial) and won revenue (lattice).

Both are products of one small polynomial per deal, ``(1 - p) + p z^k``. Multiplying
them pairwise, level by level, with batched FFTs costs O(n log^2 n) instead of the
O(n^2) of the textbook recursion: 10,000 deals take a few milliseconds.
FFT round-off leaves noise of order 1e-16 of the largest probability; values below
1e-14 of it are dropped from the ends of partial products and negatives are clipped,
so tail probabilities that small read as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


_BLOCK = 128  # deals per block in the revenue product


def _product_rows(polys: np.ndarray) -> np.ndarray:
    """Product of the polynomials in the rows of ``polys`` (all the same length)."""
    while polys.shape[0] > 1:
        if polys.shape[0] % 2:
            polys = np.vstack([polys, np.eye(1, polys.shape[1])])
        polys = _convolve_pairs(polys[0::2], polys[1::2])
    return polys[0]


def _product_equal(polys: np.ndarray) -> np.ndarray:
    result = np.clip(_product_rows(polys), 0.0, None)
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


# Coefficients below this share of a partial product's largest one are dropped from its
# ends. FFT round-off already leaves noise of ~1e-16 of the largest coefficient
# everywhere, so nothing below this level carries information. Sums of many deals are
# concentrated (sd ~ sqrt(n) against a range ~ n), so trimming keeps the FFTs near the
# width of the distribution instead of its whole range.
_TRIM = 1e-14


def _trim(offset: int, poly: np.ndarray) -> tuple[int, np.ndarray]:
    keep = np.flatnonzero(poly > _TRIM * poly.max())
    if keep.size == 0:
        return offset, poly[:1]
    return offset + int(keep[0]), poly[keep[0]: keep[-1] + 1]


def _product_ragged(polys: list[tuple[int, np.ndarray]]) -> tuple[int, np.ndarray]:
    """Product of polynomials ``z^offset * poly`` of different lengths.

    Neighbours are paired (the caller sorts them by length, so pairs are alike), and
    pairs of similar length are batched into one FFT call per power-of-two size.
    """
    while len(polys) > 1:
        if len(polys) % 2:
            polys.append((0, np.ones(1)))
        pairs = [(polys[i], polys[i + 1]) for i in range(0, len(polys), 2)]
        lengths = np.array([max(len(x[1]), len(y[1])) for x, y in pairs])
        sizes = np.array([1 << int(2 * n - 2).bit_length() for n in lengths])
        nxt: list[tuple[int, np.ndarray] | None] = [None] * len(pairs)
        for size in np.unique(sizes):
            idx = np.flatnonzero(sizes == size)
            width = int(lengths[idx].max())
            a = np.zeros((idx.size, width))
            b = np.zeros((idx.size, width))
            for row, k in enumerate(idx):
                (_, pa), (_, pb) = pairs[k]
                a[row, : len(pa)] = pa
                b[row, : len(pb)] = pb
            conv = _convolve_pairs(a, b)
            for row, k in enumerate(idx):
                (oa, pa), (ob, pb) = pairs[k]
                nxt[k] = _trim(oa + ob, conv[row, : len(pa) + len(pb) - 1])
        polys = nxt  # type: ignore[assignment]
    offset, result = polys[0]
    result = np.clip(result, 0.0, None)
    return offset, result / result.sum()


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
    if np.all(amounts == np.round(amounts)) and amounts.max() < 2**62:
        unit = int(np.gcd.reduce(amounts.astype(np.int64)))
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
    k, f, p = k[order], f[order], p[order]
    # Deals sorted by size go in blocks of similar length: each block is one 2-D array
    # multiplied out level by level in batched FFTs (little padding, no Python loop per
    # deal); the few block results are then multiplied as ragged polynomials.
    polys = []
    for start in range(0, k.size, _BLOCK):
        kb, fb, pb = k[start:start + _BLOCK], f[start:start + _BLOCK], p[start:start + _BLOCK]
        rows = np.arange(kb.size)
        block = np.zeros((kb.size, int(kb.max()) + 2))
        block[:, 0] = 1 - pb
        np.add.at(block, (rows, kb), pb * (1 - fb))
        np.add.at(block, (rows, kb + 1), pb * fb)
        degree = int(kb.sum() + np.count_nonzero(fb))
        polys.append(_trim(0, _product_rows(block)[: degree + 1]))
    offset, pmf = _product_ragged(polys)
    # The pmf starts at 0 so values are index x width; the trimmed low end is zeros.
    return LatticeDistribution(h, np.concatenate([np.zeros(offset), pmf]), exact)
