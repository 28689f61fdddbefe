"""Goal-quality checks and plan-vs-actual tracking."""

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain import t
from salestrain.base.errors import DataError
from salestrain.core.goals import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    Goal,
    check_goal,
    plan_vs_actual,
)

TODAY = date(2025, 1, 6)


def verdicts(goal):
    return {f.rule: f.passed for f in check_goal(goal, TODAY)}


def test_a_worksheet_goal_from_the_course_passes_all_four_rules():
    goal = Goal("sign new qualified customers", measure="new qualified customers per month",
                target=5, owner="Ada Wen", deadline=date(2025, 12, 31), baseline=4)
    findings = check_goal(goal, TODAY)
    assert [f.rule for f in findings] == ["clear", "measurable", "individual", "realistic"]
    assert all(f.passed for f in findings)
    assert "Ada Wen" in t(findings[2].key, **findings[2].values)


def test_each_rule_fails_for_its_own_reason_and_explains_it():
    vague = Goal("improve customer relationships", owner="Ada Wen", deadline=date(2025, 6, 30))
    v = check_goal(vague, TODAY)
    assert not v[0].passed and "target" in v[0].values["missing"]
    assert not v[1].passed
    vague_verb = Goal("increase sales", target=10, owner="Ada Wen", deadline=date(2025, 12, 31))
    finding = check_goal(vague_verb, TODAY)[0]
    assert finding.key == "goals.check.clear_vague" and finding.values["word"] == "increase"
    zh = Goal("提升客户满意度", target=0.9, owner="林晓", deadline=date(2025, 12, 31))
    assert check_goal(zh, TODAY)[0].values["word"] == "提升"
    measured = Goal("increase repurchase", "repurchase rate", 0.3, "Ada Wen", date(2025, 12, 31))
    assert check_goal(measured, TODAY)[0].passed
    team = Goal("revenue", "revenue", 1e6, owner="the KA team", deadline=date(2025, 12, 31))
    assert verdicts(team) == {"clear": True, "measurable": True, "individual": False, "realistic": True}
    assert "group" in t(check_goal(team, TODAY)[2].key, owner="the KA team")
    pair = Goal("revenue", "revenue", 1e6, owner="Ada Wen and Ben Qiao", deadline=date(2025, 12, 31))
    assert verdicts(pair)["individual"] is False
    for owner, ok in (("大客户团队", False), ("林晓、王芳", False), ("Sally Andrews", True), ("王和平", True)):
        g = Goal("revenue", "revenue", 1e6, owner=owner, deadline=date(2025, 12, 31))
        assert verdicts(g)["individual"] is ok, owner
    stretch = Goal("repurchase", "repurchase rate", 0.6, "Ada Wen", date(2025, 12, 31), baseline=0.3)
    finding = check_goal(stretch, TODAY)[3]
    assert not finding.passed and finding.values["growth"] == "100%"
    past = Goal("revenue", "revenue", 1e6, "Ada Wen", date(2024, 12, 31))
    assert verdicts(past)["realistic"] is False
    far = Goal("revenue", "revenue", 1e6, "Ada Wen", date(2027, 12, 31))
    assert check_goal(far, TODAY)[3].key == "goals.check.realistic_far"


def frame(kpi, values, col):
    return pd.DataFrame({"kpi": kpi, "period": range(1, len(values) + 1), col: values})


def test_plan_vs_actual_for_a_summed_and_a_rate_kpi():
    plan = pd.concat([frame("revenue", [100.0] * 12, "plan"),
                      frame("collected_60d", [0.9] * 12, "plan")])
    actual = pd.concat([frame("revenue", [90.0, 80.0, 100.0], "actual"),
                        frame("collected_60d", [0.9, 0.95, 1.0], "actual")])
    tr = plan_vs_actual(plan, actual)
    rev = tr.summary.loc["revenue"]
    assert rev["elapsed"] == 3 and rev["actual_to_date"] == 270 and rev["gap_to_date"] == -30
    assert rev["achievement_to_date"] == pytest.approx(0.9)
    assert rev["projected"] == pytest.approx(1080)  # 270 / 3 x 12
    assert rev["status"] == AT_RISK  # 90% is the edge of off track
    col = tr.summary.loc["collected_60d"]
    assert col["projected"] == pytest.approx(0.95) and col["status"] == ON_TRACK
    month2 = tr.periods.query("kpi == 'revenue' and period == 2").iloc[0]
    assert month2["gap"] == -20 and month2["achievement"] == pytest.approx(0.8)
    assert tr.periods.query("kpi == 'revenue' and period == 4")["actual"].isna().all()


@given(st.lists(st.floats(1, 1e6), min_size=12, max_size=12),
       st.lists(st.floats(0, 1e6), min_size=1, max_size=12))
@settings(max_examples=40, deadline=None)
def test_run_rate_projection_and_status_agree_with_achievement(plan_values, actual_values):
    tr = plan_vs_actual(frame("revenue", plan_values, "plan"), frame("revenue", actual_values, "actual"))
    s = tr.summary.loc["revenue"]
    k = len(actual_values)
    assert s["projected"] == pytest.approx(sum(actual_values) * 12 / k)
    assert s["gap_to_date"] == pytest.approx(sum(actual_values) - sum(plan_values[:k]))
    ach = s["achievement_to_date"]
    expected = ON_TRACK if ach >= 1 else AT_RISK if ach >= 0.9 else OFF_TRACK
    assert s["status"] == expected


def test_unknown_kpi_and_missing_column_are_named():
    with pytest.raises(DataError, match="'calls' is not one of"):
        plan_vs_actual(frame("calls", [1.0], "plan"), frame("calls", [1.0], "actual"))
    with pytest.raises(DataError, match="column 'actual' is missing"):
        plan_vs_actual(frame("revenue", [1.0], "plan"), frame("revenue", [1.0], "value"))


def test_bad_cells_are_named_by_row_column_and_value():
    plan = pd.DataFrame({"kpi": ["revenue", "revenue", "revenue", "calls"],
                         "period": [1, 2, 2, "x"], "plan": [100, "1,000", 3, None]})
    actual = pd.DataFrame({"kpi": ["revenue", "revenue"], "period": [1, 13], "actual": [90, ""]})
    with pytest.raises(DataError) as err:
        plan_vs_actual(plan, actual)
    text = str(err.value)
    # One grammar (issue 12): "1,000" is a number in every table, so 5 problems, not 6.
    assert text.startswith("plan vs actual: 5 problems")
    assert "plan:2: plan:" not in text
    assert "plan:3: period: revenue period 2 already appears on row 2" in text
    assert "plan:4: kpi: 'calls' is not one of revenue" in text
    assert "plan:4: period: 'x' is not a period; write a whole number from 1 to 12" in text
    assert "plan:4: plan: an empty cell is not a number" in text
    assert "actual:2: period: 13 is not a period" in text
    # an actual with no plan row would otherwise vanish from the comparison
    with pytest.raises(DataError, match="actual:1: period: there is no plan for revenue in period 2"):
        plan_vs_actual(frame("revenue", [1.0], "plan"), pd.DataFrame(
            {"kpi": ["revenue"], "period": [2], "actual": [1.0]}))


def test_numbers_typed_as_text_and_blank_actuals_are_accepted():
    plan = frame("revenue", ["100", "100", " 100 "], "plan")
    actual = frame("revenue", ["90", ""], "actual")
    s = plan_vs_actual(plan, actual, n_periods=3).summary.loc["revenue"]
    assert s["elapsed"] == 1 and s["actual_to_date"] == 90 and s["projected"] == 270


def test_a_bad_plan_table_is_explained_in_chinese(zh):
    plan = pd.DataFrame({"kpi": ["revenue", "calls"], "period": [1, 2], "plan": ["abc", 5]})
    with pytest.raises(DataError) as err:
        plan_vs_actual(plan, frame("revenue", [1.0], "actual"))
    text = str(err.value)
    assert "计划与实际对比" in text and "2 处问题" in text
    # the row, the column and the bad value survive the translation
    assert "plan:1: plan: 'abc' 不是数字" in text
    assert "plan:2: kpi: 'calls' 不是可用的 KPI" in text
    with pytest.raises(DataError, match="缺少列 'actual'"):
        plan_vs_actual(frame("revenue", [1.0], "plan"), frame("revenue", [1.0], "value"))
