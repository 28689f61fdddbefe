"""Facilitator notes: in every lesson, in both languages, hidden from learners, and read by
the trainer's guide from the lessons themselves (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salestrain.io.learner import HIDE_TAG
from salestrain.io.lessons import FACILITATOR_TAG, all_facilitator_notes, facilitator_notes
from tests.language import CJK, english_phrases

SOURCES = Path(__file__).resolve().parents[1] / "notebooks" / "source"
LESSONS = sorted(SOURCES.glob("0*.ipynb"))


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_notes_in_both_languages(source):
    en, zh = facilitator_notes(source, "en"), facilitator_notes(source, "zh_CN")
    assert en is not None and zh is not None, f"{source.name} has no cell tagged {FACILITATOR_TAG!r}"
    assert not CJK.search(en.markdown)
    assert CJK.search(zh.markdown) and english_phrases(zh.markdown) == []
    assert zh.title != en.title


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_a_learner_never_sees_the_notes(source):
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    notes = [c for c in cells if FACILITATOR_TAG in c.get("metadata", {}).get("tags", [])]
    assert notes and all(HIDE_TAG in c["metadata"]["tags"] for c in notes)


def test_the_guide_gets_every_lesson_in_order():
    found = all_facilitator_notes(SOURCES, "zh_CN")
    assert [n.lesson for n in found] == [p.stem for p in LESSONS]


def test_a_lesson_without_notes_has_none(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "metadata": {"tags": ["lang:en"]}, "source": "# A"},
                    {"cell_type": "markdown", "metadata": {"tags": ["lang:zh_CN"]}, "source": "# 甲"}],
          "metadata": {"salestrain": {"i18n": "lesson-source"}}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "01_a.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert facilitator_notes(path, "en") is None
    nb["cells"] += [
        {"cell_type": "markdown", "metadata": {"tags": ["lang:en", HIDE_TAG, FACILITATOR_TAG]},
         "source": "### Notes\n\n10 minutes"},
        {"cell_type": "markdown", "metadata": {"tags": ["lang:zh_CN", HIDE_TAG, FACILITATOR_TAG]},
         "source": "### 备注\n\n10 分钟"}]
    path.write_text(json.dumps(nb), encoding="utf-8")
    zh = facilitator_notes(path, "zh_CN")
    assert zh is not None and (zh.title, zh.markdown) == ("甲", "### 备注\n\n10 分钟")
