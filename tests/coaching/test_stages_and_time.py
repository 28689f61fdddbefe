"""Weakest stage from funnel counts, and the time matrix."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import DataError
from salestrain.base.i18n import has_key
from salestrain.core.coaching import (
    HEALTHY_PROFILE,
    QUADRANTS,
    STAGES,
    quadrant,
    stage_conversion,
    stage_plan,
    stages_from_funnel,
    team_benchmark,
    time_profile,
)


def funnel(rows):
    return pd.DataFrame(rows, columns=["stage", "entered", "advanced"])


REP = funnel([("need_recognition", 40, 20), ("Evaluation of options", 20, 15),
              ("resolution_of_concerns", 15, 12), ("decision", 12, 3), ("implementation", 3, 3)])
TEAM = funnel([("need_recognition", 100, 30), ("evaluation_of_options", 30, 21),
               ("resolution_of_concerns", 21, 18), ("decision", 18, 12), ("implementation", 12, 11)])


def test_weakest_absolute_and_relative_to_team():
    absolute = stages_from_funnel(REP)
    assert absolute.scores["decision"] == pytest.approx(3 / 12)
    assert absolute.weakest == "decision"
    # Need recognition converts at 50% vs the team's 30%: a strength, not a weakness.
    rel = stages_from_funnel(REP, TEAM)
    assert rel.scores["need_recognition"] == pytest.approx(0.5 / 0.3)
    assert rel.weakest == "decision"
    weak_start = funnel([("need_recognition", 40, 8), ("decision", 10, 6)])
    assert stages_from_funnel(weak_start).weakest == "need_recognition"
    assert stages_from_funnel(funnel([("need_recognition", 10, 2), ("decision", 10, 6)]),
                              {"need_recognition": 0.1, "decision": 0.9}).weakest == "decision"


def test_team_benchmark_pools_counts():
    bench = team_benchmark({"a": REP, "b": TEAM})
    assert bench["decision"] == pytest.approx((3 + 12) / (12 + 18))


def test_bad_funnel_rows_name_line_column_value_and_fix():
    bad = funnel([("need_recognition", 10, 12), ("closing", 5, 1), ("decision", "ten", 2),
                  ("implementation", 0, 0)])
    with pytest.raises(DataError) as err:
        stage_conversion(bad, "lin.csv")
    text = str(err.value)
    assert "lin.csv:2: advanced: 12 advanced but only 10 entered" in text
    assert "lin.csv:3: stage: 'closing' is not a stage" in text and "need_recognition" in text
    assert "lin.csv:4: entered: 'ten' is not a count; write a whole number" in text
    assert "lin.csv:5: entered: 0 opportunities entered implementation" in text
    with pytest.raises(DataError, match="missing column"):
        stage_conversion(pd.DataFrame({"stage": ["decision"]}))


@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 50)), min_size=5, max_size=5))
@settings(max_examples=50, deadline=None)
def test_weakest_stage_has_the_lowest_conversion(pairs):
    rows = [(s, e, min(a, e)) for s, (e, a) in zip(STAGES, pairs, strict=True)]
    d = stages_from_funnel(funnel(rows))
    rates = {s: a / e for s, e, a in rows}
    assert rates[d.weakest] == min(rates.values())
    first = next(s for s in STAGES if rates[s] == min(rates.values()))
    assert d.weakest == first  # ties go to the earliest stage


def test_stage_plans_are_in_the_catalog():
    for stage in STAGES:
        plan = stage_plan(stage)
        assert all(has_key(k) for k in (plan.focus, *plan.plan, f"coaching.stage.{stage}.name"))
    with pytest.raises(DataError, match="unknown stage"):
        stage_plan("closing")


def week(rows):
    return pd.DataFrame(rows, columns=["task", "hours", "important", "urgent"])


def test_time_profile_by_hand():
    p = time_profile(week([("complaint", 4, "yes", "yes"), ("plan", 2, True, False),
                           ("meeting", 3, "no", "yes"), ("email", 1, "n", "")]))
    assert p.hours == {"M1": 4, "M2": 2, "M3": 3, "M4": 1}
    # M1 and M3 are both 15 points over the profile: the tie goes to M1 (listed first).
    assert p.gaps["M1"] == pytest.approx(p.gaps["M3"]) and p.most_over == "M1"
    p = time_profile(week([("complaint", 4, "yes", "yes"), ("plan", 2, True, False),
                           ("meeting", 3, "no", "yes"), ("email", 1, "n", "")]),
                     {"M1": 0.3, "M2": 0.55, "M3": 0.1, "M4": 0.05})
    assert p.shares["M2"] == pytest.approx(0.2)
    assert p.hours_to_move_into_m2 == pytest.approx((0.55 - 0.2) * 10)
    assert p.most_over == "M3"
    assert quadrant(True, False) == "M2" and quadrant(False, True) == "M3"


def test_bad_week_rows_name_line_and_column():
    with pytest.raises(DataError) as err:
        time_profile(week([("a", -1, "yes", "yes"), ("b", 2, "maybe", "no")]), source="week.csv")
    assert "week.csv:2: hours: -1" in str(err.value)
    assert "week.csv:3: important: 'maybe' is not yes/no; write yes or no" in str(err.value)
    with pytest.raises(DataError, match="sum to 1"):
        time_profile(week([("a", 1, "yes", "yes")]), {"M1": 0.5, "M2": 0.6, "M3": 0, "M4": 0})


@given(st.lists(st.tuples(st.floats(0, 20), st.booleans(), st.booleans()), min_size=1, max_size=12))
@settings(max_examples=50, deadline=None)
def test_shares_sum_to_one_and_shift_matches_gaps(tasks):
    if sum(h for h, _, _ in tasks) <= 0:
        return
    p = time_profile(week([(f"t{n}", h, i, u) for n, (h, i, u) in enumerate(tasks)]))
    assert sum(p.shares.values()) == pytest.approx(1)
    assert sum(p.gaps.values()) == pytest.approx(0, abs=1e-9)
    assert 0 <= p.shift_needed <= 1
    assert p.shift_needed >= max(0, HEALTHY_PROFILE["M2"] - p.shares["M2"]) - 1e-9
    assert set(p.shares) == set(QUADRANTS)


def test_a_bad_week_row_is_explained_in_chinese(zh):
    with pytest.raises(DataError) as err:
        time_profile(week([("a", "two", "yes", "no"), ("b", 2, "maybe", "no")]), source="week.csv")
    text = str(err.value)
    assert "week.csv 有 2 处问题" in text
    assert "week.csv:2: hours: 'two' 不是小时数" in text
    assert "week.csv:3: important: 'maybe' 不是 yes/no" in text
    with pytest.raises(DataError) as err:
        stage_conversion(funnel([("decision", 3, 5)]), "lin.csv")
    assert "lin.csv:2: advanced: 推进了 5 个，但只进入了 3 个" in str(err.value)


def test_chinese_yes_and_no_count_as_flags():
    p = time_profile(week([("complaint", 4, "是", "是"), ("plan", 2, "是", "否")]))
    assert p.hours["M1"] == 4 and p.hours["M2"] == 2


def test_a_tie_for_weakest_stage_is_reported_not_hidden():
    from salestrain.core.coaching.stages import StageDiagnosis

    tie = StageDiagnosis({"need_recognition": 2.0, "evaluation_of_options": 4.0,
                          "resolution_of_concerns": 2.0, "decision": 2.0}, "assessment")
    assert tie.weakest == "need_recognition"  # the earliest, by the documented rule
    assert tie.tied == ("resolution_of_concerns", "decision")
    clear = StageDiagnosis({"need_recognition": 2.0, "decision": 1.0}, "assessment")
    assert clear.weakest == "decision" and clear.tied == ()
