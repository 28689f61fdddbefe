"""salestrain impact: before/after metrics from a stage history (issue 15, Kirkpatrick level 4)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salestrain.base import i18n
from salestrain.base.errors import DataError
from salestrain.cli.main import main
from salestrain.core.funnel.impact import SMALL_SAMPLE, impact, training_periods
from salestrain.io.funnel import data_path, validate_history
from salestrain.io.impact import SAMPLE_IMPACT_DEALS, SAMPLE_IMPACT_HISTORY, write_impact_samples
from tests.language import CJK, english_phrases

HISTORY = data_path(SAMPLE_IMPACT_HISTORY)
DEALS = data_path(SAMPLE_IMPACT_DEALS)


def table(rows: list[tuple]) -> pd.DataFrame:
    raw = pd.DataFrame(rows, columns=["deal_id", "stage", "date", "owner", "amount", "discount"])
    return validate_history(raw.astype(str).replace("None", ""))


# -- a small history with answers worked out by hand --------------------------------------------
SMALL = [
    # Ann, Q1 2026: A1 won after 30 days at 10%, A2 lost after 10 days
    ("A1", "potential", "2026-01-05", "Ann", 100, None), ("A1", "proposal", "2026-01-20", "Ann", 100, None),
    ("A1", "won", "2026-02-04", "Ann", 100, "10%"),
    ("A2", "potential", "2026-02-01", "Ann", 50, None), ("A2", "lost", "2026-02-11", "Ann", 50, None),
    # Bo, Q1: B1 lost after 20 days. Q2: B2 (open on 1 April in negotiation) won after 40 days at 4%
    ("B1", "potential", "2026-01-10", "Bo", 80, None), ("B1", "lost", "2026-01-30", "Bo", 80, None),
    ("B2", "potential", "2026-03-01", "Bo", 200, None), ("B2", "negotiation", "2026-03-20", "Bo", 200, None),
    ("B2", "won", "2026-04-10", "Bo", 200, "0.04"),
    # Ann, Q2: A3 (open on 1 April in intention) lost on 5 May
    ("A3", "potential", "2026-03-10", "Ann", 60, None), ("A3", "intention", "2026-03-25", "Ann", 60, None),
    ("A3", "lost", "2026-05-05", "Ann", 60, None),
]


def test_a_small_history_gives_the_answers_worked_by_hand():
    report = impact(table(SMALL), "2026-04-01", "quarter")
    q1, q2 = pd.Period("2026Q1", "Q"), pd.Period("2026Q2", "Q")
    assert (report.before, report.after) == (q1, q2)
    team = report.cohort
    assert team.loc[q1, "closed"] == 3 and team.loc[q1, "win_rate"] == pytest.approx(1 / 3)
    assert team.loc[q1, "cycle_days"] == pytest.approx((30 + 10 + 20) / 3)
    assert team.loc[q1, "discount"] == pytest.approx(0.10)
    # On 1 April B2 (negotiation, 70%) and A3 (intention, 30%) are open: forecast 140 + 18;
    # B2 is won in Q2 (200), A3 is lost: error |200 - 158| / 158
    assert team.loc[q2, "open_n"] == 2
    assert team.loc[q2, "forecast"] == pytest.approx(158.0)
    assert team.loc[q2, "forecast_error"] == pytest.approx(42 / 158)
    ann = report.reps.xs("Ann", level="owner")
    assert ann.loc[q2, "win_rate"] == 0.0 and ann.loc[q2, "forecast_error"] == pytest.approx(1.0)
    change = report.changes.set_index(["group", "metric"])
    assert change.loc[("Bo", "win_rate"), "change"] == pytest.approx(1.0)  # 0 of 1 -> 1 of 1
    assert bool(change.loc[("Bo", "win_rate"), "small"])  # one deal each side
    team_rows = report.changes[report.changes["group"].isna()].set_index("metric")
    assert team_rows.loc["cycle_days", "after"] == pytest.approx((40 + 56) / 2)
    assert team_rows.loc["win_rate", "n_before"] == 3 and team_rows.loc["win_rate", "n_after"] == 2


def test_the_training_periods_leave_out_the_one_the_training_falls_in():
    q = pd.Period
    assert training_periods(pd.Timestamp("2026-03-01"), "quarter") == (q("2025Q4", "Q"), q("2026Q2", "Q"))
    assert training_periods(pd.Timestamp("2026-04-01"), "quarter") == (q("2026Q1", "Q"), q("2026Q2", "Q"))
    assert training_periods(pd.Timestamp("2026-03-01"), "month") == (q("2026-02", "M"), q("2026-03", "M"))
    assert training_periods(pd.Timestamp("2026-03-15"), "month") == (q("2026-02", "M"), q("2026-04", "M"))


# -- properties ---------------------------------------------------------------------------------
STAGES = ("potential", "intention", "proposal", "negotiation")


@st.composite
def histories(draw):
    rows = []
    for k in range(draw(st.integers(1, 25))):
        owner = draw(st.sampled_from(["Ann", "Bo", "Cy"]))
        day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=draw(st.integers(0, 500)))
        reached = draw(st.integers(1, 4))
        end = draw(st.sampled_from(["won", "lost", None]))
        for stage in STAGES[:reached]:
            rows.append((f"D{k}", stage, day.strftime("%Y-%m-%d"), owner, 1000, None))
            day += pd.Timedelta(days=draw(st.integers(0, 60)))
        if end is not None:
            discount = draw(st.sampled_from([None, "5%", "0.2"])) if end == "won" else None
            rows.append((f"D{k}", end, day.strftime("%Y-%m-%d"), owner, 1000, discount))
    return table(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.sampled_from(["month", "quarter"]))
def test_win_rates_are_direct_counts_cycles_are_not_negative_and_reps_add_up(history, period):
    report = impact(history, "2025-09-01", period)
    last = history.groupby("deal_id")["stage"].last()
    closed_on = history.groupby("deal_id")["date"].last()
    for p, row in report.cohort.iterrows():
        in_p = closed_on.dt.to_period(p.freqstr) == p
        closed = int((in_p & last.isin(["won", "lost"])).sum())
        won = int((in_p & (last == "won")).sum())
        assert row["closed"] == closed and row["won"] == won
        if closed:
            assert 0.0 <= row["win_rate"] <= 1.0 and row["win_rate"] == pytest.approx(won / closed)
            assert row["cycle_days"] >= 0
        else:
            assert math.isnan(row["win_rate"])
    # every rep's counts add up to the team's
    summed = report.reps.groupby(level="period")[["closed", "won", "discount_n", "open_n"]].sum()
    team = report.cohort.loc[summed.index, ["closed", "won", "discount_n", "open_n"]]
    pd.testing.assert_frame_equal(summed, team, check_dtype=False)
    assert report.cohort["closed"].sum() == int(last.isin(["won", "lost"]).sum())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=4, max_size=4),
       st.integers(1, 9), st.integers(1, 9))
def test_no_forecast_error_when_open_deals_close_at_their_stage_probability(tens, amount, day):
    # 10 * k deals open in each stage on 1 April; exactly its probability of them are won in
    # Q2 (10%, 30%, 50%, 70% of them), the rest lost: the weighted forecast is exact.
    rows = []
    probability = {"potential": 0.1, "intention": 0.3, "proposal": 0.5, "negotiation": 0.7}
    for stage, k in zip(STAGES, tens, strict=True):
        n = 10 * k
        for i in range(n):
            deal = f"{stage}{i}"
            rows.append((deal, stage, "2026-03-1" + str(day % 9), "Ann" if i % 2 else "Bo",
                         amount * 1000, None))
            end = "won" if i < round(n * probability[stage]) else "lost"
            rows.append((deal, end, f"2026-05-{10 + day:02d}", "Ann" if i % 2 else "Bo",
                         amount * 1000, None))
    report = impact(table(rows), "2026-03-01", "quarter")
    q2 = pd.Period("2026Q2", "Q")
    assert report.cohort.loc[q2, "forecast_error"] == pytest.approx(0.0, abs=1e-9)
    assert report.cohort.loc[q2, "open_n"] == 10 * sum(tens)


# -- files, the command line, the sample --------------------------------------------------------
def test_a_bad_cell_is_named_by_line_and_column(tmp_path):
    bad = tmp_path / "history.csv"
    bad.write_text("deal_id,stage,date,owner,amount,discount\n"
                   "A1,potential,2026-01-05,Ann,100,\n"
                   "A1,won,2026-02-04,Ann,lots,140%\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "impact", str(bad), "--trained", "2026-03-01"])
    assert isinstance(result.exception, DataError)  # run() prints it; CliRunner keeps it
    text = str(result.exception)
    assert "history.csv:3: amount: 'lots' is not a number" in text
    assert "history.csv:3: discount: '140%' is not a discount" in text


def test_a_bad_training_date_or_period_is_named():
    with pytest.raises(DataError, match="soon"):
        impact(table(SMALL), "soon")
    with pytest.raises(DataError, match="fortnight"):
        impact(table(SMALL), "2026-04-01", "fortnight")


def test_the_report_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    args = ["--lang", "en", "impact", str(HISTORY), "--trained", "2026-03-01", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and out.read_text(encoding="utf-8") == "keep me"
    result = CliRunner().invoke(main, [*args, "--force", "--pipeline", str(DEALS)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 4 and "control group" in page


def test_the_sample_shows_the_story_it_was_made_to_tell():
    result = CliRunner().invoke(main, ["--lang", "en", "impact", str(HISTORY), "--trained",
                                       "2026-03-01", "--pipeline", str(DEALS)])
    assert result.exit_code == 0, result.output
    assert "no control group" in result.output
    assert f"fewer than {SMALL_SAMPLE} deals" in result.output  # Grace Tan's few discounts


def test_the_chinese_output_and_report_have_no_english_phrase(tmp_path):
    out = tmp_path / "report.html"
    try:
        result = CliRunner().invoke(main, ["--lang", "zh_CN", "impact", str(HISTORY), "--trained",
                                           "2026-03-01", "--pipeline", str(DEALS), "--out", str(out)])
        assert result.exit_code == 0, result.output
        text = result.output.replace(str(out), "")
        assert CJK.search(text) and "王军" in text and not english_phrases(text), text
        page = out.read_text(encoding="utf-8").replace(str(HISTORY), "")
        assert not english_phrases(page), english_phrases(page)
    finally:
        i18n.set_language(None)


def test_the_shipped_sample_is_the_generators_output(tmp_path):
    for path in write_impact_samples(tmp_path):
        assert path.read_bytes() == data_path(path.name).read_bytes(), path.name
