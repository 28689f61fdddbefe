"""Aggregation, placement and the border rule, checked against hand sums and properties."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import DataError
from salestrain.base.i18n import has_key
from salestrain.core.coaching import (
    STYLES,
    Instrument,
    Item,
    Thresholds,
    advise,
    aggregate,
    classify,
    stages_from_assessment,
    style_for,
    style_plan,
)
from salestrain.io.coaching.content import load_instrument

INST = Instrument("t", (
    Item("a", "capability", 1.0, "A", "need_recognition"),
    Item("b", "capability", 3.0, "B", "decision"),
    Item("m", "willingness", 1.0, "M"),
    Item("c", "willingness", 1.0, "C"),
))

scores = st.integers(1, 5)


def test_weighted_mean_and_gap_by_hand():
    a = aggregate(INST, {"a": 5, "b": 1, "m": 4, "c": 4}, {"a": 1, "b": 3, "m": 2, "c": 3})
    assert a.capability.self == pytest.approx((5 * 1 + 1 * 3) / 4)  # 2.0
    assert a.capability.manager == pytest.approx((1 * 1 + 3 * 3) / 4)  # 2.5
    assert a.capability.gap == pytest.approx(-0.5)
    assert a.willingness.gap == pytest.approx(4 - 2.5)
    assert a.large_gaps() == {"a": 4.0, "b": -2.0, "m": 2.0, "c": 1.0}  # flag: |gap| >= 1
    assert a.large_gaps(1.5) == {"a": 4.0, "b": -2.0, "m": 2.0}


def test_missing_items_drop_out_of_the_mean_and_views_fall_back():
    a = aggregate(INST, {"a": 4, "m": 2}, {"b": 2, "c": 5})
    assert a.capability.self == 4 and a.capability.manager == 2
    only_self = aggregate(INST, {"a": 4, "b": 4, "m": 2, "c": 2}, None)
    assert only_self.score("capability", "manager") == 4  # manager view falls back to self
    assert only_self.capability.gap is None
    blend = aggregate(INST, {"a": 4, "b": 4, "m": 2, "c": 2}, {"a": 2, "b": 2, "m": 4, "c": 4})
    assert blend.score("capability", "blend") == 3 and blend.score("willingness", "blend") == 3


def test_bad_scores_name_item_value_and_fix():
    with pytest.raises(DataError) as err:
        aggregate(INST, {"a": 7, "zz": 3}, {"m": 3})
    text = str(err.value)
    assert "self: a: score 7 is outside 1-5" in text
    assert "unknown item 'zz'" in text and "a, b, m, c" in text
    with pytest.raises(DataError, match="no willingness item was scored"):
        aggregate(INST, {"a": 3}, {"b": 3})


def test_border_rule_is_explicit_and_configurable():
    high = Thresholds(3.0, 3.0, "high")
    low = Thresholds(3.0, 3.0, "low")
    assert classify(3.0, 3.0, high).style == "delegate"
    assert classify(3.0, 3.0, low).style == "direct"
    assert classify(3.0, 3.5, low).style == "guide"
    assert classify(3.01, 2.99, low).style == "excite"
    p = classify(3.2, 4.5, Thresholds(margin=0.25))
    assert p.borderline == ("capability",)


def test_the_four_styles_follow_skill_and_will():
    assert style_for(False, False) == "direct"
    assert style_for(False, True) == "guide"
    assert style_for(True, False) == "excite"
    assert style_for(True, True) == "delegate"
    assert {classify(x, y).situational for x in (1, 5) for y in (1, 5)} == {"S1", "S2", "S3", "S4"}


def test_every_style_and_plan_key_is_in_the_catalog():
    for style in STYLES:
        plan = style_plan(style)
        for key in (plan.name, plan.leadership, plan.decision, *plan.actions):
            assert has_key(key), key


@given(st.lists(scores, min_size=4, max_size=4), st.lists(scores, min_size=4, max_size=4))
@settings(max_examples=60, deadline=None)
def test_dimension_scores_stay_on_the_scale_and_gap_is_antisymmetric(own, boss):
    s = dict(zip("abmc", own, strict=True))
    m = dict(zip("abmc", boss, strict=True))
    a, b = aggregate(INST, s, m), aggregate(INST, m, s)
    for dim in ("capability", "willingness"):
        assert 1 <= getattr(a, dim).self <= 5
        assert getattr(a, dim).gap == pytest.approx(-getattr(b, dim).gap)
        lo, hi = sorted((getattr(a, dim).self, getattr(a, dim).manager))
        assert lo - 1e-9 <= a.score(dim, "blend") <= hi + 1e-9


@given(st.floats(1, 5), st.floats(1, 5), st.floats(1.5, 4.5), st.floats(1.5, 4.5),
       st.sampled_from(["high", "low"]))
@settings(max_examples=80, deadline=None)
def test_classification_is_monotone(x, y, cx, cy, border):
    th = Thresholds(cx, cy, border)
    p = classify(x, y, th)
    # Raising a score never lowers the quadrant on that axis.
    up = classify(min(5, x + 0.5), min(5, y + 0.5), th)
    assert up.high_capability >= p.high_capability and up.high_willingness >= p.high_willingness
    assert p.high_capability == (x >= cx if border == "high" else x > cx)
    assert p.high_willingness == (y >= cy if border == "high" else y > cy)


def test_shipped_instrument_weights_and_stages():
    inst = load_instrument()
    assert {i.dimension for i in inst.items} == {"capability", "willingness"}
    assert {i.stage for i in inst.items_of("capability")} == {
        "need_recognition", "evaluation_of_options", "resolution_of_concerns", "decision",
        "implementation"}
    ones = {i.id: 3 for i in inst.items}
    ones["discovery"] = 1  # the need-recognition item
    advice = advise(inst, None, ones)
    weights = {i.id: i.weight for i in inst.items_of("capability")}
    expected = (sum(3 * w for w in weights.values()) - 2 * weights["discovery"]) / sum(weights.values())
    assert advice.placement.capability == pytest.approx(expected)
    assert advice.stages.weakest == "need_recognition"
    # capability under the 3.0 line; willingness exactly on it counts as high (border: high)
    assert advice.style == "guide"


def test_stages_from_items_ties_go_to_the_earliest_stage():
    a = aggregate(INST, None, {"a": 3, "b": 3, "m": 3, "c": 3})
    d = stages_from_assessment(INST, a)
    assert d.scores == {"need_recognition": 3, "decision": 3}
    assert d.weakest == "need_recognition"
    d2 = stages_from_assessment(INST, aggregate(INST, None, {"a": 4, "b": 2, "m": 3}))
    assert d2.weakest == "decision" and d2.plan.focus == "coaching.stage.decision.focus"
    assert not math.isnan(d2.scores["decision"])


def test_bad_scores_are_explained_in_chinese(zh):
    with pytest.raises(DataError) as err:
        aggregate(INST, {"a": 7}, {"m": 3})
    assert "self: a: 分数 7 超出了 1-5 的范围" in str(err.value)
    with pytest.raises(DataError, match="没有给任何意愿项目打分"):
        aggregate(INST, {"a": 3}, {"b": 3})


def test_a_rep_on_both_lines_is_not_simply_delegate():
    from salestrain.core.coaching.matrix import classify

    on_lines = classify(3.0, 3.0)
    assert on_lines.style == "delegate"  # the documented border rule still places him
    assert on_lines.needs_evidence
    assert set(on_lines.possible_styles) == {"direct", "guide", "excite", "delegate"}
    assert on_lines.possible_styles[0] == "delegate"
    near_one = classify(3.1, 4.5)
    assert near_one.possible_styles == ("delegate", "guide")  # only capability is near its line
    clear = classify(4.5, 4.5)
    assert clear.possible_styles == ("delegate",) and not clear.needs_evidence


def test_a_two_quadrant_jump_is_flagged():
    from salestrain.core.coaching.matrix import classify, jumps, quadrant_distance

    path = [classify(2.0, 2.0), classify(2.2, 3.8), classify(4.1, 4.0), classify(1.8, 1.9)]
    assert [p.style for p in path] == ["direct", "guide", "delegate", "direct"]
    assert jumps(path) == [3]  # delegate straight back to direct crosses both lines
    assert jumps([classify(2.0, 2.0), classify(4.0, 4.0)]) == [1]  # Daniel: direct to delegate
    assert quadrant_distance("guide", "excite") == 2 and quadrant_distance("guide", "delegate") == 1
