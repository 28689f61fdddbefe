"""Helpers for the negotiation browser tests: a one-cell notebook per app."""

from __future__ import annotations

from pathlib import Path

import nbformat


def app_notebook(folder: Path, code: str, name: str = "app.ipynb") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code)]
    path = folder / name
    nbformat.write(nb, str(path))
    return path


def open_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".salestrain-app img.salestrain-figure", timeout=90_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.salestrain-figure')].every(i => i.naturalWidth > 0)",
        timeout=30_000)


def wait_text_change(page, selector: str, before: str, timeout: float = 20_000) -> str:
    page.wait_for_function(
        "([sel, t]) => document.querySelector(sel) && document.querySelector(sel).innerText !== t",
        arg=[selector, before], timeout=timeout)
    return page.locator(selector).first.inner_text()
