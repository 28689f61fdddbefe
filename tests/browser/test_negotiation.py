"""The negotiation apps render in Voila and respond to a person's clicks."""

from tests.browser.support import image_sources, wait_for_new_image
from tests.browser.support_negotiation import app_notebook, open_app, wait_text_change

STATUS = ".salestrain-negotiation-status"


def test_play_send_an_offer_then_accept_and_see_the_debrief(page, voila, tmp_path):
    nb = app_notebook(tmp_path, "from salestrain.apps.negotiation import negotiation_play_app\n"
                                "negotiation_play_app(counterpart='linear', rounds=6)")
    open_app(page, voila(nb))
    status = page.locator(STATUS).first.inner_text()
    assert "Round 1 of 6" in status
    clock_before = image_sources(page)
    page.click("button.salestrain-negotiation-send")
    status = wait_text_change(page, STATUS, status)
    assert "Round 2 of 6" in status and "Their offer" in status
    clock_after = wait_for_new_image(page, clock_before)
    page.click("button.salestrain-negotiation-accept")
    status = wait_text_change(page, STATUS, status)
    assert "Deal:" in status and "Pareto frontier" in status
    wait_for_new_image(page, clock_after)  # the utility-space debrief replaces the placeholder
    assert page.locator("button.salestrain-negotiation-send").is_disabled()
    page.screenshot(path=str(tmp_path / "negotiation_play.png"), full_page=True)
    assert (tmp_path / "negotiation_play.png").stat().st_size > 10_000


def test_class_debrief_takes_typed_rows(page, voila, tmp_path):
    nb = app_notebook(tmp_path, "from salestrain.apps.negotiation import class_debrief_app\n"
                                "class_debrief_app()")
    open_app(page, voila(nb))
    summary = page.locator(".salestrain-summary").first.inner_text()
    assert "8 tables, 7 deals" in summary
    before = image_sources(page)
    page.fill(".salestrain-negotiation-entry textarea",
              "table,price,payment,service,delivery\nNorth,1,3,3,3\nSouth,4,1,1,1\n")
    page.click("button.salestrain-negotiation-use")
    summary = wait_text_change(page, ".salestrain-summary", summary)
    assert "2 tables, 2 deals" in summary
    wait_for_new_image(page, before)
    ranking = page.locator(".salestrain-negotiation-ranking").inner_text()
    assert ranking.index("North") < ranking.index("South")  # the trade ranks above the discount
    page.screenshot(path=str(tmp_path / "negotiation_debrief.png"), full_page=True)


def test_tournament_reruns_with_its_progress_bar_when_the_scenario_changes(page, voila, tmp_path):
    nb = app_notebook(tmp_path, "from salestrain.apps.negotiation import tournament_app\n"
                                "tournament_app()")
    open_app(page, voila(nb))
    summary = page.locator(".salestrain-summary").first.inner_text()
    assert summary.startswith("75 negotiations")
    before = image_sources(page)
    page.locator(".widget-dropdown select").first.select_option(label="Sensors for a buyer who doubts the technology")
    summary = wait_text_change(page, ".salestrain-summary", summary)
    assert summary.startswith("25 negotiations")
    wait_for_new_image(page, before)
    bar = page.locator(".salestrain-negotiation-progress .progress-bar").first
    page.wait_for_function("e => e.style.width === '100%'", arg=bar.element_handle(), timeout=10_000)
    page.screenshot(path=str(tmp_path / "negotiation_tournament.png"), full_page=True)
