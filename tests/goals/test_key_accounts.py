"""Key accounts in the plan: the handout's figures as arithmetic, and growth-goal progress."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.core.accounts import key_accounts as ka

shares = st.floats(0.01, 1.0)


def test_the_handouts_figures_need_most_of_the_ka_segment():
    # Share 60 %, KA = a third of the industry, KA >= 40 % of revenue: 72 % of the segment.
    assert ka.ka_segment_share_needed(0.6, 1 / 3) == pytest.approx(0.72)
    # With KA only a quarter of the industry the same plan needs 96 %.
    assert ka.ka_segment_share_needed(0.6, 1 / 4) == pytest.approx(0.96)
    # At today's 35 % share it needs 42-56 %.
    assert ka.ka_segment_share_needed(0.35, 1 / 3) == pytest.approx(0.42)
    assert ka.ka_segment_share_needed(0.35, 1 / 4) == pytest.approx(0.56)


@given(shares, shares, shares)
@settings(max_examples=100, deadline=None)
def test_holding_exactly_the_needed_share_gives_exactly_the_ka_share_of_revenue(market, ka_part, wanted):
    x = ka.ka_segment_share_needed(market, ka_part, wanted)
    industry = 1_000.0
    own_revenue = market * industry
    own_ka = x * ka_part * industry
    assert own_ka / own_revenue == pytest.approx(wanted)


@given(shares, shares, shares, shares)
@settings(max_examples=100, deadline=None)
def test_more_share_or_a_smaller_ka_segment_needs_more_of_it(m1, m2, k1, k2):
    lo_m, hi_m = sorted((m1, m2))
    lo_k, hi_k = sorted((k1, k2))
    assert ka.ka_segment_share_needed(lo_m, hi_k) <= ka.ka_segment_share_needed(hi_m, hi_k)
    assert ka.ka_segment_share_needed(hi_m, hi_k) <= ka.ka_segment_share_needed(hi_m, lo_k)


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, math.nan, math.inf])
def test_a_share_outside_zero_to_one_is_refused_by_name(bad):
    with pytest.raises(ValueError, match="market_share"):
        ka.ka_segment_share_needed(bad, 0.3)
    with pytest.raises(ValueError, match="ka_share_of_industry"):
        ka.ka_segment_share_needed(0.3, bad)


def test_ka_growing_30_percent_a_year_more_than_doubles_in_three_years():
    assert ka.segment_growth(2) == pytest.approx(1.69)
    assert ka.segment_growth(3) > 2 > ka.segment_growth(2)
    assert ka.segment_growth(0) == 1


@given(st.floats(-0.9, 2.0), st.floats(0, 10), st.floats(0, 10))
@settings(max_examples=100, deadline=None)
def test_growth_compounds(rate, a, b):
    assert ka.segment_growth(a + b, rate) == pytest.approx(ka.segment_growth(a, rate) * ka.segment_growth(b, rate))


def test_a_deal_cycle_halfway_to_minus_20_percent_is_half_done():
    assert ka.improvement_progress(120, 96, 108) == pytest.approx(0.5)
    assert ka.improvement_progress(0.12, 0.09, 0.13) < 0  # discounts grew: the wrong way
    assert ka.improvement_progress(30, 40, 45) == pytest.approx(1.5)  # a rate that beat its target


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(0, 1))
@settings(max_examples=100, deadline=None)
def test_progress_is_zero_at_the_baseline_one_at_the_target_and_linear_between(baseline, target, f):
    if abs(target - baseline) < 1e-6:
        return
    assert ka.improvement_progress(baseline, target, baseline) == 0
    assert ka.improvement_progress(baseline, target, target) == pytest.approx(1)
    actual = baseline + f * (target - baseline)
    assert ka.improvement_progress(baseline, target, actual) == pytest.approx(f, abs=1e-6)


def test_a_goal_with_no_improvement_is_refused():
    with pytest.raises(ValueError, match="no improvement"):
        ka.improvement_progress(96, 96, 100)


def test_the_eight_principles_are_eight_distinct_keys():
    assert len(ka.PRINCIPLES) == len(set(ka.PRINCIPLES)) == 8


def test_relationship_layers_line_up_all_four_layers_and_add_up():
    contacts = pd.DataFrame({"role": ["Decision maker", "user", "coach", "economic buyer"],
                             "influence": [5, 2, 3, 4],
                             "relationship": ["none", "business", "business", "interpersonal"]})
    layers = ka.relationship_layers(contacts)
    assert list(layers.index) == list(ka.LAYERS)
    assert layers.loc["partnership"].tolist() == [0, 0, 0]  # nobody there: zeros, not a missing row
    assert layers.loc["business", "contacts"] == 2 and layers.loc["business", "influence"] == 5
    assert layers["decision_makers"].tolist() == [1, 1, 0, 0]  # synonyms count as decision makers
    assert layers["influence"].sum() == contacts["influence"].sum()


def test_an_unknown_layer_is_named():
    contacts = pd.DataFrame({"role": ["user"], "influence": [1], "relationship": ["friendship"]})
    with pytest.raises(ValueError, match="friendship"):
        ka.relationship_layers(contacts)
