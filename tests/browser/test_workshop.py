"""Projector mode: every registered app, served by `salestrain app NAME`, responds."""

from __future__ import annotations

import pytest

from salestrain.apps.registry import app_names, get_app
from salestrain.base.i18n import t
from tests.browser.screen_checks import assert_screen_passes
from tests.browser.support_workshop import (
    APP,
    change_one_control,
    projector,
    snapshot,
    wait_for_app,
    wait_for_change,
)


@pytest.mark.parametrize("name", app_names())
def test_projector_serves_the_app_without_code_and_it_responds(name, page720, tmp_path):
    page = page720  # the projector's screen: the first screen is checked as the room sees it
    with projector(name, tmp_path) as url:
        page.goto(url)
        wait_for_app(page)
        # issue 20: figure above the fold, true aspect, no overflow, no cut label (English;
        # test_screens checks Chinese)
        assert_screen_passes(page, tmp_path / f"{name}-en-1280x720.png")
        page.set_viewport_size({"width": 1920, "height": 1080})  # a 1080p projector
        page.wait_for_timeout(300)  # the widgets' layout follows the resize
        assert_screen_passes(page, tmp_path / f"{name}-en-1920x1080.png")
        page.set_viewport_size({"width": 1280, "height": 720})
        # The projector's type scale (issue 20): the key sentence in body text of 24 px.
        sizes = page.eval_on_selector_all(
            f"{APP} .salestrain-summary",
            "els => els.filter(e => e.offsetParent).map(e => {"
            "  const box = e.querySelector('.widget-html-content') || e;"
            "  const size = (el) => parseFloat(getComputedStyle(el).fontSize);"
            "  return Math.min(size(box), ...[...box.children].map(size)); })")
        assert all(size >= 24 for size in sizes), sizes
        # The headline cards: the number larger than the body text, what it is readable
        # from the back of the room too.
        cards = page.eval_on_selector_all(
            f"{APP} .salestrain-card",
            "els => els.filter(e => e.offsetParent).map(e => ["
            "  parseFloat(getComputedStyle(e.querySelector('.salestrain-card-value')).fontSize),"
            "  parseFloat(getComputedStyle(e.querySelector('.salestrain-card-label')).fontSize)])")
        assert all(value > 24 and label >= 18 for value, label in cards), cards
        # Projector mode shows outputs only: no code editor, no input prompt.
        assert page.locator(".jp-InputArea-editor:visible, .cm-editor:visible").count() == 0
        assert "get_app(" not in page.inner_text("body")
        # the tab is titled with the app's title, not its slug
        assert page.title() == t(get_app(name).title, lang="en"), page.title()
        before = snapshot(page)
        how = change_one_control(page)
        after = wait_for_change(page, before)
        assert after != before, how
        assert "Traceback" not in page.inner_text("body")
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
        assert page.locator(APP).count() == 1


def test_projector_speaks_chinese_when_the_trainer_asks(page, tmp_path):
    with projector("workshop-agenda", tmp_path, "zh_CN") as url:
        page.goto(url)
        wait_for_app(page)
        text = page.inner_text(APP)
        assert "工作坊日程一览" in text and "开始时间" in text
        assert page.title() == t("workshop.app.agenda_title", lang="zh_CN"), page.title()
        before = snapshot(page)
        change_one_control(page)
        wait_for_change(page, before)
        page.screenshot(path=str(tmp_path / "agenda-zh.png"), full_page=True)


def test_a_projected_page_asks_nothing_of_the_internet(page, tmp_path):
    """An offline room: no CDN stylesheet (Voila's lab template links FontAwesome from one)."""
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "ws://127.0.0.1")) else None)
    with projector("start-here", tmp_path) as url:
        page.goto(url)
        wait_for_app(page)
        # the icons still come from Voila's own bundle: FontAwesome's font face is loaded
        assert page.evaluate("() => [...document.fonts].some(f => /Font ?Awesome/i.test(f.family))")
    assert outside == [], outside
