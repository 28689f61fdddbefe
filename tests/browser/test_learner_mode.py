"""Learner mode in a real browser: `salestrain learn` opens the index, a lesson shows no code,
the navigator leads on, and "finished" shows on the index afterwards."""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.browser.conftest import ROOT, free_port, serve
from tests.browser.screen_checks import (
    figures_without_caption,
    small_figure_text,
    stretched_figures,
)
from tests.language import english_phrases

NAV = ".salestrain-nav"


@contextmanager
def learn(tmp_path: Path, *lang: str):
    port = free_port()
    args = [sys.executable, "-m", "salestrain", *(("--lang", lang[0]) if lang else ()), "learn",
            "--no-open", "--port", str(port), "--learner", "Ana"]
    os.environ["SALESTRAIN_DATA_DIR"] = str(tmp_path / "data")  # serve() passes os.environ on
    try:
        with serve(args, f"http://127.0.0.1:{port}/voila/static/voila.js", ROOT,
                   tmp_path / "learn.log"):
            # the address the command prints is the one a learner opens
            printed = re.findall(r"http://\S+", (tmp_path / "learn.log").read_text())
            index = f"http://127.0.0.1:{port}/voila/render/{lang[0] if lang else 'en'}/index.ipynb"
            assert index in printed, printed
            yield index
    finally:
        os.environ.pop("SALESTRAIN_DATA_DIR", None)


def test_a_learner_opens_a_lesson_without_code_moves_on_and_sees_their_progress(page, tmp_path):
    with learn(tmp_path) as index:
        page.goto(index)
        page.wait_for_selector(".salestrain-learner ol li", timeout=60_000)
        items = page.locator(".salestrain-learner ol li")
        first_title = items.first.locator("a").inner_text()
        assert items.count() >= 6 and "not started" in items.first.inner_text()
        page.screenshot(path=str(tmp_path / "learn-index-en.png"))
        items.first.locator("a").click()
        page.wait_for_selector(NAV, timeout=60_000)
        page.wait_for_selector(".salestrain-finish", timeout=120_000)  # the last cell ran
        body = page.inner_text("body")
        assert first_title in body and "Traceback" not in body
        assert "import " not in body and "lesson_header" not in body  # no code shown
        assert page.locator(".jp-InputArea-editor:visible, .cm-editor:visible").count() == 0
        page.screenshot(path=str(tmp_path / "learn-lesson-en.png"))
        page.locator(".salestrain-finish").click()
        page.wait_for_function(
            "() => document.querySelector('.salestrain-finish').innerText.includes('Finished')")
        page.locator(f"{NAV}.bottom a", has_text="All lessons").click()
        page.wait_for_selector(".salestrain-learner ol li", timeout=60_000)
        assert "finished" in page.locator(".salestrain-learner ol li").first.inner_text()
        second = page.locator(".salestrain-learner ol li").nth(1)
        assert "not started" in second.inner_text()
    assert (tmp_path / "data" / "learners" / "Ana.progress.json").is_file()


def test_learner_mode_in_chinese_speaks_chinese(page, tmp_path):
    with learn(tmp_path, "zh_CN") as index:
        page.goto(index)
        page.wait_for_selector(".salestrain-learner ol li", timeout=60_000)
        text = page.inner_text(".salestrain-learner")
        assert "课程目录" in text and "English" in text and "从这里开始" in text
        assert english_phrases(text) == [], english_phrases(text)
        page.screenshot(path=str(tmp_path / "learn-index-zh.png"))
        page.locator(".salestrain-learner ol li a").first.click()
        page.wait_for_selector(".salestrain-finish", timeout=120_000)
        page.wait_for_selector("img.salestrain-figure", timeout=60_000)
        body = page.inner_text("body")
        # the whole first lesson, its simulation included, without one English phrase
        assert "从这里开始" in body and "下一课" in body and "我已学完本课" in body
        assert english_phrases(body) == [], english_phrases(body)
        page.screenshot(path=str(tmp_path / "learn-lesson-zh.png"))
        # The same look as in projector mode and JupyterLab (issue 20): figure text of at
        # least 18 px on the screen, the figure's own aspect, a line saying what to see.
        page.locator("img.salestrain-figure").first.scroll_into_view_if_needed()
        assert small_figure_text(page) == [] and stretched_figures(page) == []
        assert figures_without_caption(page) == []
