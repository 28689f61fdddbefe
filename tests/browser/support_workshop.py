"""Browser helpers for the workshop kit: serve an app in projector mode, move any control."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.conftest import ROOT, free_port, serve

APP = ".salestrain-app"
# What an app shows (not its controls): figures, HTML views, Output widgets. The slider
# readouts are left out on purpose, or moving a slider would always "change the result".
VIEW_TEXT = f"{APP} .widget-html-content, {APP} .jp-OutputArea-output"


@contextmanager
def projector(name: str, log_dir: Path, *lang: str) -> Iterator[str]:
    """``salestrain [--lang L] app NAME --port P``, exactly as the trainer's guide says."""
    port = free_port()
    args = [sys.executable, "-m", "salestrain", *(("--lang", lang[0]) if lang else ()),
            "app", name, "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    # Wait on a static file: asking for "/" would render the app in a kernel nobody uses.
    with serve(args, f"{base}/voila/static/voila.js", ROOT, log_dir / f"app-{name}.log"):
        yield f"{base}/"


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    page.wait_for_selector(APP, timeout=timeout_ms)
    if page.locator(f"{APP} img.salestrain-figure").count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('img.salestrain-figure')]"
            ".every(e => e.naturalWidth > 0)", timeout=timeout_ms,
        )


def snapshot(page) -> tuple[list[str], list[str]]:
    images = page.eval_on_selector_all(f"{APP} img.salestrain-figure", "els => els.map(e => e.src)")
    texts = page.eval_on_selector_all(VIEW_TEXT, "els => els.map(e => e.innerText)")
    return images, texts


def change_one_control(page) -> str:
    """Change the first control a person would reach for: slider, dropdown, checkbox, button."""
    sliders = page.locator(f"{APP} .widget-slider .noUi-handle")
    if sliders.count():
        handle = sliders.first
        now = float(handle.get_attribute("aria-valuenow") or 0)
        top = float(handle.get_attribute("aria-valuemax") or 1)
        key = "ArrowRight" if now < top else "ArrowLeft"  # a slider at its maximum moves left
        handle.focus()
        for _ in range(3):
            handle.press(key)
        return "slider"
    dropdowns = page.locator(f"{APP} .widget-dropdown select")
    if dropdowns.count():
        select = dropdowns.first
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = select.input_value()
        select.select_option(next(v for v in values if v != current))
        return "dropdown"
    checkboxes = page.locator(f"{APP} .widget-checkbox input")
    if checkboxes.count():
        checkboxes.first.click()
        return "checkbox"
    buttons = page.locator(f"{APP} button.widget-button")
    if buttons.count():
        buttons.first.click()
        return "button"
    raise AssertionError("the app shows no control a person could change")


def wait_for_change(page, before: tuple, timeout: float = 20) -> tuple:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = snapshot(page)
        if now != before and all(now[0]):
            # Text arrives before the new PNG: let both settle before anyone looks.
            page.wait_for_timeout(400)
            settled = snapshot(page)
            if settled == now:
                return now
            continue
        page.wait_for_timeout(100)
    raise AssertionError(f"neither a figure nor the app's text changed within {timeout} s")
