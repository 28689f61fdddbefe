"""Target decomposition reconciles exactly at every level (property tests)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import DataError
from salestrain.core.goals import (
    DEFAULT_LINES,
    ProductLine,
    allocate,
    decompose_target,
    quarter_phasing,
    round_matrix,
)

weights = st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=12).filter(
    lambda w: sum(w) > 0.01)


@given(st.integers(0, 10**9), weights)
@settings(max_examples=80, deadline=None)
def test_allocate_sums_exactly_and_rounds_each_share_to_a_neighbour(total, w):
    parts = allocate(total, w)
    assert sum(parts) == total
    for part, x in zip(parts, w, strict=True):
        exact = total * x / sum(w)
        assert math.floor(exact) - 1e-6 <= part <= math.ceil(exact) + 1e-6


@given(st.lists(st.integers(0, 500), min_size=1, max_size=8),
       st.lists(st.floats(0.01, 1), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_matrix_rounding_keeps_both_margins_and_each_cell_near_its_ideal(rows, col_w):
    total = sum(rows)
    if total == 0:
        return
    cols = allocate(total, col_w)
    ideal = np.outer(rows, cols) / total
    cells = round_matrix(ideal, rows, cols)
    assert cells.sum(axis=1).tolist() == rows
    assert cells.sum(axis=0).tolist() == cols
    assert np.all(np.abs(cells - ideal) < 1)


def lines_strategy():
    return st.lists(
        st.tuples(st.floats(0.05, 1), st.booleans(), st.floats(0, 1)), min_size=1, max_size=6,
    ).map(lambda xs: [ProductLine(f"line{i}", s / sum(x[0] for x in xs), hm, ns)
                      for i, (s, hm, ns) in enumerate(xs)])


@given(annual=st.integers(0, 5 * 10**8), lines=lines_strategy(),
       q1=st.floats(0, 0.5), q4=st.floats(0, 0.5),
       mw=st.tuples(st.floats(0.1, 2), st.floats(0.1, 2), st.floats(0.1, 2)))
@settings(max_examples=60, deadline=None)
def test_decomposition_reconciles_by_quarter_month_line_and_segment(annual, lines, q1, q4, mw):
    shares = quarter_phasing(q1, q4)
    plan = decompose_target(annual, lines, shares, mw)
    d = plan.detail
    assert (d["target"] >= 0).all()
    assert d["target"].sum() == annual
    by_q = plan.by_quarter()
    by_m = plan.by_month()
    assert by_q.sum() == by_m.sum() == plan.by_line().sum() == plan.by_segment().sum() == annual
    for q in range(1, 5):
        # each quarter is its share rounded to a neighbouring whole amount ...
        assert abs(by_q[q] - annual * shares[q - 1]) < 1 + 1e-6 * annual
        # ... and its three months add up to it exactly
        months = by_m[[3 * q - 2, 3 * q - 1, 3 * q]]
        assert months.sum() == by_q[q]
        for m, w in zip(months.index, mw, strict=True):
            assert abs(months[m] - by_q[q] * w / sum(mw)) < 1 + 1e-9 * annual
    # a line's total is within one unit per segment of its share; new vs existing likewise
    for ln in lines:
        got = d.loc[d["line"] == ln.name, "target"].sum()
        assert abs(got - annual * ln.share) < 2 + 1e-6 * annual
        new = d.loc[(d["line"] == ln.name) & (d["segment"] == "new"), "target"].sum()
        assert abs(new - annual * ln.share * ln.new_share) < 1 + 1e-6 * annual
    high = sum(ln.share for ln in lines if ln.high_margin)
    if annual:
        assert plan.high_margin_share == pytest.approx(high, abs=2 * len(lines) / annual + 1e-6)


def test_course_example_q1_is_a_fifth_and_high_margin_is_forty_percent():
    plan = decompose_target(8_000_000, DEFAULT_LINES, quarter_phasing(0.20, 0.25))
    assert plan.by_quarter().tolist() == [1_600_000, 2_200_000, 2_200_000, 2_000_000]
    assert plan.by_month().loc[1:3].tolist() == [533_334, 533_333, 533_333]
    assert plan.high_margin_share == pytest.approx(0.40)
    table = plan.monthly_table()
    assert table["cumulative"].iloc[-1] == 8_000_000
    assert table.loc[3, "cumulative"] == 1_600_000


def test_bad_inputs_name_the_field_and_the_fix():
    with pytest.raises(DataError, match="q1\\+q4.*lower one"):
        quarter_phasing(0.7, 0.5)
    with pytest.raises(DataError, match="quarter_shares.*add up to 1"):
        decompose_target(100, DEFAULT_LINES, (0.5, 0.5, 0.5, 0.5))
    with pytest.raises(DataError, match="annual"):
        decompose_target(-5)
    with pytest.raises(DataError, match="new_share"):
        decompose_target(100, [ProductLine("x", 1.0, new_share=1.5)])


def test_a_negative_share_gets_its_own_fix():
    with pytest.raises(DataError, match="q1\\+q4: -10% \\+ 30% = 20%; a share cannot be negative"):
        quarter_phasing(-0.1, 0.3)


def test_bad_inputs_are_explained_in_chinese(zh):
    with pytest.raises(DataError) as err:
        quarter_phasing(0.7, 0.5)
    assert "q1+q4: 70% + 50% = 120%；请调低其中一个" in str(err.value)
    with pytest.raises(DataError) as err:
        decompose_target(100, DEFAULT_LINES, (0.5, 0.5, 0.5, 0.5))
    assert "quarter_shares: 收到的是 [0.5, 0.5, 0.5, 0.5]（合计 2.000）" in str(err.value)
