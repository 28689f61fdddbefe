"""The reaction survey page in a real browser (Voila, 1280x720), in both languages: it
renders without code, takes answers in widgets, and Submit hands in the sheet that
``salestrain survey record`` reads; the trainer's report fits the projector."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT
from tests.language import english_phrases

SHOTS = Path(os.environ.get("SALESTRAIN_SHOTS", "")) if os.environ.get("SALESTRAIN_SHOTS") else None


def _shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_survey_page_takes_answers_and_hands_them_in(lang, tmp_path, voila, page720, monkeypatch):
    from salestrain.io.learner import build_site

    collected = tmp_path / "collected"
    monkeypatch.setenv("SALESTRAIN_COLLECT", str(collected))
    monkeypatch.setenv("SALESTRAIN_LEARNER", "李明")
    site = tmp_path / "site"
    build_site(ROOT / "notebooks", site, ROOT / "exercises", ROOT / "cases")
    url = voila(site / lang / "survey__funnel.ipynb")
    page720.goto(url, timeout=90_000)
    page720.wait_for_selector(".salestrain-survey .widget-toggle-buttons", timeout=90_000)
    _shot(page720, f"survey_page_{lang}")
    text = page720.inner_text("body")
    assert "import" not in text and "survey_form" not in text  # no code on the page
    if lang == "zh_CN":
        assert "课后反馈" in text and english_phrases(text) == [], english_phrases(text)
    groups = page720.locator(".salestrain-survey .widget-toggle-buttons")
    assert groups.count() == 5
    for k, pick in enumerate([3, 4, 2, 1, 9]):  # the k-th group's pick-th button
        groups.nth(k).locator("button").nth(pick).click()
    page720.locator(".salestrain-survey textarea").fill("<b>先问预算</b>")
    page720.locator(".salestrain-survey textarea").blur()
    page720.wait_for_timeout(500)
    page720.get_by_role("button", name="提交" if lang == "zh_CN" else "Submit").click()
    page720.wait_for_selector("text=谢谢" if lang == "zh_CN" else "text=Thank you", timeout=20_000)
    _shot(page720, f"survey_submitted_{lang}")
    sheet = json.loads((collected / "survey_funnel" / "李明.answers.json").read_text(encoding="utf-8"))
    assert sheet["answers"] == {"relevance": 4, "will_use": 5, "confidence": 3, "pace": "right",
                                "recommend": 9, "change": "<b>先问预算</b>"}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_report_fits_the_projector(lang, tmp_path, page720):
    from salestrain.base.i18n import set_language
    from salestrain.grading.survey import record_surveys, survey_report
    from salestrain.io.survey import SurveyStore, load_survey
    from tests.grading.test_survey import ROOM, hand_in, sheet

    items = ("relevance", "will_use", "confidence", "pace", "recommend", "change")
    for learner, values in ROOM.items():
        hand_in(tmp_path / "c", learner, sheet(learner, {k: v for k, v in zip(items, values, strict=True) if v is not None}))
    book = SurveyStore(tmp_path / "s.sqlite", create=True)
    set_language(lang)
    try:
        survey = load_survey(ROOT / "exercises" / "survey.yaml")
        record_surveys(tmp_path / "c", survey, book)
        page = survey_report(book, survey, ROOT / "exercises")
    finally:
        set_language(None)
        book.dispose()
    out = tmp_path / "report.html"
    out.write_text(page, encoding="utf-8")
    page720.goto(out.as_uri())
    _shot(page720, f"survey_report_{lang}")
    page720.evaluate("window.scrollTo(0, 700)")
    _shot(page720, f"survey_report_{lang}_2")
    # nothing wider than the screen: no sideways scrolling on the projector
    assert page720.evaluate("document.documentElement.scrollWidth") <= 1280
