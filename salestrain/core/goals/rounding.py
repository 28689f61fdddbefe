"""Exact integer splits: parts that always add back to the whole.

Largest-remainder (Hamilton) rounding for one dimension, and controlled rounding of a
two-way table (max-flow) that keeps both its row and column totals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum to ``total``.

    Largest-remainder (Hamilton) rounding: every part is the floor or the ceiling of
    its exact share, and ties go to the earlier part so the result is deterministic.
    """
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    w = [float(x) for x in weights]
    if not w or any(x < 0 or not math.isfinite(x) for x in w) or sum(w) <= 0:
        raise ValueError(f"weights must be finite, >= 0 and not all zero, got {list(weights)}")
    s = sum(w)
    exact = [total * x / s for x in w]
    parts = [math.floor(e) for e in exact]
    short = total - sum(parts)
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:short]:
        parts[i] += 1
    return parts


def round_matrix(ideal: np.ndarray, row_totals: Sequence[int], col_totals: Sequence[int]) -> np.ndarray:
    """Round a non-negative matrix to integers with the given row and column sums.

    ``ideal`` must already have (up to float error) those margins. Each cell ends at
    the floor or the ceiling of its ideal value; the +1s are placed by a max-flow
    (rows -> cells -> columns), which always succeeds for such a matrix (the classic
    result on controlled rounding of two-way tables).
    """
    floor = np.floor(ideal + 1e-9).astype(np.int64)
    frac = ideal - floor
    row_need = np.asarray(row_totals, dtype=np.int64) - floor.sum(axis=1)
    col_need = np.asarray(col_totals, dtype=np.int64) - floor.sum(axis=0)
    n_rows, n_cols = ideal.shape
    # cell (i, j) may take one extra unit when it has a fractional part
    can = frac > 1e-9
    extra = np.zeros_like(floor)
    # augmenting paths on the bipartite graph rows -> cols (tiny graphs: <= 20 x 12)
    for i in range(n_rows):
        for _ in range(int(row_need[i])):
            if not _augment(i, can, extra, col_need, n_rows, n_cols):
                raise ValueError("margins are inconsistent with the ideal matrix")
    return floor + extra


def _augment(start: int, can: np.ndarray, extra: np.ndarray, col_need: np.ndarray,
             n_rows: int, n_cols: int) -> bool:
    """Find a path start-row -> column with spare need, flipping cells along it."""
    from collections import deque

    prev_col: dict[int, tuple[int, int]] = {}  # col -> (row it came from, unused)
    prev_row: dict[int, int] = {start: -1}  # row -> col it came from
    queue = deque([start])
    while queue:
        r = queue.popleft()
        for c in range(n_cols):
            if c in prev_col or not can[r, c] or extra[r, c] == 1:
                continue
            prev_col[c] = (r, 0)
            if col_need[c] - extra[:, c].sum() > 0:
                # walk back, alternating add / remove
                while True:
                    rr, _ = prev_col[c]
                    extra[rr, c] = 1
                    back = prev_row[rr]
                    if back == -1:
                        return True
                    extra[rr, back] = 0
                    c = back
            # continue through rows that already use column c
            for r2 in range(n_rows):
                if r2 not in prev_row and extra[r2, c] == 1:
                    prev_row[r2] = c
                    queue.append(r2)
    return False
