"""Bilingual lessons: one source, a notebook per language, identical code (docs/i18n.md)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from salestrain.base.errors import SalestrainError
from salestrain.io.content import validate_path
from salestrain.io.lessons import build, built_path, check, code_cells, read_notebook

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "docs" / "examples" / "bilingual-lesson" / "source" / "weighted_pipeline.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    source = tmp_path / "notebooks" / "source" / DEMO.name
    source.parent.mkdir(parents=True)
    shutil.copy(DEMO, source)
    return source


def _prose(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_the_shipped_demo_is_built_and_checks_clean():
    assert check(DEMO) == []
    assert validate_path(DEMO.parent.parent)[1] == []


def test_build_writes_one_notebook_per_language_with_only_its_prose(lesson):
    written = build(lesson)
    en, zh = lesson.parent.parent / DEMO.name, lesson.parent.parent / "zh_CN" / DEMO.name
    assert sorted(written) == sorted([en, zh])
    en_nb, zh_nb, src = read_notebook(en), read_notebook(zh), read_notebook(lesson)
    for nb in (en_nb, zh_nb):
        nbformat.validate(nbformat.from_dict(nb))
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert code_cells(en_nb) == code_cells(zh_nb) == code_cells(src)
    assert len(_prose(en_nb)) == len(_prose(zh_nb)) == len(_prose(src)) // 2
    assert not any(CJK.search(p) for p in _prose(en_nb))
    assert all(CJK.search(p) for p in _prose(zh_nb))
    assert not any(t.startswith("lang:") for c in zh_nb["cells"] for t in c["metadata"].get("tags", []))
    assert build(lesson) == []  # unchanged source: nothing rewritten
    assert check(lesson) == []


def test_a_hand_edit_is_never_replaced_without_force(lesson):
    build(lesson)
    zh = built_path(lesson, "zh_CN")
    nb = read_notebook(zh)
    next(c for c in nb["cells"] if c["cell_type"] == "code")["source"] = "print('edited')"
    zh.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    found = [str(p) for p in check(lesson)]
    assert any("not what" in p for p in found)
    assert any("code cell 1 differs" in p for p in found)
    with pytest.raises(SalestrainError, match="--force"):
        build(lesson)
    assert "edited" in zh.read_text(encoding="utf-8")
    build(lesson, force=True)
    assert check(lesson) == []


def _edit_source(lesson: Path, edit) -> None:
    nb = read_notebook(lesson)
    edit(nb["cells"])
    lesson.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def test_a_missing_translation_is_named_with_its_cell(lesson):
    _edit_source(lesson, lambda cells: cells.pop(4))  # the zh_CN prose of block 4-5
    found = [str(p) for p in check(lesson)]
    assert any("cell 4" in p and "no zh_CN text" in p for p in found), found
    with pytest.raises(SalestrainError, match="no zh_CN text"):
        build(lesson)


@pytest.mark.parametrize("tags, words", [
    ([], "has no language tag"), (["lang:en", "lang:zh_CN"], "exactly one lang: tag"),
    (["lang:zh_TW"], "lang:zh_TW"),
])
def test_bad_tags_are_named(lesson, tags, words):
    def retag(cells):
        cells[0]["metadata"]["tags"] = tags
    _edit_source(lesson, retag)
    found = [str(p) for p in check(lesson)]
    assert any("cell 1" in p and words in p for p in found), found


def test_a_paragraph_without_its_translation_is_named(lesson):
    # en, en, zh_CN: the second English cell starts the next block (it pairs with the
    # Chinese), so the first stands alone and lacks its translation
    def duplicate(cells):
        cells.insert(1, dict(cells[0], id="extra"))
    _edit_source(lesson, duplicate)
    found = [str(p) for p in check(lesson)]
    assert any("cell 1" in p and "no zh_CN text" in p for p in found), found


def test_paragraphs_in_a_row_each_with_its_translation_build_in_order(lesson):
    def two_paragraphs(cells):
        en, zh = dict(cells[0], id="p2-en", source="Second paragraph."), dict(
            cells[1], id="p2-zh", source="第二段。")
        cells[2:2] = [en, zh]
    _edit_source(lesson, two_paragraphs)
    build(lesson, force=True)
    for lang, second in (("en", "Second paragraph."), ("zh_CN", "第二段。")):
        built = json.loads(built_path(lesson, lang).read_text(encoding="utf-8"))
        prose = ["".join(c["source"]) for c in built["cells"] if c["cell_type"] == "markdown"]
        assert prose[1] == second, prose


def test_both_built_notebooks_run_and_print_in_their_language(lesson):
    from nbclient import NotebookClient

    build(lesson)
    printed = {}
    for lang in ("en", "zh_CN"):
        nb = nbformat.read(built_path(lesson, lang), as_version=4)
        env = {**os.environ, "SALESTRAIN_LANG": lang, "PYTHONPATH": str(ROOT)}
        old = os.environ.copy()
        os.environ.update(env)  # the kernel inherits the language, as under `salestrain lab --lang`
        try:
            NotebookClient(nb, timeout=120, kernel_name="python3").execute()
        finally:
            os.environ.clear()
            os.environ.update(old)
        printed[lang] = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                                for o in c.outputs).strip()
    assert printed == {"en": "RMB 1,910,000 42%", "zh_CN": "¥191万 42%"}


SHIPPED = sorted((ROOT / "notebooks").glob("[0-8]*.ipynb"))


@pytest.mark.parametrize("lesson", SHIPPED, ids=lambda p: p.stem)
def test_every_lesson_is_built_from_its_bilingual_source_and_reads_in_chinese(lesson):
    from tests.language import english_phrases

    source = ROOT / "notebooks" / "source" / lesson.name
    assert check(source) == []  # tags, every translation, built files up to date, same code
    chinese = read_notebook(ROOT / "notebooks" / "zh_CN" / lesson.name)
    english = read_notebook(lesson)
    assert len(_prose(chinese)) == len(_prose(english))
    for prose in _prose(chinese):
        assert CJK.search(prose), prose[:80]
        assert english_phrases(prose) == [], prose[:200]
