"""The start command serves JupyterLab; the start-here widget renders and responds."""

import re

from tests.browser.screen_checks import (
    figures_without_caption,
    small_figure_text,
    stretched_figures,
)
from tests.browser.support import (
    image_sources,
    nudge_slider,
    open_and_run_all_in_lab,
    wait_for_new_image,
)


def test_start_here_runs_in_jupyterlab_and_its_slider_changes_the_plot(page, lab_url, tmp_path):
    # the app sits below the lesson's prediction cards: wait for it in the page, then bring
    # it into view as a learner scrolling down would
    open_and_run_all_in_lab(page, lab_url, "notebooks/00_start_here.ipynb",
                            ".salestrain-app img.salestrain-figure", tmp_path, state="attached")
    # The last cell prints the title in the session's language: once it shows, every cell
    # has run, including the one that drives the app from code and puts it back.
    page.wait_for_selector("text=English (en): How many deals", timeout=60_000, state="attached")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
    summary = page.locator(".salestrain-summary").first
    page.locator(".salestrain-app").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('img.salestrain-figure').src.startsWith('blob:')"
        " || document.querySelector('img.salestrain-figure').naturalWidth > 0",
        timeout=30_000,
    )
    # text_content, not inner_text: the lesson's prediction cards come first, so the app is
    # below the fold, and JupyterLab does not lay out cells out of view (no innerText).
    before_text = summary.text_content()
    before_img = image_sources(page)
    assert re.search(r"average you win 3\.0 deals", before_text), before_text

    nudge_slider(page, index=0, presses=2)  # deals 10 -> 12
    # 12 deals at 30%: the kernel recomputed and the page shows the new average.
    page.wait_for_function(
        "() => document.querySelector('.salestrain-summary').innerText.includes('win 3.6 deals')",
        timeout=20_000,
    )
    after_img = wait_for_new_image(page, before_img)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
    page.wait_for_timeout(300)  # let the last PNG paint before the screenshot
    assert after_img != before_img
    width = page.eval_on_selector("img.salestrain-figure", "e => e.naturalWidth")
    assert width > 300  # a real picture, not the text "<Figure size ...>"
    # The same look as in projector mode and learner mode (issue 20): figure text of at
    # least 18 px on the screen, the figure's own aspect, a line saying what to see.
    page.locator("img.salestrain-figure").first.scroll_into_view_if_needed()
    assert small_figure_text(page) == [] and stretched_figures(page) == []
    assert figures_without_caption(page) == []
    # A room is offline and the lesson is the point: JupyterLab must not ask about its news feed.
    assert page.get_by_text("official Jupyter news").count() == 0
    page.screenshot(path=str(tmp_path / "start_here.png"))
    assert (tmp_path / "start_here.png").stat().st_size > 10_000
