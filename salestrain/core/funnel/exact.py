"""Exact forecast distributions: won deals (Poisson-binomial) and won revenue (lattice).

Both are products of one small polynomial per deal, ``(1 - p) + p z^k``. Multiplying
them pairwise, level by level, with batched FFTs costs O(n log^2 n) instead of the
O(n^2) of the textbook recursion: 10,000 deals take a few milliseconds.
FFT round-off leaves noise of order 1e-16 of the largest probability; values below
1e-14 of it are dropped from the ends of partial products and negatives are clipped,
so tail probabilities that small read as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft

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
    # The smallest length of small prime factors, not the next power of two: up to half
    # the padding, and scipy's FFT at such lengths is as fast per point (1,000 deals:
    # 57 ms -> 31 ms for the app's slider, benchmarks/browser.py).
    nfft = next_fast_len(out_len, real=True)
    return irfft(rfft(a, nfft) * rfft(b, nfft), nfft)[:, :out_len]


_BLOCK = 128  # deals per block in the revenue product
_BLOCK_CELLS = 1 << 21  # at most this many cells per block array


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


_PMF_BLOCKS_FROM = 1 << 14  # deals; below this one product tree is small and exact enough
_PMF_BLOCK = 1 << 10


def poisson_binomial_pmf(probs: Sequence[float] | np.ndarray) -> np.ndarray:
    """pmf[k] = P(exactly k of the independent deals are won)."""
    p = np.asarray(probs, dtype=float)
    if p.size == 0:
        return np.ones(1)
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError("probabilities must lie in [0, 1]")
    if p.size <= _PMF_BLOCKS_FROM:
        pmf = _product_equal(np.stack([1.0 - p, p], axis=1))
        return pmf[: p.size + 1]
    # Many deals: blocks of deals multiplied as they come, with their negligible tails
    # trimmed, as for revenue. One product tree over all deals at once held about
    # 100 MB of FFT work arrays for 1M deals (benchmarks/tables.py, issue 18).
    def blocks() -> Iterator[tuple[int, np.ndarray]]:
        for start in range(0, p.size, _PMF_BLOCK):
            pb = p[start:start + _PMF_BLOCK]
            yield _trim(0, _product_rows(np.stack([1.0 - pb, pb], axis=1))[: pb.size + 1])

    offset, dense = _product_stream(blocks())
    pmf = np.zeros(p.size + 1)
    pmf[offset:offset + dense.size] = dense[: p.size + 1 - offset]
    return pmf


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


def _multiply(a: tuple[int, np.ndarray], b: tuple[int, np.ndarray]) -> tuple[int, np.ndarray]:
    """``z^oa pa`` times ``z^ob pb``, trimmed."""
    (oa, pa), (ob, pb) = a, b
    width = max(pa.size, pb.size)
    x = np.zeros((1, width))
    y = np.zeros((1, width))
    x[0, : pa.size] = pa
    y[0, : pb.size] = pb
    return _trim(oa + ob, _convolve_pairs(x, y)[0, : pa.size + pb.size - 1])


def _product_stream(polys: Iterable[tuple[int, np.ndarray]]) -> tuple[int, np.ndarray]:
    """Product of polynomials ``z^offset * poly``, multiplied as they arrive.

    A binary counter pairs them into a balanced tree (two partial products of the same
    level are multiplied as soon as both exist), so neighbours of similar length meet, as
    the FFT wants, and at most log2(n) partial products are held at once: memory stays
    near the width of the result instead of the sum of every input's width (1M deals
    held 7,813 block products, 1.9 GB, before this).
    """
    stack: list[tuple[int, tuple[int, np.ndarray]]] = []  # (level, polynomial)
    for poly in polys:
        level = 0
        while stack and stack[-1][0] == level:
            poly = _multiply(stack.pop()[1], poly)
            level += 1
        stack.append((level, poly))
    result = (0, np.ones(1))
    while stack:  # the leftovers, smallest first
        result = _multiply(stack.pop()[1], result)
    offset, pmf = result
    pmf = np.clip(pmf, 0.0, None)
    return offset, pmf / pmf.sum()


# ---------------------------------------------------------------------------------------
# Won revenue.
#
# Every deal's polynomial is ``(1 - p) + p z^k`` on a lattice of step h. The lattice's
# step comes from the small deals; a deal much larger than everything smaller than it
# (a "whale") would make one dense array mostly zeros, so whales are applied afterwards
# as sparse shift-and-adds on a list of dense segments: one whale doubles the segments
# (or merges them where they overlap) instead of stretching one array across its gap.
#
# Exact mode: every amount is a whole multiple of one unit (whole RMB, whole fen,
# whole hundreds...) and the segments fit the size budget. Then each outcome lands on
# its own value and the only error is floating-point round-off (~1e-16 relative; the
# FFT products drop values below 1e-14 of a partial product's largest one).
#
# Approximate mode: otherwise each amount ``a = (k + f) h`` is split between ``k h``
# (weight 1 - f) and ``(k + 1) h`` (weight f). The computed revenue R' and the true R
# are then coupled with R = R' + D, where D = sum over won deals of (a - the point it
# went to): |D| <= sum_i h max(f_i, 1 - f_i) always, E[D] = 0, and D is a sum of
# independent bounded terms, so Bernstein's inequality bounds its tails. Both give
# rigorous bounds on P(R >= t) and on the quantiles of R (``p_at_least_bounds``,
# ``quantile_bounds``); the tighter of them is reported.
# ---------------------------------------------------------------------------------------

# Lattice points a forecast may materialise (float64: 32 MiB) and the whales it may
# apply sparsely; past them the lattice coarsens (approximate mode).
MAX_POINTS = 1 << 22
MAX_WHALES = 24
# Dense-part limits: the largest dense deal in lattice steps (blocks of 128 deals are
# multiplied untrimmed, so this bounds their width) and the untrimmed sum.
_DENSE_MAX_STEP = MAX_POINTS
_DENSE_MAX_SUM = 1 << 26
# Up to this many dense deals are multiplied out by shift-and-adds, not FFTs.
_SHIFT_ADD_MAX = 64
# More segments than this and the Python loop over them costs more than a coarser step.
_MAX_SEGMENTS = 1 << 10


@dataclass(frozen=True)
class RoundingError:
    """The coupling R = R' + D between true revenue R and lattice revenue R'.

    ``worst`` bounds |D| on every outcome; ``var`` and ``step`` (the largest single
    term) feed Bernstein's tail bound. All zero in exact mode."""

    worst: float = 0.0
    var: float = 0.0
    step: float = 0.0

    def tail(self, s: float) -> float:
        """An upper bound on P(D > s) and on P(D < -s) (E[D] = 0)."""
        if s >= self.worst:
            return 0.0
        if s <= 0 or self.var <= 0:
            return 1.0 if s < self.worst else 0.0
        return float(min(1.0, np.exp(-s * s / (2 * (self.var + self.step * s / 3)))))

    def shifts(self) -> list[tuple[float, float]]:
        """(s, tail(s)) pairs to try: a spread of s from a fraction of Bernstein's scale
        up to the worst case (where the tail is exactly 0)."""
        if self.worst <= 0:
            return [(0.0, 0.0)]
        scale = np.sqrt(self.var) + self.step
        grid = [scale * x for x in (0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 30)]
        return [(s, self.tail(s)) for s in grid if s < self.worst] + [(self.worst, 0.0)]


@dataclass(frozen=True)
class LatticeDistribution:
    """Won revenue on lattice points ``index * bin_width`` (``index`` sorted, may skip).

    ``exact_lattice`` is True when every amount sat on the lattice: the probabilities are
    then exact (up to float round-off). Otherwise ``rounding`` bounds the error and
    ``p_at_least_bounds`` / ``quantile_bounds`` turn it into intervals for the truth.
    """

    bin_width: float
    pmf: np.ndarray
    exact_lattice: bool
    index: np.ndarray | None = None  # None: 0, 1, 2, ... (dense from zero)
    rounding: RoundingError = field(default_factory=RoundingError)
    whales: int = 0  # deals applied as sparse shift-and-adds

    @property
    def points(self) -> np.ndarray:
        return np.arange(self.pmf.size) if self.index is None else self.index

    @property
    def values(self) -> np.ndarray:
        return self.points * self.bin_width

    @property
    def mean(self) -> float:
        return float(self.values @ self.pmf)

    @property
    def sd(self) -> float:
        # Centred first: a whale's offset makes raw second moments lose every digit.
        dev = self.values - self.mean
        return float(np.sqrt(max((dev**2) @ self.pmf, 0.0)))

    def _cdf(self) -> np.ndarray:
        return np.cumsum(self.pmf)

    def quantile(self, q: float) -> float:
        """Smallest lattice value x with P(R' <= x) >= q (R' = the lattice revenue)."""
        k = int(np.searchsorted(self._cdf(), q - 1e-12))
        return float(self.points[min(k, self.pmf.size - 1)] * self.bin_width)

    def p_at_least(self, target: float) -> float:
        """P(R' >= target)."""
        k = int(np.searchsorted(self.points, np.ceil(target / self.bin_width - 1e-9)))
        if k >= self.pmf.size:
            return 0.0
        # A running sum from the top is monotone in the target; pmf[k:].sum() is not
        # quite (pairwise summation rounds differently for different lengths).
        return float(min(np.cumsum(self.pmf[::-1])[::-1][k], 1.0))

    def p_at_least_bounds(self, target: float) -> tuple[float, float]:
        """An interval that surely holds the true P(R >= target).

        For any s: R >= t and D <= s imply R' >= t - s, and R' >= t + s and D >= -s
        imply R >= t; so P(R' >= t + s) - P(D < -s) <= P(R >= t) <= P(R' >= t - s) +
        P(D > s). Each s gives a valid interval; their intersection is returned."""
        if self.exact_lattice:
            p = self.p_at_least(target)
            return p, p
        lo, hi = 0.0, 1.0
        for s, tail in self.rounding.shifts():
            lo = max(lo, self.p_at_least(target + s + self.bin_width * 1e-6) - tail)
            hi = min(hi, self.p_at_least(target - s) + tail)
        return lo, hi

    def p_at_least_error(self, target: float) -> float:
        """How far ``p_at_least(target)`` can be from the truth (0 in exact mode)."""
        lo, hi = self.p_at_least_bounds(target)
        p = self.p_at_least(target)
        return max(p - lo, hi - p, 0.0)

    def quantile_bounds(self, q: float) -> tuple[float, float]:
        """An interval that surely holds the true q-quantile of R.

        R' <= x - s and D <= s imply R <= x, so q_R(q) <= q'(q + P(D > s)) + s;
        R <= x and D >= -s imply R' <= x + s, so q_R(q) >= q'(q - P(D < -s)) - s."""
        x = self.quantile(q)
        if self.exact_lattice:
            return x, x
        lo, hi = 0.0, float("inf")
        for s, tail in self.rounding.shifts():
            if q + tail <= 1:
                hi = min(hi, self.quantile(q + tail) + s)
            if q - tail > 0:
                lo = max(lo, self.quantile(q - tail) - s)
        return lo, hi

    def quantile_error(self, q: float) -> float:
        """How far ``quantile(q)`` can be from the true quantile (0 in exact mode)."""
        lo, hi = self.quantile_bounds(q)
        x = self.quantile(q)
        return max(x - lo, hi - x, 0.0)

    def histogram(self, bins: int = 100, coverage: float = 0.999) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities summed into ``bins`` equal bins over the central ``coverage``.

        Returns (edges, probabilities); used for plots."""
        tail = (1 - coverage) / 2
        lo, hi = self.quantile(tail), self.quantile(1 - tail)
        if hi <= lo:
            hi = lo + self.bin_width
        edges = np.linspace(lo - self.bin_width / 2, hi + self.bin_width / 2, bins + 1)
        probs, _ = np.histogram(self.values, bins=edges, weights=self.pmf)
        return edges, probs


def _unit(amounts: np.ndarray) -> float | None:
    """The largest unit every amount is a whole multiple of: whole numbers' gcd, or
    whole fen (0.01) scaled the same way; None when there is none."""
    for scale in (1, 100):
        scaled = amounts * scale
        if np.all(scaled == np.round(scaled)) and scaled.max() < 2**53:
            whole = np.round(scaled).astype(np.int64)
            if scale == 1 or np.all(np.round(scaled) / scale == amounts):
                return float(np.gcd.reduce(whole)) / scale
    return None


def _dense_width(k: np.ndarray, p: np.ndarray) -> int:
    """Points the dense product of these deals keeps: the untrimmed sum, or the
    width the trimming leaves (about 16 sd for a sum of many deals), if smaller."""
    if k.size == 0:
        return 1
    if k.size <= 4 * _BLOCK:  # few deals: nothing is trimmed, every sum is a point
        return int(k.sum() + 2)
    sd = float(np.sqrt(np.sum(p * (1 - p) * k.astype(float) ** 2)))
    return int(min(k.sum() + 2, 24 * sd + 4 * k.max() + 2))


def _union_size(width: int, shifts: np.ndarray, limit: int) -> int | None:
    """Points covered by the segments after the whales' shifts (None past ``limit``)."""
    if width > limit:
        return None
    segs = [(0, width)]
    for k in shifts:
        moved = sorted(segs + [(s + int(k), e + int(k)) for s, e in segs])
        segs = []
        for s, e in moved:
            if segs and s <= segs[-1][1]:
                segs[-1] = (segs[-1][0], max(segs[-1][1], e))
            else:
                segs.append((s, e))
        if len(segs) > _MAX_SEGMENTS or sum(e - s for s, e in segs) > limit:
            return None
    return sum(e - s for s, e in segs)


def _plan(a: np.ndarray, p: np.ndarray, h: float, max_points: int) -> int | None:
    """How many of the (ascending) deals go into the dense product at step h; the rest
    are whales. None when no split fits the budget."""
    k = np.floor(a / h).astype(np.int64) + (a / h % 1 > 0)  # ceil: the split's top point
    sizes: dict[int, int] = {}
    for m in range(a.size, max(0, a.size - MAX_WHALES) - 1, -1):
        dense = k[:m]
        if dense.size and (dense.max() > _DENSE_MAX_STEP or dense.sum() > _DENSE_MAX_SUM):
            continue
        whales = k[m:][p[m:] < 1]  # a sure deal only shifts the segments
        size = _union_size(_dense_width(dense, p[:m]), whales, max_points)
        if size is not None:
            sizes[m] = size
    if not sizes:
        return None
    # Each whale is one pass over all segments, so take the fewest whales whose
    # segments are within 25% of the smallest.
    smallest = min(sizes.values())
    return max(m for m, size in sizes.items() if size <= 1.25 * smallest)


def _dense_product(k: np.ndarray, f: np.ndarray, p: np.ndarray) -> tuple[int, np.ndarray]:
    """Product of the split deals' polynomials: (offset, pmf)."""
    if k.size == 0:
        return 0, np.ones(1)
    if k.size <= _SHIFT_ADD_MAX:
        # Few deals: one shift-and-add each into one array (m x width operations, no
        # FFT round-off) beats FFT levels that double the width each time.
        out = np.zeros(int(k.sum() + np.count_nonzero(f)) + 1)
        out[0] = 1.0
        top = 1
        for kw, fw, pw in zip(k, f, p, strict=True):
            won = pw * out[:top]
            out[:top] *= 1 - pw
            out[kw:kw + top] += won * (1 - fw)
            if fw:
                out[kw + 1:kw + 1 + top] += won * fw
            top += int(kw) + (1 if fw else 0)
        return 0, out
    # Deals sorted by size go in blocks of similar length: each block is one 2-D array
    # multiplied out level by level in batched FFTs (little padding, no Python loop per
    # deal); the block results are then multiplied as they come (_product_stream).
    def blocks() -> Iterator[tuple[int, np.ndarray]]:
        start = 0
        while start < k.size:
            # Fewer deals per block when they are long, so a block stays ~16 MiB.
            rows = max(1, min(_BLOCK, _BLOCK_CELLS // (int(k[min(start + _BLOCK, k.size) - 1]) + 2)))
            stop = min(start + rows, k.size)
            kb, fb, pb = k[start:stop], f[start:stop], p[start:stop]
            start = stop
            index = np.arange(kb.size)
            block = np.zeros((kb.size, int(kb.max()) + 2))
            block[:, 0] = 1 - pb
            np.add.at(block, (index, kb), pb * (1 - fb))
            np.add.at(block, (index, kb + 1), pb * fb)
            degree = int(kb.sum() + np.count_nonzero(fb))
            yield _trim(0, _product_rows(block)[: degree + 1])

    return _product_stream(blocks())


def _apply_whales(segments: list[tuple[int, np.ndarray]], k: np.ndarray, f: np.ndarray,
                  p: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Multiply the segments by each whale's ``(1 - p) + p ((1 - f) z^k + f z^(k+1))``:
    the segments stay where they are (lost) and a shifted copy is added (won);
    overlapping segments are merged into one array."""
    for kw, fw, pw in zip(k, f, p, strict=True):
        won = [(s + int(kw), pw * (np.convolve(arr, [1 - fw, fw]) if fw else arr))
               for s, arr in segments]
        lost = [(s, (1 - pw) * arr) for s, arr in segments] if pw < 1 else []
        merged: list[tuple[int, np.ndarray]] = []
        for s, arr in sorted(lost + won, key=lambda x: x[0]):
            if merged and s <= merged[-1][0] + merged[-1][1].size:
                s0, prev = merged[-1]
                end = max(s0 + prev.size, s + arr.size)
                out = np.zeros(end - s0)
                out[: prev.size] += prev
                out[s - s0: s - s0 + arr.size] += arr
                merged[-1] = (s0, out)
            else:
                merged.append((s, arr))
        segments = merged
    return segments


def revenue_distribution(
    amounts: Sequence[float] | np.ndarray,
    probs: Sequence[float] | np.ndarray,
    bin_width: float | None = None,
    max_points: int = MAX_POINTS,
) -> LatticeDistribution:
    """Distribution of won revenue for independent deals.

    Exact (``exact_lattice``) when the amounts share a unit whose lattice fits
    ``max_points`` after the whales are split off; otherwise on the finest step that
    fits, with the rounding's rigorous error bounds attached (see the module notes).
    ``bin_width`` forces a step (exact if every amount is a multiple of it).
    """
    a = np.asarray(amounts, dtype=float)
    p = np.asarray(probs, dtype=float)
    if a.shape != p.shape:
        raise ValueError("amounts and probabilities must have the same length")
    if np.any(a < 0) or np.any(np.isnan(a)) or np.any(np.isinf(a)):
        raise ValueError("amounts must be >= 0")
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError("probabilities must lie in [0, 1]")
    keep = (p > 0) & (a > 0)
    a, p = a[keep], p[keep]
    if a.size == 0:
        return LatticeDistribution(bin_width or 1.0, np.ones(1), True)
    order = np.argsort(a, kind="stable")
    a, p = a[order], p[order]
    if bin_width is not None:
        h = float(bin_width)
        m = _plan(a, p, h, max_points * 16)
        m = a.size if m is None else m
        on_unit = bool(np.allclose(a / h, np.round(a / h), rtol=0, atol=1e-9))
    else:
        h, m = _choose_step(a, p, max_points)
        on_unit = h == _unit(a)
    scaled = a / h
    k = np.floor(scaled).astype(np.int64)
    f = scaled - k
    if on_unit:
        # On the amounts' own unit a / h is a whole number up to float noise.
        k[f > 0.5] += 1
        f[:] = 0.0
    offset, dense = _dense_product(k[:m], f[:m], p[:m])
    segments = _apply_whales([(offset, dense)], k[m:], f[m:], p[m:])
    index = np.concatenate([s + np.arange(arr.size) for s, arr in segments])
    pmf = np.clip(np.concatenate([arr for _, arr in segments]), 0.0, None)
    pmf /= pmf.sum()
    exact = not np.any(f)
    # D's terms: a won deal put at k h (weight 1 - f) is off by f h, at (k+1) h by
    # (f - 1) h; mean zero, |term| <= max(f, 1 - f) h.
    worst = float(np.sum(np.where(f > 0, np.maximum(f, 1 - f), 0.0)) * h)
    var = float(np.sum(p * f * (1 - f)) * h * h)
    step = float(np.max(np.where(f > 0, np.maximum(f, 1 - f), 0.0)) * h)
    dense_from_zero = len(segments) == 1 and segments[0][0] == 0
    return LatticeDistribution(h, pmf, exact, None if dense_from_zero else index,
                               RoundingError(worst, var, step), int(a.size - m))


def _choose_step(a: np.ndarray, p: np.ndarray, max_points: int) -> tuple[float, int]:
    """The lattice step and the dense/whale split: the amounts' unit when it fits
    (exact), else the finest step that fits the budget (approximate)."""
    unit = _unit(a)
    if unit is not None and unit > 0:
        m = _plan(a, p, unit, max_points)
        if m is not None:
            return unit, m
    # Approximate mode needs far fewer points for errors far below what a forecast
    # shows (a quarter of the budget keeps it fast enough for an app's slider).
    max_points = max(max_points // 4, 1024)
    # The finest fitting step, by bisection on a log scale below a step that surely
    # fits (4 / max_points of the total, no whales).
    hi = float(a.sum()) / max_points * 4
    # Not so fine that k = a / h loses the fraction in float64 (2^-30 of the largest).
    lo = min(max(hi / 2**40, float(a.max()) * 2**-30), hi)
    if unit is not None and unit > 0:
        lo = max(lo, unit)
    best = (hi, _plan(a, p, hi, max_points))
    for _ in range(40):
        if hi / lo < 1.1:  # within 10% of the finest step that fits
            break
        mid = float(np.sqrt(lo * hi))
        m = _plan(a, p, mid, max_points)
        if m is None:
            lo = mid
        else:
            hi, best = mid, (mid, m)
    if best[1] is None:  # pathological budgets: everything dense at the coarse step
        return best[0], a.size
    return best[0], best[1]
