"""A manager's coaching hours split by style: properties of the split and its errors."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salestrain.base.errors import DataError
from salestrain.core.coaching import STYLES
from salestrain.core.coaching.coaching_time import BEHAVIOUR, STYLE_TIME, coaching_time

teams = st.dictionaries(st.text(min_size=1, max_size=8), st.sampled_from(STYLES), min_size=1, max_size=12)
hours = st.floats(0.5, 60, allow_nan=False)


@given(teams, hours)
def test_the_hours_add_back_up_per_rep_and_per_style(team, total):
    split = coaching_time(team, total)
    assert math.isclose(sum(split.per_rep.values()), total)
    assert math.isclose(sum(split.per_style.values()), total)
    assert set(split.per_style) == set(STYLES)
    for style in STYLES:
        assert split.reps_per_style[style] == tuple(r for r, s in team.items() if s == style)


@given(teams, hours)
def test_reps_in_the_same_style_get_the_same_time_and_more_weight_means_more_time(team, total):
    split = coaching_time(team, total)
    for a, sa in team.items():
        for b, sb in team.items():
            if STYLE_TIME[sa] > STYLE_TIME[sb]:
                assert split.per_rep[a] > split.per_rep[b]
            elif sa == sb:
                assert math.isclose(split.per_rep[a], split.per_rep[b])


def test_guide_takes_most_and_delegate_least_per_rep():
    # Situational leadership: S2 is high on both behaviours, S4 low on both.
    assert BEHAVIOUR["guide"] == (2, 2) and BEHAVIOUR["delegate"] == (1, 1)
    split = coaching_time({"a": "direct", "b": "guide", "c": "excite", "d": "delegate"}, 12)
    assert split.per_rep == pytest.approx({"a": 3.0, "b": 4.0, "c": 3.0, "d": 2.0})
    assert split.most_per_rep == "guide"
    assert split.hours_per_rep("guide") == pytest.approx(2 * split.hours_per_rep("delegate"))


def test_an_empty_style_gets_nothing_and_weights_can_be_the_trainers():
    split = coaching_time({"a": "guide", "b": "delegate"}, 9,
                          weights={"direct": 5, "guide": 2, "excite": 1, "delegate": 1})
    assert split.per_style["direct"] == 0 and split.hours_per_rep("direct") == 0
    assert split.per_rep == pytest.approx({"a": 6.0, "b": 3.0})


@pytest.mark.parametrize("bad", [0, -3, float("nan"), float("inf"), "ten"])
def test_bad_hours_are_named(bad):
    with pytest.raises(DataError, match="coaching hours"):
        coaching_time({"a": "guide"}, bad)


def test_an_unknown_style_names_the_rep_and_the_styles():
    with pytest.raises(DataError, match=r"rep Ann: style 'coach'.*direct, guide, excite, delegate"):
        coaching_time({"Ann": "coach"}, 10)


def test_a_missing_or_zero_weight_is_named():
    with pytest.raises(DataError, match="weight of excite"):
        coaching_time({"a": "guide"}, 10, weights={"direct": 1, "guide": 1, "delegate": 1})
    with pytest.raises(DataError, match="weight of direct is 0"):
        coaching_time({"a": "guide"}, 10, weights={"direct": 0, "guide": 1, "excite": 1, "delegate": 1})
