"""nbval for the lessons: each language's notebooks run in that language.

``notebooks/source/`` holds the bilingual sources that ``salestrain lessons build`` turns
into ``notebooks/X.ipynb`` and ``notebooks/zh_CN/X.ipynb``: the built ones are tested, not
the sources (their code is the same). A Chinese notebook's kernel gets
``SALESTRAIN_LANG=zh_CN``, as ``salestrain --lang zh_CN lab`` gives it, so its apps and
messages run in Chinese.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from salestrain.base.i18n import ENV_VAR, LANGUAGES

collect_ignore = ["source"]
HERE = Path(__file__).parent


def _language_of(path: Path) -> str | None:
    folder = path.parent.name
    return folder if path.parent.parent == HERE and folder in LANGUAGES else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    # nbval starts a notebook's kernel when its first cell is set up: the language is set
    # for that moment only, so no later test in this worker inherits it.
    lang = _language_of(Path(str(item.fspath)))
    before = os.environ.get(ENV_VAR)
    if lang is not None:
        os.environ[ENV_VAR] = lang
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = before
