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
