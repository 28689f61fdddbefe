"""History: win rates, the transition model and calibration recover the known truth."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import DataError
from salestrain.base.i18n import set_language
from salestrain.core.funnel import (
    DEFAULT_STAGES,
    TRUTH,
    Truth,
    brier,
    calibrate,
    fit_transitions,
    forecast_outcome_pairs,
    p_close_within,
    stage_conversion,
    stage_win_rates,
    synthetic_history,
    time_in_stage,
    weakest_stage,
)
from salestrain.io.funnel import sample_history, sample_pipeline, validate_history

FAIR = Truth(owner_effects={})  # every rep alike: pooled rates equal the true ones


@pytest.fixture(scope="module")
def big_history():
    return validate_history(synthetic_history(n_deals=4000, seed=11, days=900))


@pytest.fixture(scope="module")
def fair_history():
    return validate_history(synthetic_history(n_deals=4000, seed=12, days=900, truth=FAIR))


def test_win_rates_from_reached_recover_the_true_rates(fair_history):
    rates = stage_win_rates(fair_history)
    truth = FAIR.p_won()
    for stage in DEFAULT_STAGES.open_names:
        n = rates.loc[stage, "reached"]
        p = truth[stage]
        assert abs(rates.loc[stage, "rate_reached"] - p) <= 4 * np.sqrt(p * (1 - p) / n), stage
    # Counting deals by their last open stage makes every stage but the last look lost.
    assert (rates.loc[["potential", "intention", "proposal"], "rate_last_stage"] == 0).all()
    assert rates["rate_reached"].is_monotonic_increasing


def test_weak_rep_is_visible_by_owner(big_history):
    weak_owner, (weak_stage, _factor) = next(iter(TRUTH.owner_effects.items()))
    mine = big_history[big_history["owner"] == weak_owner]
    others = big_history[big_history["owner"] != weak_owner]
    gap = stage_win_rates(others)["rate_reached"] - stage_win_rates(mine)["rate_reached"]
    assert gap[weak_stage] > 0.15
    assert gap["negotiation"] < gap[weak_stage]


def test_transition_model_recovers_holding_times_and_win_probability(fair_history):
    model = fit_transitions(fair_history)
    days = model.mean_days_in_stage()
    for stage, true_days in FAIR.mean_days.items():
        assert days[stage] == pytest.approx(true_days, rel=0.15), stage
    jumps = model.jump_probabilities()
    for stage, advance in FAIR.advance.items():
        n = model.counts[model.states.index(stage)].sum()
        assert abs(jumps.loc[stage, "lost"] - (1 - advance)) <= 4 * np.sqrt(advance * (1 - advance) / n)
    rates = stage_win_rates(fair_history)["rate_reached"]
    # On complete histories the chain's absorption probability equals the reached rate.
    assert np.allclose(model.p_won().to_numpy(), rates.to_numpy(), atol=0.03)


def test_p_won_within_grows_with_the_horizon_to_p_won(big_history):
    model = fit_transitions(big_history)
    month = model.p_won_within(30)
    quarter = model.p_won_within(91)
    forever = model.p_won_within(5000)
    assert (month <= quarter + 1e-12).all() and (quarter <= forever + 1e-12).all()
    assert np.allclose(forever.to_numpy(), model.p_won().to_numpy(), atol=1e-6)
    assert month["negotiation"] > month["potential"]
    per_deal = p_close_within(model, sample_pipeline(), 30)
    assert per_deal.shape == (60,) and np.all((per_deal >= 0) & (per_deal <= 1))


def test_time_in_stage_counts_only_finished_stays():
    h = validate_history(pd.DataFrame({
        "deal_id": ["a", "a", "a", "b"],
        "stage": ["potential", "intention", "won", "potential"],
        "date": ["2026-01-01", "2026-01-11", "2026-01-31", "2026-01-05"],
    }))
    stays = time_in_stage(h)
    assert stays.to_dict("records") == [
        {"deal_id": "a", "stage": "potential", "days": 10},
        {"deal_id": "a", "stage": "intention", "days": 20},
    ]


def test_bad_history_rows_are_named():
    with pytest.raises(DataError) as info:
        validate_history(pd.DataFrame({"deal_id": ["a", "a"], "stage": ["potential", "closing"],
                                       "date": ["2026-01-01", "soon"]}), source="h.csv")
    text = str(info.value)
    assert "h.csv:3: stage: unknown stage 'closing'" in text
    assert "h.csv:3: date: 'soon' is not a date" in text


@given(st.lists(st.tuples(st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9]), st.booleans()), min_size=1,
                max_size=200))
@settings(max_examples=60, deadline=None)
def test_brier_decomposition_is_exact(pairs):
    f = [a for a, _ in pairs]
    o = [float(b) for _, b in pairs]
    b = brier(f, o)
    assert b.score == pytest.approx(b.reliability - b.resolution + b.uncertainty, abs=1e-12)
    assert b.reliability >= 0 and b.resolution >= 0


def test_calibrated_probabilities_have_zero_reliability_error():
    h = sample_history()
    observed = calibrate(h, DEFAULT_STAGES.probabilities).curve["observed"].to_dict()
    tuned = calibrate(h, observed)
    course = calibrate(h, DEFAULT_STAGES.probabilities)
    assert tuned.score.reliability == pytest.approx(0.0, abs=1e-12)
    assert tuned.score.score < course.score.score
    assert course.worst_stage == "negotiation"  # called at 70%, won far more often


def test_pairs_use_each_reached_stage_of_closed_deals_once():
    h = validate_history(pd.DataFrame({
        "deal_id": ["a", "a", "a", "b", "b", "c"],
        "stage": ["potential", "proposal", "won", "potential", "lost", "potential"],
        "date": ["2026-01-01", "2026-01-05", "2026-02-01", "2026-01-02", "2026-01-09", "2026-01-03"],
    }))
    pairs = forecast_outcome_pairs(h, DEFAULT_STAGES.probabilities)
    assert sorted(zip(pairs["deal_id"], pairs["stage"], pairs["outcome"], strict=True)) == [
        ("a", "potential", 1.0), ("a", "proposal", 1.0), ("b", "potential", 0.0)]


def test_stage_conversion_recovers_the_advance_probabilities(fair_history):
    conv = stage_conversion(fair_history)
    for stage, advance in FAIR.advance.items():
        n = conv.loc[stage, "known"]
        assert abs(conv.loc[stage, "rate"] - advance) <= 4 * np.sqrt(advance * (1 - advance) / n)


def test_weakest_stage_finds_the_rep_the_generator_made_weak(big_history):
    owner, (stage, factor) = next(iter(TRUTH.owner_effects.items()))
    gap = weakest_stage(big_history, owner)
    assert gap.stage == stage
    expected = TRUTH.advance[stage] * (1 - factor)
    assert gap.gap == pytest.approx(expected, abs=4 * np.sqrt(0.25 / gap.deals) + 0.03)
    others = [o for o in big_history["owner"].unique() if o != owner]
    for other in others:  # nobody else is weak anywhere: their worst gap is small
        assert weakest_stage(big_history, other).gap < 0.12
    assert weakest_stage(big_history, owner, min_deals=10**6) is None


def test_history_problems_and_calibration_errors_in_chinese():
    set_language("zh_CN")
    try:
        with pytest.raises(DataError) as info:
            validate_history(pd.DataFrame({"deal_id": ["a", "a"], "stage": ["potential", "closing"],
                                           "date": ["2026-01-01", "soon"]}), source="h.csv")
        text = str(info.value)
        assert text.startswith("h.csv 有 2 处问题")
        assert "h.csv:3: stage: 未知阶段 'closing'；请使用以下之一：" in text and "won, lost" in text
        assert "h.csv:3: date: 'soon' 不是日期；请写成 YYYY-MM-DD" in text
        open_only = validate_history(pd.DataFrame({"deal_id": ["a"], "stage": ["potential"],
                                                   "date": ["2026-01-01"]}))
        with pytest.raises(DataError, match="历史表中没有已结束的商机"):
            calibrate(open_only, DEFAULT_STAGES.probabilities)
        with pytest.raises(DataError, match="没有 owner 列"):
            weakest_stage(open_only, "Lin Hao")
    finally:
        set_language(None)


def test_calibration_errors_are_data_errors_not_tracebacks():
    h = sample_history()
    # Every slider at 100% leaves nothing to check; the app shows this as a message.
    with pytest.raises(DataError, match="give at least one open stage a probability below 1"):
        calibrate(h, dict.fromkeys(DEFAULT_STAGES.names, 1.0))
    open_only = h[h["stage"].isin(DEFAULT_STAGES.open_names)]
    with pytest.raises(DataError, match="no closed deals to calibrate against"):
        calibrate(open_only, DEFAULT_STAGES.probabilities)
