"""The funnel apps driven in-process, as a learner would with the sliders."""

import datetime as dt

import numpy as np
import pytest

import salestrain
from salestrain.apps import app_names, get_app
from salestrain.apps.funnel import CalibrationApp, ForecastApp, calibration_app, forecast_app
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
