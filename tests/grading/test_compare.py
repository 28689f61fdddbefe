"""Answers become plain data without trusting the learner's objects; comparison rules."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.grading.compare import values_match
from salestrain.grading.format import TestCase
from salestrain.grading.outcome import judge
from salestrain.grading.plain import NotPlainError, evaluate, to_plain


def case(expect, **kw) -> TestCase:
    return TestCase(question="q1", name="n", answer="x", expect=expect, points=1.0,
                    feedback="grading.sample.weighted", **kw)


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__

    def __float__(self):
        return 251000.0


def test_always_equal_object_scores_zero_and_says_what_it_is():
    [record] = evaluate({"x": AlwaysEqual()}, ["x"])
    assert record == {"status": "unsupported", "type": "AlwaysEqual"}
    outcome = judge(case(251000), record)
    assert outcome.status == "failed" and outcome.points == 0
    assert "AlwaysEqual" in outcome.message


def test_float_subclass_is_read_as_the_value_it_holds():
    assert to_plain(LyingFloat(3.0)) == 3.0
    [record] = evaluate({"x": LyingFloat(3.0)}, ["x"])
    assert judge(case(251000), record).status == "failed"


def test_numpy_pandas_and_containers_become_plain():
    assert to_plain(np.float64(0.5)) == 0.5
    assert to_plain(np.array([1, 2])) == [1, 2]
    assert to_plain(pd.Series([1.5, 2.5])) == [1.5, 2.5]
    assert to_plain((1, "a", None, True)) == [1, "a", None, True]
    assert to_plain({"a": np.int64(3)}) == {"a": 3}
    try:
        to_plain({1: 2})
    except NotPlainError as exc:
        assert "int keys" in exc.type_name
    else:
        raise AssertionError("a mapping with number keys is not plain")


def test_errors_in_answers_are_reported_by_name():
    [record] = evaluate({}, ["undefined_name"])
    assert record == {"status": "error", "error": "NameError"}
    [record] = evaluate({"f": lambda: 1 / 0}, ["f()"])
    assert judge(case(1), record).reason == "error: ZeroDivisionError"


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e9, 1e9), st.floats(0, 100))
def test_numbers_within_tolerance_pass_and_outside_fail(x, tol):
    assert values_match(x, x + tol * 0.99, case(x, tolerance=tol)).passed
    if tol > 0 and abs(x) < 1e6:
        assert not values_match(x, x + tol * 1.01 + 1e-6, case(x, tolerance=tol)).passed


@settings(max_examples=40, deadline=None)
@given(st.booleans(), st.integers(0, 1))
def test_a_bool_is_never_a_number(flag, number):
    assert not values_match(number, flag, case(number)).passed
    assert not values_match(flag, number, case(flag)).passed


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abc XYZ", min_size=1, max_size=12))
def test_text_ignores_case_and_runs_of_spaces(text):
    spaced = "  " + "   ".join(text.split()) + " "
    assert values_match(text, spaced.upper(), case(text)).passed
    assert not values_match(text, spaced + "q", case(text)).passed


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=6), st.randoms())
def test_order_any_compares_lists_as_multisets(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert values_match(items, shuffled, case(items, order="any")).passed
    if items:
        changed = shuffled[:-1] + [shuffled[-1] + 1]
        assert not values_match(items, changed, case(items, order="any")).passed


def test_tolerance_smaller_than_float_spacing_still_accepts_rounding_noise():
    # Found by hypothesis: 67108864 + 0.99 * 1.14e-7 rounds to 1.19e-7 away.
    x, tol = 67108864.0, 1.1408508240577025e-07
    assert values_match(x, x + tol * 0.99, case(x, tolerance=tol)).passed
    assert not values_match(x, x + 1e-3, case(x, tolerance=tol)).passed


def test_synonyms_mappings_and_nan():
    assert values_match("proposal", "Proposal  Stage", case("proposal", synonyms=("proposal stage",))).passed
    assert not values_match({"a": 1}, {"a": 1, "b": 2}, case({"a": 1})).passed
    assert values_match({"a": 0.1}, {"a": 0.1000001}, case({"a": 0.1}, tolerance=0.001)).passed
    assert not values_match(1.0, math.nan, case(1.0)).passed


def test_learner_reasons_in_chinese_keep_the_stored_codes():
    from salestrain.base.i18n import set_language
    from salestrain.grading.outcome import TIMED_OUT, stopped

    set_language("zh_CN")
    try:
        error = judge(case(1), {"status": "error", "error": "ZeroDivisionError"})
        kind = judge(case(251000), {"status": "ok", "value": "251000"})
        keys = judge(case({"a": 1}), evaluate({"x": {1: 2}}, ["x"])[0])
        late = stopped(case(1), TIMED_OUT, "超过时间限制（第 3 个单元格）")
        passed = judge(case(1), {"status": "ok", "value": 1})
    finally:
        set_language(None)
    # What the gradebook stores: the status code and the exception name, unchanged.
    assert (error.status, error.message) == ("error", "ZeroDivisionError")
    assert error.as_dict()["status"] == "error" and late.status == "timed out"
    # What the learner reads, worded when read.
    assert passed.reason == "passed"  # English again outside the block
    set_language("zh_CN")
    try:
        assert error.reason == "出错：ZeroDivisionError"
        assert late.reason == "超时：超过时间限制（第 3 个单元格）"
        assert passed.reason == "通过"
    finally:
        set_language(None)
    assert kind.status == "failed" and kind.message.endswith("（应为数字，得到的是文本）")
    assert "你的答案是 251000" in kind.message
    assert "键为 int 类型的映射" in keys.message
