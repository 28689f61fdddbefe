"""The funnel apps driven in-process, as a learner would with the sliders."""

import datetime as dt
import html
import re

import numpy as np
import pytest

import salestrain
from salestrain.apps import app_names, get_app
from salestrain.apps.funnel import CalibrationApp, ForecastApp, calibration_app, forecast_app
from salestrain.base.formats import format_money, format_percent
from salestrain.base.i18n import t
from salestrain.core.funnel import in_period, revenue_distribution
from salestrain.io.funnel import data_path, sample_pipeline

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def test_both_apps_are_registered_and_build_without_arguments():
    assert {"funnel-forecast", "funnel-calibration"} <= set(app_names())
    assert isinstance(get_app("funnel-forecast").factory(), ForecastApp)
    assert isinstance(get_app("funnel-calibration").factory(), CalibrationApp)


def test_forecast_app_starts_exact_on_the_sample_month():
    app = forecast_app()
    dec = in_period(sample_pipeline(), "2026-12")
    fc = app.result.forecast
    assert app.controls["month"].value == "2026-12"
    assert fc.method == "exact" and app.result.deals == len(dec)
    assert fc.weighted.mean == pytest.approx((dec["amount"] * dec["probability"]).sum())
    exact = revenue_distribution(dec["amount"], dec["probability"])
    assert fc.p_hit == pytest.approx(exact.p_at_least(app.controls["target"].value))
    assert app.controls["target"].value >= fc.weighted.mean  # a stretch target by default
    assert "exact" in app.summary.value


def test_moving_a_stage_slider_moves_the_forecast_by_exactly_that_stage():
    app = forecast_app()
    dec = in_period(sample_pipeline(), "2026-12")
    proposal_total = dec.loc[dec["stage"] == "proposal", "amount"].sum()
    before, png = app.result.forecast, app.plot.image.value
    app.controls["proposal"].value = 0.8
    after = app.result.forecast
    assert after.weighted.mean - before.weighted.mean == pytest.approx(0.3 * proposal_total)
    assert after.p_hit > before.p_hit
    assert app.plot.image.value != png and app.plot.image.value[:4] == b"\x89PNG"


def test_correlation_switches_to_seeded_monte_carlo_with_the_same_mean():
    app = forecast_app()
    exact = app.result.forecast
    app.controls["correlation"].value = 0.5
    mc = app.result.forecast
    assert mc.method == "monte carlo" and "Monte Carlo" in app.summary.value
    assert mc.weighted.mean == exact.weighted.mean
    assert mc.p90 - mc.p10 > exact.p90 - exact.p10  # shared swings widen the range
    again = forecast_app(correlation=0.5).result.forecast
    assert again.p_hit == mc.p_hit  # seeded: same settings, same answer


def test_target_and_month_controls():
    app = forecast_app()
    app.controls["target"].value = 0.0
    assert app.result.forecast.p_hit == pytest.approx(1.0)
    app.controls["month"].value = "all"
    assert app.result.deals == len(sample_pipeline())


def test_upload_loads_a_csv_and_a_bad_one_shows_its_lines():
    app = forecast_app()
    good = data_path("sample_pipeline.csv").read_bytes()
    small = b"\n".join(good.split(b"\n")[:11]) + b"\n"
    app.upload.value = ({"name": "ten.csv", "content": memoryview(small), "type": "text/csv",
                         "size": len(small), "last_modified": NOW},)
    assert len(app.pipeline) == 10 and "ten.csv" in app.source.value
    kept = app.result
    bad = data_path("malformed_pipeline.csv").read_bytes()
    app.upload.value = ({"name": "bad.csv", "content": memoryview(bad), "type": "text/csv",
                         "size": len(bad), "last_modified": NOW},)
    assert "bad.csv:3: stage: unknown stage 'closing'" in app.message.value
    assert app.result is kept and len(app.pipeline) == 10
    app.sample_button.click()
    assert len(app.pipeline) == 60


def test_an_empty_month_is_a_message_not_a_traceback():
    p = sample_pipeline()
    app = ForecastApp(p[p["expected_close"].dt.month == 12].reset_index(drop=True))
    assert app.controls["month"].options[-1][1] == "all"
    app.pipeline = p[p["expected_close"].dt.month == 1].reset_index(drop=True)
    app.update()
    assert "No deals" in app.error


def test_calibration_app_brier_moves_with_the_sliders():
    app = calibration_app()
    course = app.result
    assert course.worst_stage == "negotiation"
    observed = course.curve.loc["negotiation", "observed"]
    app.controls["negotiation"].value = round(observed / 0.05) * 0.05
    assert app.result.score.reliability < course.score.reliability
    assert app.result.score.uncertainty == course.score.uncertainty
    app.controls["potential"].value = 0.6
    assert app.result.score.score > course.score.score
    assert app.result.worst_stage == "potential"
    assert "Potential" in app.summary.value


def test_labels_follow_the_language():
    salestrain.set_language("zh_CN")
    app = forecast_app()
    assert app.controls["proposal"].description == "方案"
    assert "加权预测" in app.summary.value
    assert "可靠性" in calibration_app().summary.value
    assert np.isfinite(app.result.forecast.p_hit)


def test_the_uploaded_file_name_is_shown_escaped():
    app = forecast_app()
    good = data_path("sample_pipeline.csv").read_bytes()
    name = '<img src=x onerror="alert(1)">.csv'
    app.upload.value = ({"name": name, "content": memoryview(good), "type": "text/csv",
                         "size": len(good), "last_modified": NOW},)
    assert app.error is None and len(app.pipeline) == 60
    assert "<img" not in app.source.value
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.csv" in app.source.value
    # The name stays on screen, escaped, through later recomputes.
    app.controls["correlation"].value = 0.3
    assert "&lt;img" in app.source.value and "<img" not in app.source.value


def _text_mark(view) -> int:
    """The smallest figure text, in px, that the view marked on its image (issue 20)."""
    (mark,) = [c for c in view.image._dom_classes if c.startswith("salestrain-text-")]
    return int(mark.rsplit("-", 1)[1])


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("factory", [forecast_app, calibration_app])
def test_each_figure_reads_from_the_back_of_the_room_and_says_what_to_see(factory, lang):
    salestrain.set_language(lang)
    app = factory()
    assert _text_mark(app.plot) >= 18  # 13 pt at 100 dpi
    assert "<b>" not in app.plot.caption.value and len(app.plot.caption.value) > 20
    app.controls["proposal"].value = 0.9  # a later frame (layout frozen) keeps the mark
    assert _text_mark(app.plot) >= 18
    # a key for the several series, beside the figure, in the same language
    assert app.legend.value.count("<span style=\"margin-right") >= 4
    assert ("目标" in app.plot.caption.value or "虚线" in app.plot.caption.value) == (lang == "zh_CN")


def _bold(summary: str) -> list[str]:
    return re.findall(r"<b>(.*?)</b>", summary)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_forecast_cards_follow_the_sliders_in_both_languages(lang):
    """Issue 20: the weighted forecast, the 80 % range and the chance of the target as cards."""
    salestrain.set_language(lang)
    app = forecast_app()
    weighted, p10, p90, p_hit = _bold(app.summary.value)
    cards = app.headlines(app.result)
    assert len(cards) == 3
    assert cards[2].value == p_hit  # the chance reads the same on the card and in the summary
    for card in cards:
        assert card.label in app.headline_cards.value and html.escape(card.value) in app.headline_cards.value
    assert ("加权预测" in app.headline_cards.value and "万" in cards[0].value) == (lang == "zh_CN")
    # The card and the summary name the money alike, in the language's unit (in full or in 万).
    assert cards[0].value == weighted == format_money(app.result.forecast.weighted.mean)
    assert p10 == format_money(app.result.forecast.p10) and p90 == format_money(app.result.forecast.p90)
    low, high = cards[1].value.split(" – ")
    assert low == format_money(app.result.forecast.p10, compact=True)
    before = app.result.forecast.weighted.mean
    # A proposal slider 30 points higher adds 30 % of the proposal-stage amount.
    dec = in_period(sample_pipeline(), "2026-12")
    proposal_total = dec.loc[dec["stage"] == "proposal", "amount"].sum()
    app.controls["proposal"].value = 0.8
    raised = app.headlines(app.result)
    assert raised[0].value == format_money(app.result.forecast.weighted.mean)
    assert app.result.forecast.weighted.mean == pytest.approx(before + 0.3 * proposal_total)
    # No target is reached for sure (good news); a target above every outcome never is (bad).
    app.controls["target"].value = 0.0
    sure = app.headlines(app.result)[2]
    assert sure.value == format_percent(1.0) and sure.tone == "good"
    app.controls["target"].value = app.controls["target"].max
    assert app.headlines(app.result)[2].tone == "bad"
    assert app.headlines(app.result)[2].label != sure.label  # the label names the target


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_calibration_cards_name_the_score_and_the_stage_to_fix(lang):
    salestrain.set_language(lang)
    app = calibration_app()
    score, worst = _bold(app.summary.value)
    cards = app.headlines(app.result)
    assert [c.value for c in cards[:2]] == [score, worst]
    assert all(c.label in app.headline_cards.value for c in cards)
    # The worst stage's slider set to what its deals won moves the fix to another stage,
    # and the score goes down.
    observed = app.result.curve.loc["negotiation", "observed"]
    app.controls["negotiation"].value = round(observed / 0.05) * 0.05
    fixed = app.headlines(app.result)
    assert fixed[1].value != worst and float(fixed[0].value) < float(score)
    # A potential stage called at 60 % is now the furthest off: the card shows the call
    # and where the slider should go.
    app.controls["potential"].value = 0.6
    cards = app.headlines(app.result)
    assert cards[1].value == t("funnel.stage.potential")
    called, won = cards[2].value.split(" → ")
    assert called == format_percent(0.6)
    assert won == format_percent(app.result.curve.loc["potential", "observed"])
