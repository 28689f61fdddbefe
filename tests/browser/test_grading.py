"""In JupyterLab: the %%tests magic and check() work, and a changed answer changes the
feedback, as a learner would see it."""

from __future__ import annotations

from tests.browser.support import open_and_run_all_in_lab

EXERCISE = "exercises/sample/funnel_forecast.ipynb"
Q3_ANSWER_CELL = 13  # the cell that sets biggest_stage (0-based, markdown included)


def test_check_gives_feedback_in_jupyterlab_and_follows_a_changed_answer(page, lab_url, tmp_path):
    open_and_run_all_in_lab(page, lab_url, EXERCISE, "text=Checking q3:", tmp_path)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    text = "\n".join(outputs)
    assert text.count("public tests passed") == 3, text
    assert "2 hidden tests" in text  # the trainer's source knows its hidden tests

    # The learner changes the q3 answer to the stage with the largest raw amount.
    cell = page.locator(".jp-Notebook .jp-Cell").nth(Q3_ANSWER_CELL)
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type('biggest_stage = "potential"')
    page.keyboard.press("Shift+Enter")  # run it; focus moves to the tests cell
    page.keyboard.press("Shift+Enter")  # run the tests cell
    page.keyboard.press("Shift+Enter")  # run check("q3")
    page.wait_for_selector("text=0 of 1 public tests passed", timeout=30_000)
    feedback = page.locator(".jp-OutputArea-output:has-text('0 of 1 public tests passed')").inner_text()
    assert "late stages weigh more" in feedback and "You gave potential" in feedback
    assert "hidden test" in feedback
    page.screenshot(path=str(tmp_path / "check_feedback.png"))
    assert (tmp_path / "check_feedback.png").stat().st_size > 10_000
