"""The start command serves JupyterLab; the start-here widget renders and responds."""

import re

from tests.browser.support import image_sources, nudge_slider, wait_for_new_image


def test_start_here_runs_in_jupyterlab_and_its_slider_changes_the_plot(page, lab_url, tmp_path):
    page.goto(f"{lab_url}/lab/tree/notebooks/00_start_here.ipynb")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    # Wait for the kernel before running, so "Run All" is not swallowed.
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.click(".lm-MenuBar-item:has-text('Run')")
    page.click(".lm-Menu-item[data-command='notebook:run-all-cells']")

    page.wait_for_selector(".salestrain-app img.salestrain-figure", timeout=60_000)
    summary = page.locator(".salestrain-summary").first
    page.wait_for_function(
        "() => document.querySelector('img.salestrain-figure').src.startsWith('blob:')"
        " || document.querySelector('img.salestrain-figure').naturalWidth > 0",
        timeout=30_000,
    )
    before_text = summary.inner_text()
    before_img = image_sources(page)
    assert re.search(r"average you win 3\.0 deals", before_text), before_text

    nudge_slider(page, index=0, presses=2)  # deals 10 -> 12
    page.wait_for_function(
        "t => document.querySelector('.salestrain-summary').innerText !== t", arg=before_text,
        timeout=20_000,
    )
    after_img = wait_for_new_image(page, before_img)
    assert "3.6" in summary.inner_text()
    assert after_img != before_img
    width = page.eval_on_selector("img.salestrain-figure", "e => e.naturalWidth")
    assert width > 300  # a real picture, not the text "<Figure size ...>"
    page.screenshot(path=str(tmp_path / "start_here.png"))
    assert (tmp_path / "start_here.png").stat().st_size > 10_000
