"""Helpers for browser tests: read figures, move sliders."""

from __future__ import annotations

import time


def image_sources(page, selector: str = "img.salestrain-figure") -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.src)")


def wait_for_new_image(page, before: list[str], selector: str = "img.salestrain-figure",
                       timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = image_sources(page, selector)
        if now and now != before:
            return now
        page.wait_for_timeout(100)
    raise AssertionError(f"the figure did not change within {timeout} s")


def nudge_slider(page, index: int = 0, presses: int = 3) -> None:
    """Move the ``index``-th slider on the page with the keyboard, as a person would."""
    handle = page.locator(".widget-slider .noUi-handle").nth(index)
    handle.click()
    for _ in range(presses):
        handle.press("ArrowRight")


def dismiss_dialogs(page) -> None:
    """Accept any modal JupyterLab raised (e.g. a kernel picker), printing its text, and
    wait until it is gone: on a busy machine the picker can close late or open twice."""
    for _ in range(5):
        dialogs = page.locator(".jp-Dialog").all()
        if not dialogs:
            return
        for dialog in dialogs:
            try:
                print("JupyterLab dialog:", dialog.inner_text(timeout=5_000)[:300])
            except Exception:  # noqa: BLE001 - it closed on its own meanwhile
                continue
            # A CI run saw the kernel picker reopen a dozen times and the notebook never get
            # a kernel: choose the Python kernel outright, as a person would, and if the
            # "Select" click does not go through on a loaded machine, press Enter (the
            # dialog's default button) instead.
            picker = dialog.locator("select")
            try:
                if picker.count():
                    picker.first.select_option(label="Python 3 (ipykernel)", timeout=5_000)
            except Exception:  # noqa: BLE001 - no such option: accept what is offered
                pass
            try:
                dialog.locator(".jp-Dialog-button.jp-mod-accept").first.click(timeout=15_000)
            except Exception:  # noqa: BLE001 - closed meanwhile, or the click did not land
                if dialog.count():
                    page.keyboard.press("Enter")
        try:
            page.wait_for_selector(".jp-Dialog", state="detached", timeout=10_000)
        except Exception:  # noqa: BLE001 - still there: accept it again
            continue


def open_and_run_all_in_lab(page, lab_url: str, notebook: str, ready: str, shot_dir,
                            attempts: int = 4, timeout_ms: int = 30_000, state: str = "visible") -> None:
    """Open ``notebook`` in JupyterLab and Run All until ``ready`` (a selector) shows.

    On a busy machine JupyterLab can show "Idle" before the kernel's channels are
    connected, and a Run All sent then is dropped; so it runs again until cells execute.
    ``state="attached"`` waits for an element below the fold: JupyterLab leaves cells out of
    view unpainted, so they never count as visible.
    """
    page.goto(f"{lab_url}/lab/tree/{notebook}")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    for _attempt in range(attempts):
        dismiss_dialogs(page)
        try:  # a kernel just chosen in the picker takes a moment to start
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
        except Exception:  # noqa: BLE001 - Run All below waits for it anyway
            pass
        try:
            page.click(".lm-MenuBar-item:has-text('Run')", timeout=10_000)
            page.click(".lm-Menu-item[data-command='runmenu:run-all']", timeout=10_000)
        except Exception:  # noqa: BLE001 - a dialog opened in between: accept it, try again
            page.screenshot(path=str(shot_dir / "dialog.png"))
            continue
        try:
            page.wait_for_selector(ready, timeout=timeout_ms, state=state)
            return
        except Exception:
            page.screenshot(path=str(shot_dir / "not_yet.png"))
    # the server's own account of its kernels (the lab_url fixture logs to lab.log here)
    log = shot_dir / "lab.log"
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:]) if log.is_file() else ""
    raise AssertionError(f"{ready!r} never appeared; see {shot_dir / 'not_yet.png'}\n{tail}")
