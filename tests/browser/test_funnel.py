"""Both funnel apps render in Voila and respond to a slider moved with the keyboard."""

import re

from salestrain.io.funnel import data_path
from tests.browser.support import nudge_slider
from tests.browser.support_funnel import figure_sources, summary_text, write_apps_notebook

FORECAST_SLIDERS = 6  # potential, intention, proposal, negotiation, target, correlation


def wait_for_change(page, fn, before, timeout_ms=30_000):
    deadline = page.evaluate("Date.now()") + timeout_ms
    while page.evaluate("Date.now()") < deadline:
        now = fn()
        if now and now != before:
            return now
        page.wait_for_timeout(150)
    raise AssertionError("nothing changed after moving the slider")


def test_forecast_and_calibration_sliders_change_their_figures(page, voila, tmp_path):
    url = voila(write_apps_notebook(tmp_path))
    page.goto(url)
    page.wait_for_selector(".salestrain-app img.salestrain-figure", timeout=90_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.salestrain-app').length == 2 && "
        "[...document.querySelectorAll('img.salestrain-figure')].every(i => i.naturalWidth > 300)",
        timeout=60_000)
    assert page.locator(".widget-slider .noUi-handle").count() == FORECAST_SLIDERS + 4

    # Forecast app: the potential-stage slider, one step: 10% -> 15%.
    text0, img0 = summary_text(page, 0), figure_sources(page, 0)
    assert "Weighted forecast" in text0 and "986,500" in text0
    nudge_slider(page, index=0, presses=1)
    text1 = wait_for_change(page, lambda: summary_text(page, 0), text0)
    wait_for_change(page, lambda: figure_sources(page, 0), img0)
    weighted = re.search(r"Weighted forecast RMB ([\d,]+)", text1).group(1)
    assert weighted == "1,031,500", text1  # 900,000 of potential-stage deals x 5 points more
    page.screenshot(path=str(tmp_path / "funnel_forecast.png"), full_page=True)

    # Calibration app: its negotiation slider (the fourth), one step: 70% -> 75%.
    cal_text0, cal_img0 = summary_text(page, 1), figure_sources(page, 1)
    assert "Brier score 0.1279" in cal_text0
    nudge_slider(page, index=FORECAST_SLIDERS + 3, presses=1)
    cal_text1 = wait_for_change(page, lambda: summary_text(page, 1), cal_text0)
    wait_for_change(page, lambda: figure_sources(page, 1), cal_img0)
    score = float(re.search(r"Brier score ([\d.]+)", cal_text1).group(1))
    assert score < 0.1279, cal_text1
    page.screenshot(path=str(tmp_path / "funnel_calibration.png"), full_page=True)
    assert (tmp_path / "funnel_calibration.png").stat().st_size > 20_000

    # Loading a CSV through the upload button replaces the pipeline.
    lines = (data_path("sample_pipeline.csv").read_text(encoding="utf-8").splitlines())[:11]
    upload = tmp_path / "ten_deals.csv"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    img1 = figure_sources(page, 0)
    with page.expect_file_chooser() as chooser:  # click the button, as a person would
        page.locator(".salestrain-app").first.locator(".widget-upload").click()
    chooser.value.set_files(str(upload))
    page.wait_for_function(
        "() => document.querySelector('.salestrain-app').innerText.includes('ten_deals.csv (10 deals)')",
        timeout=30_000)
    wait_for_change(page, lambda: figure_sources(page, 0), img1)
