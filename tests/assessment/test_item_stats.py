"""Pre/post statistics: normalised gain, difficulty and point-biserial discrimination,
checked against their definitions and properties (hypothesis), not against copies."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.core.assessment.item_stats import (
    cohort_gain,
    gains,
    item_reports,
    normalised_gain,
    point_biserial,
)

share = st.floats(0, 1, allow_nan=False)


@given(share, share)
def test_gain_is_the_share_of_the_possible_gain_that_was_gained(pre, post):
    g = normalised_gain(pre, post)
    if pre == 1:
        assert g is None
        return
    assert math.isclose(pre + g * (1 - pre), post, abs_tol=1e-9)  # the definition, inverted
    assert (g > 0) == (post > pre) and g <= 1 + 1e-12


def test_gain_of_known_cases_and_bad_shares():
    assert normalised_gain(0.5, 1.0) == 1.0 and normalised_gain(0.5, 0.75) == 0.5
    assert normalised_gain(0.4, 0.1) == pytest.approx(-0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        normalised_gain(1.2, 0.5)


@settings(max_examples=60)
@given(st.lists(st.tuples(share, st.floats(-50, 50, allow_nan=False)), min_size=3, max_size=30))
def test_point_biserial_is_pearsons_r_and_bounded(pairs):
    item, rest = [a for a, _ in pairs], [b for _, b in pairs]
    r = point_biserial(item, rest)
    if r is None:
        assert np.std(item) < 1e-6 or np.std(rest) < 1e-6
        return
    assert -1 <= r <= 1
    assert r == pytest.approx(np.corrcoef(item, rest)[0, 1], abs=1e-6)
    # a linear rescaling of the rest score changes nothing
    assert point_biserial(item, [3 * b + 7 for b in rest]) == pytest.approx(r, abs=1e-6)


def test_items_that_do_not_tell_strong_from_weak_are_flagged():
    # 6 learners, strong to weak; "good" follows strength, "noise" does not, "easy" all got
    strength = [1.0, 0.9, 0.7, 0.4, 0.2, 0.0]
    scores = {f"l{k}": {"a": s, "b": s, "good": 1.0 if s > 0.5 else 0.0,
                        "noise": [1, 0, 1, 0, 0, 1][k], "easy": 1.0, "reverse": 1.0 if s < 0.5 else 0.0}
              for k, s in enumerate(strength)}
    reports = {r.item: r for r in item_reports(scores)}
    assert not reports["good"].flagged and reports["good"].discrimination > 0.4
    assert reports["easy"].flagged and reports["easy"].reason == "no_variation"
    assert reports["easy"].difficulty == 1.0
    assert reports["reverse"].flagged and reports["reverse"].reason == "negative"
    assert reports["noise"].flagged


def test_each_learners_gain_and_the_cohorts():
    pre = {"ana": 0.5, "ben": 0.2, "chen": 1.0}
    post = {"ana": 0.75, "ben": 0.6, "chen": 1.0, "dan": 0.9}
    found = {g.learner: g for g in gains(pre, post)}
    assert found["ana"].gain == pytest.approx(0.5) and found["ben"].gain == pytest.approx(0.5)
    assert found["chen"].gain is None and found["dan"].gain is None  # perfect pre; no pre
    mean_pre, mean_post = (0.5 + 0.2 + 1.0) / 3, (0.75 + 0.6 + 1.0) / 3
    assert cohort_gain(pre, post) == pytest.approx((mean_post - mean_pre) / (1 - mean_pre))
    assert cohort_gain({}, post) is None
