"""nbval in every language: a translated notebook runs in its language and shows no English.

Imported by the conftest of each folder nbval collects (notebooks/, cases/). A notebook's
language is its folder (``notebooks/zh_CN/X.ipynb``) or its suffix (``X.zh_CN.ipynb``),
as ``salestrain lessons build`` writes them. Its kernel gets ``SALESTRAIN_LANG``, as
``salestrain --lang zh_CN lab`` gives it, so its apps and messages run in that language.

After each cell of a Chinese notebook runs, its outputs (printed text, tables, Markdown;
not widgets, whose own views are checked by tests/test_no_mixed_language.py, nor images)
are read as a Chinese trainer would: an English phrase there fails the cell, even though
nbval's lax mode would pass it. This is the issue's "every notebook's outputs in zh_CN".
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from salestrain.base.i18n import DEFAULT_LANGUAGE, ENV_VAR, LANGUAGES
from salestrain.io.lessons import variant_language
from tests.language import english_phrases
from tests.lesson_outputs import debug_outputs

DATA_ENV = "SALESTRAIN_DATA_DIR"
WIDGET = "application/vnd.jupyter.widget-view+json"
TEXT_KINDS = ("text/html", "text/markdown", "text/plain")
# In an exercise (the analyst track) a table's header row holds the column codes the
# learner types (`pipeline.amount`): codes, allowed like a file's header. Its cells are not.
_HEADER = re.compile(r"<thead>.*?</thead>", re.S)


def language_of(path: Path) -> str | None:
    """The language a built notebook is written in, when it is not English."""
    folder = path.parent.name
    if folder in LANGUAGES and folder != DEFAULT_LANGUAGE:
        return folder
    return variant_language(path)


def output_texts(outputs: list[Any], codes_in_headers: bool = False) -> list[str]:
    """What a reader sees of a cell's outputs, one text per output."""
    texts = []
    for out in outputs or []:
        kind = out.get("output_type")
        if kind == "stream":
            texts.append(str(out.get("text", "")))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if WIDGET in data:
                continue  # its text/plain is a Python repr the page never shows
            shown = next((data[k] for k in TEXT_KINDS if k in data), None)
            if shown is None:
                continue  # an image: tests/test_no_mixed_language.py reads figures' texts
            text = "".join(shown) if isinstance(shown, list) else str(shown)
            texts.append(_HEADER.sub(" ", text) if codes_in_headers and "text/html" in data else text)
    return texts


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    # nbval starts a notebook's kernel when its first cell is set up: the language is set
    # for that moment only, so no later test in this worker inherits it.
    lang = language_of(Path(str(item.fspath)))
    before = {name: os.environ.get(name) for name in (ENV_VAR, DATA_ENV)}
    if lang is not None:
        os.environ[ENV_VAR] = lang
    # A notebook's answers and progress go to a folder of the test run, not the user's own.
    os.environ.setdefault(DATA_ENV, _scratch())
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_SCRATCH: list[str] = []


def _scratch() -> str:
    if not _SCRATCH:
        _SCRATCH.append(tempfile.mkdtemp(prefix="salestrain-nbval-"))
    return _SCRATCH[0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.passed or not hasattr(item, "test_outputs"):
        return
    path = Path(str(item.fspath))
    # A lesson (notebooks/), in every language, shows no debug output: no Python repr, raw
    # float, pandas print-out, printed Markdown or warning (tests/lesson_outputs.py).
    shown = debug_outputs(item.test_outputs) if "notebooks" in path.parts else []
    if shown:
        report.outcome = "failed"
        report.longrepr = f"{item.fspath}: {item.name} shows debug output: " + "; ".join(shown[:8])
        return
    if language_of(path) is None:
        return
    texts = output_texts(item.test_outputs, codes_in_headers="exercises" in path.parts)
    found = [phrase for text in texts for phrase in english_phrases(text)]
    if found:
        report.outcome = "failed"
        report.longrepr = (f"{item.fspath}: {item.name} shows English in a Chinese notebook: "
                           + "; ".join(repr(p) for p in found[:8]))
