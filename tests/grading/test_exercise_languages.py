"""An exercise in two languages is one exercise: one source, a translation beside the
English notebook, a release in the session's language under the exercise's own name, and
test names in each learner's language."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from salestrain.base.errors import ContentError, SalestrainError
from salestrain.base.i18n import set_language
from salestrain.grading.format import parse_exercise
from salestrain.grading.release import release
from salestrain.grading.sources import exercise_files
from salestrain.io.lessons import build, built_path, check, init_source, source_path, variant_of
from tests.grading.helpers import SAMPLE
from tests.language import CJK

NAME = "the weighted forecast of the sample pipeline"


def _translate(source: Path) -> None:
    """What a translator does: a zh_CN cell after each English one, bilingual test names."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    cells: list[dict] = []
    renamed: list[dict] = []
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and text.startswith("%%tests") and not renamed:
            cell["source"] = re.sub(r"- name: .*", f'- name: {{en: "{NAME}", zh_CN: "样例漏斗的加权预测"}}',
                                    text, count=1)
            renamed.append(cell)
        cells.append(cell)
        if cell["cell_type"] == "markdown":
            zh = copy.deepcopy(cell)
            zh["metadata"]["tags"] = ["lang:zh_CN"]
            zh["source"] = "练习说明：" + text
            zh["id"] = f"{cell.get('id', 'c')}-zh"
            cells.append(zh)
    nb["cells"] = cells
    source.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture
def bilingual(tmp_path):
    folder = tmp_path / "exercises" / "funnel"
    folder.mkdir(parents=True)
    for path in [SAMPLE, *SAMPLE.parent.glob("*.csv")]:  # the English exercise and its data only
        shutil.copy(path, folder / path.name)
    exercise = folder / SAMPLE.name
    source = init_source(exercise)
    _translate(source)
    build(source, force=True)
    return folder, source


def test_the_translation_is_built_beside_the_exercise_and_checks_clean(bilingual):
    folder, source = bilingual
    zh = folder / f"{SAMPLE.stem}.zh_CN.ipynb"
    assert source == folder / "source" / SAMPLE.name == source_path(zh) == source_path(folder / SAMPLE.name)
    assert built_path(source, "zh_CN") == zh and zh.is_file()
    assert check(source) == []
    # one exercise, not three: the translation and the source are not exercises of their own
    assert exercise_files(folder) == [folder / SAMPLE.name]
    assert variant_of(folder / SAMPLE.name, "zh_CN") == zh
    assert variant_of(folder / SAMPLE.name, "en") == folder / SAMPLE.name


def test_init_refuses_to_replace_a_source_and_to_wrap_a_source(bilingual):
    folder, source = bilingual
    with pytest.raises(SalestrainError, match="--force"):
        init_source(folder / SAMPLE.name)  # a translator's work is never replaced silently
    with pytest.raises(ContentError, match="already a bilingual source"):
        init_source(source)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_release_is_in_the_session_language_under_the_exercise_name(bilingual, tmp_path, lang):
    folder, _ = bilingual
    out = tmp_path / f"release-{lang}"
    written = release(folder, out, lang=lang)
    notebooks = sorted(p.name for p in written if p.suffix == ".ipynb")
    assert notebooks == [SAMPLE.name]
    nb = json.loads((out / SAMPLE.name).read_text(encoding="utf-8"))
    prose = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert bool(CJK.search(prose)) == (lang == "zh_CN")
    assert not (out / "source").exists()
    # the data files travel with either language
    assert sorted(p.name for p in written if p.suffix != ".ipynb") == \
        sorted(p.name for p in SAMPLE.parent.iterdir() if p.suffix == ".csv")


@pytest.mark.parametrize(("lang", "shown"), [("en", NAME), ("zh_CN", "样例漏斗的加权预测")])
def test_a_bilingual_test_name_shows_in_the_learners_language(bilingual, lang, shown):
    folder, _ = bilingual
    nb = json.loads((folder / SAMPLE.name).read_text(encoding="utf-8"))
    set_language(lang)
    try:
        exercise, problems = parse_exercise(nb, "x")
    finally:
        set_language(None)
    assert problems == []
    names = {test.name for q in exercise.questions.values() for test in [*q.public, *q.hidden]}
    assert shown in names


@pytest.mark.parametrize("bad", ['{zh_CN: "只有中文"}', '{en: "x", fr: "y"}', '{en: ""}', "[a, b]"])
def test_a_bad_test_name_is_named_with_its_fix(bad):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": f"%%tests q1\n- name: {bad}\n  answer: x\n  expect: 1\n  points: 1\n"
                               "  feedback: funnel.ex.weighted\n"}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    _, problems = parse_exercise(nb, "bad.ipynb")
    assert any("name" in str(p) and "en" in str(p) for p in problems), problems


def test_a_translation_is_validated_by_markup_and_its_source_by_the_lesson_check(bilingual):
    from salestrain.grading.exercise_files import validate_exercise_notebook

    folder, source = bilingual
    zh = folder / f"{SAMPLE.stem}.zh_CN.ipynb"
    assert validate_exercise_notebook(zh) == []  # markup only: no kernel for a translation
    nb = json.loads(zh.read_text(encoding="utf-8"))
    broken = next(c for c in nb["cells"] if "".join(c["source"]).startswith("%%tests"))
    broken["source"] = "%%tests q1\n- name: x\n"
    zh.write_text(json.dumps(nb), encoding="utf-8")
    assert validate_exercise_notebook(zh)  # a broken translation is reported
    assert validate_exercise_notebook(source) is None  # the source is the lesson check's
