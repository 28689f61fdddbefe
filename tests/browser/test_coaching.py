"""The coaching apps render in Voila and respond to a person's input."""

import re

from tests.browser.support import image_sources, nudge_slider, wait_for_new_image
from tests.browser.support_coaching import app_notebook, wait_for_text_change


def test_assess_app_slider_moves_the_rep_and_redraws(page, voila, tmp_path):
    nb = app_notebook(tmp_path, "from salestrain.apps.coaching import assess_app\nassess_app()")
    page.goto(voila(nb))
    page.wait_for_selector(".salestrain-app img.salestrain-figure", timeout=60_000)
    page.wait_for_function("() => document.querySelector('img.salestrain-figure').naturalWidth > 0",
                           timeout=30_000)
    summary = ".salestrain-summary"
    before_text = page.locator(summary).first.inner_text()
    assert re.search(r"Capability 2\.14, willingness 4\.33 \(Manager\): quadrant Guide", before_text)
    before_img = image_sources(page)
    # Slider 9 is the manager's first item (discovery), 2 -> 4: the rep's capability rises.
    nudge_slider(page, index=9, presses=2)
    wait_for_text_change(page, summary, before_text)
    # Each key press is one change; wait for the second: (1.5*4 + 2+3+2 + 1.5*2 + 2) / 7.
    page.wait_for_function(
        "() => document.querySelector('.salestrain-summary').innerText.includes('Capability 2.57')",
        timeout=20_000)
    after_img = wait_for_new_image(page, before_img)
    assert after_img != before_img
    assert page.eval_on_selector("img.salestrain-figure", "e => e.naturalWidth") > 300
    page.screenshot(path=str(tmp_path / "assess.png"), full_page=True)
    assert (tmp_path / "assess.png").stat().st_size > 10_000


def test_team_view_picking_a_rep_shows_their_plan(page, voila, tmp_path):
    nb = app_notebook(tmp_path, "from salestrain.apps.coaching import team_app\nteam_app()")
    page.goto(voila(nb))
    page.wait_for_selector(".salestrain-app img.salestrain-figure", timeout=60_000)
    page.wait_for_function("() => document.querySelector('img.salestrain-figure').naturalWidth > 0",
                           timeout=30_000)
    summary = ".salestrain-summary"
    before_text = page.locator(summary).first.inner_text()
    assert before_text.startswith("Aisha Rahman")
    before_img = image_sources(page)
    page.locator(".salestrain-app select").first.select_option(label="Tomas Novak")
    after_text = wait_for_text_change(page, summary, before_text)
    assert "Tomas Novak" in after_text and "Moved from Direct" in after_text
    wait_for_new_image(page, before_img)
    plan = page.locator(".salestrain-plan").first.inner_text()
    assert "Need recognition" in plan
    page.screenshot(path=str(tmp_path / "team.png"), full_page=True)
    assert (tmp_path / "team.png").stat().st_size > 10_000
