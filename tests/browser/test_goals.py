"""The target planner and the account book render in Voila and answer their sliders."""

import json
import re
from pathlib import Path

from salestrain.apps.accounts import account_book_app
from tests.browser.support import image_sources, nudge_slider, wait_for_new_image

ROOT = Path(__file__).resolve().parents[2]


def app_notebook(folder: Path, factory_module: str, factory: str) -> Path:
    code = (f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
            f"from {factory_module} import {factory}\n{factory}()")
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "app", "metadata": {},
                     "outputs": [], "source": code}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                      "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path = folder / f"{factory}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def open_app(page, url):
    page.goto(url)
    page.wait_for_selector(".salestrain-app img.salestrain-figure", timeout=90_000)
    page.wait_for_function("() => document.querySelector('img.salestrain-figure').naturalWidth > 300",
                           timeout=30_000)


def test_target_planner_slider_changes_plan_and_highlights_the_gap(page, voila, tmp_path):
    open_app(page, voila(app_notebook(tmp_path, "salestrain.apps.goals", "target_planner_app")))
    summary = page.locator(".salestrain-summary").first.inner_text()
    assert "Annual target 800.0" in summary
    # the sample year is behind plan in some months: those rows are highlighted
    assert page.locator("table.salestrain-plan tr.salestrain-behind").count() >= 3
    assert "at risk" in page.locator(".salestrain-tracking").first.inner_text()
    before = image_sources(page)

    nudge_slider(page, index=0, presses=3)  # annual target up three steps of 10
    readout = page.locator(".widget-readout").first.inner_text().strip()
    assert readout == "830"
    # each key press is a change; wait until the kernel has answered the last one
    page.wait_for_function("t => document.querySelector('.salestrain-summary').innerText.includes(t)",
                           arg=f"Annual target {readout}.0", timeout=20_000)
    assert wait_for_new_image(page, before) != before
    page.screenshot(path=str(tmp_path / "target_planner.png"), full_page=True)
    assert (tmp_path / "target_planner.png").stat().st_size > 20_000


def test_account_book_cutoff_and_threshold_sliders(page, voila, tmp_path):
    open_app(page, voila(app_notebook(tmp_path, "salestrain.apps.accounts", "account_book_app")))
    summary = page.locator(".salestrain-summary").first.inner_text()
    a_before = int(re.search(r"Tier A: (\d+) accounts", summary).group(1))
    assert page.locator("table.salestrain-workload-table tr").count() == 1 + 4  # header + 4 reps
    before = image_sources(page)

    # what the page must show, computed in-process by the same app
    expected = account_book_app(a_cut=0.8, max_days_silent=170)
    a_expected = int(expected.result.summary.loc["A", "customers"])
    assert a_expected > a_before  # a higher cut-off takes more customers into tier A

    nudge_slider(page, index=0, presses=2)  # A cut-off 70% -> 80%
    assert page.locator(".widget-readout").first.inner_text().strip() == "80%"
    page.wait_for_function("t => document.querySelector('.salestrain-summary').innerText.includes(t)",
                           arg=f"Tier A: {a_expected} accounts", timeout=20_000)
    assert wait_for_new_image(page, before) != before

    alerts = page.locator(".salestrain-alerts").first.inner_text()
    n_before = int(re.search(r"Churn alerts: (\d+) accounts", alerts).group(1))
    nudge_slider(page, index=4, presses=10)  # alert only after 170 silent days instead of 120
    n_after = len(expected.result.alerts)
    assert n_after < n_before
    page.wait_for_function("t => document.querySelector('.salestrain-alerts').innerText.includes(t)",
                           arg=f"Churn alerts: {n_after} accounts", timeout=20_000)
    page.screenshot(path=str(tmp_path / "account_book.png"), full_page=True)
    assert (tmp_path / "account_book.png").stat().st_size > 20_000
