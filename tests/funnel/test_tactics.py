"""A stage-specific tactic raises one stage's conversion: who gains, by how much."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salestrain.base.errors import DataError
from salestrain.core.funnel import DEFAULT_STAGES, Stages
from salestrain.core.funnel.tactics import conversion, lift_conversion, liftable_stages

OPEN = ("potential", "intention", "proposal", "negotiation")
deal_stages = st.lists(st.sampled_from(DEFAULT_STAGES.names), min_size=1, max_size=30)
points = st.floats(0.0, 1.0)


def course(stages):
    return np.array([DEFAULT_STAGES.probability(s) for s in stages])


def test_the_course_funnel_moves_on_one_in_three_then_60_then_five_in_seven_then_70_percent():
    assert liftable_stages() == OPEN
    assert [round(conversion(s), 4) for s in OPEN] == [0.3333, 0.6, 0.7143, 0.7]


def test_a_negotiation_tactic_lifts_every_open_deal_and_leaves_won_deals_alone():
    lifted = lift_conversion(["negotiation", "proposal", "potential", "won"], [0.7, 0.5, 0.1, 1.0],
                             "negotiation", 0.1)
    assert lifted == pytest.approx([0.8, 0.5 * 8 / 7, 0.1 * 8 / 7, 1.0])


def test_a_potential_tactic_lifts_only_potential_deals():
    lifted = lift_conversion(["potential", "intention", "negotiation"], [0.1, 0.3, 0.7], "potential", 0.1)
    assert lifted == pytest.approx([0.13, 0.3, 0.7])


def test_chinese_stage_names_are_read_like_the_pipeline_reads_them():
    assert lift_conversion(["谈判", "潜在"], [0.7, 0.1], "谈判", 0.1) == pytest.approx([0.8, 0.1 * 8 / 7])


@given(deal_stages, st.sampled_from(OPEN), points)
def test_the_chain_of_conversions_gives_the_same_probabilities(stages, stage, pts):
    # An independent route: each deal's probability as the product of the conversions it still
    # has to pass, with the lifted stage's conversion replaced.
    names = DEFAULT_STAGES.names
    conv = {s: conversion(s) for s in OPEN}
    conv[stage] = min(1.0, conv[stage] + pts)
    expected = [math.prod(conv[s] for s in names[names.index(d):-1]) for d in stages]
    assert lift_conversion(stages, course(stages), stage, pts) == pytest.approx(expected)


@given(deal_stages, st.sampled_from(OPEN), points, points)
def test_more_points_never_lower_a_probability_and_none_leaves_0_to_1(stages, stage, low, high):
    low, high = sorted((low, high))
    before = course(stages)
    a = lift_conversion(stages, before, stage, low)
    b = lift_conversion(stages, before, stage, high)
    assert (before <= a + 1e-12).all() and (a <= b + 1e-12).all() and (b <= 1.0).all()
    past = np.array([DEFAULT_STAGES.names.index(s) > DEFAULT_STAGES.names.index(stage) for s in stages])
    assert (a[past] == before[past]).all()  # deals past the stage have nothing left to gain there


@given(deal_stages, st.sampled_from(OPEN))
def test_no_points_change_nothing(stages, stage):
    before = course(stages)
    assert (lift_conversion(stages, before, stage, 0.0) == before).all()


def test_a_reps_own_call_is_scaled_like_the_stages():
    assert lift_conversion(["proposal"], [0.4], "proposal", 0.1)[0] == pytest.approx(0.4 * 0.8143 / 0.7143, rel=1e-3)


@pytest.mark.parametrize("stage", ["won", "closing"])
def test_a_stage_no_tactic_can_lift_is_named_with_the_ones_that_can(stage):
    with pytest.raises(DataError) as err:
        lift_conversion(["proposal"], [0.5], stage, 0.1)
    assert repr(stage) in str(err.value) and "negotiation" in str(err.value)


def test_points_outside_0_to_1_are_named():
    with pytest.raises(DataError, match="1.5"):
        lift_conversion(["proposal"], [0.5], "proposal", 1.5)


def test_an_unknown_deal_stage_is_named():
    with pytest.raises(DataError, match="'closing'"):
        lift_conversion(["proposal", "closing"], [0.5, 0.5], "proposal", 0.1)


def test_a_flat_step_in_a_custom_funnel_cannot_be_lifted():
    flat = Stages.from_pairs([("lead", 0.2), ("demo", 0.2), ("won", 1.0)])
    assert liftable_stages(flat) == ("demo",)
    with pytest.raises(DataError, match="'lead'"):
        lift_conversion(["lead"], [0.2], "lead", 0.1, flat)
