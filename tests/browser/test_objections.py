"""The conversation widget in a real browser: click a reply, the buyer answers."""

from __future__ import annotations

import nbformat
import pytest


def _notebook(path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from salestrain.apps.objections import ObjectionApp\n"
        "app = ObjectionApp(scenario='harbourline-cold-chain')\n"
        "app"
    )])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_clicking_a_reply_shows_the_buyers_next_line(page, voila, tmp_path):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = voila(_notebook(tmp_path / "objections.ipynb"))
    page.goto(url)
    line = page.locator(".salestrain-buyer-line").first
    line.wait_for(timeout=90_000)
    before = line.inner_text()
    assert "twice what we pay" in before
    options = page.locator("button.salestrain-option")
    assert options.count() == 3
    reply = options.nth(1).inner_text()
    assert "spoiled shipment" in reply  # the whole text shows, not cut off
    value_before = page.locator(".salestrain-gauges .progress-bar").nth(2).get_attribute("style")

    options.nth(1).click()
    page.wait_for_function(
        "t => document.querySelector('.salestrain-buyer-line').innerText !== t",
        arg=before, timeout=20_000)
    assert "two pallets" in line.inner_text()
    # Widget updates arrive one by one: wait for each (expect retries until it holds).
    expect(page.locator(".salestrain-objections-history")).to_contain_text("spoiled shipment")
    expect(page.locator(".salestrain-step-feedback")).to_contain_text("Step 1")
    # The perceived-value gauge moved.
    expect(page.locator(".salestrain-gauges .progress-bar").nth(2)).not_to_have_attribute(
        "style", value_before or "")
    page.screenshot(path=str(tmp_path / "objections.png"), full_page=True)
    assert (tmp_path / "objections.png").stat().st_size > 10_000


def test_coach_mode_scores_a_typed_reply_and_saves_it(page, voila, tmp_path):
    expect = pytest.importorskip("playwright.sync_api").expect
    db = tmp_path / "coach.sqlite"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from salestrain.apps.objections import CoachApp\n"
        f"app = CoachApp(scenario='quarrystone-route-planning', db_path={str(db)!r},"
        " learner='Sam Lee', mentor='Ruth Okafor')\n"
        "app"
    )])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "coach.ipynb"
    nbformat.write(nb, path)
    page.goto(voila(path))
    page.locator(".salestrain-buyer-line").first.wait_for(timeout=90_000)
    assert "fine as we are" in page.locator(".salestrain-buyer-line").inner_text()

    page.locator("textarea").first.fill("How do you plan the routes today?")
    # The mentor marks the reply: "Explores" 2 (the third button of the second row).
    page.locator(".widget-toggle-buttons").nth(1).locator("button").nth(2).click()
    page.locator("button:has-text('Score and continue')").click()

    status = page.locator(".salestrain-coach-status")
    expect(status).to_contain_text("Saved to", timeout=20_000)
    expect(page.locator(".salestrain-buyer-line")).not_to_contain_text("fine as we are")
    page.screenshot(path=str(tmp_path / "coach.png"), full_page=True)

    from salestrain.io.objections.sessions import list_sessions, load_session

    [session] = list_sessions(db)
    saved = load_session(db, session["id"])
    assert saved["learner"] == "Sam Lee"
    assert saved["steps"][0]["reply"] == "How do you plan the routes today?"
    assert saved["steps"][0]["marks"]["explore"] == 2
