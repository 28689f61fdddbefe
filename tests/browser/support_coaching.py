"""Helpers for the coaching browser tests: a one-cell notebook showing an app."""

from __future__ import annotations

from pathlib import Path

import nbformat


def app_notebook(folder: Path, code: str, name: str = "app.ipynb") -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(nb, path)
    return path


def wait_for_text_change(page, selector: str, before: str, timeout_ms: int = 20_000) -> str:
    page.wait_for_function(
        "([sel, t]) => document.querySelector(sel) && document.querySelector(sel).innerText !== t",
        arg=[selector, before], timeout=timeout_ms,
    )
    return page.locator(selector).first.inner_text()
