"""In JupyterLab: the %%tests magic and check() work, and a changed answer changes the
feedback, as a learner would see it."""

from __future__ import annotations

from tests.browser.test_start_here import dismiss_dialogs

EXERCISE = "exercises/sample/funnel_forecast.ipynb"
Q3_ANSWER_CELL = 13  # the cell that sets biggest_stage (0-based, markdown included)


def test_check_gives_feedback_in_jupyterlab_and_follows_a_changed_answer(page, lab_url, tmp_path):
    page.goto(f"{lab_url}/lab/tree/{EXERCISE}")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    for _attempt in range(4):  # Run All can be dropped before the kernel is connected
        dismiss_dialogs(page)
        page.click(".lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-item[data-command='runmenu:run-all']")
        try:
            page.wait_for_selector("text=Checking q3:", timeout=30_000)
            break
        except Exception:
            page.screenshot(path=str(tmp_path / "not_yet.png"))
    else:
        raise AssertionError(f"check() never printed; see {tmp_path / 'not_yet.png'}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    text = "\n".join(outputs)
    assert text.count("public tests passed") == 3, text
    assert "2 hidden test(s)" in text  # the trainer's source knows its hidden tests

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
