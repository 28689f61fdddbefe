"""Learner mode's site: lesson order, navigator, hidden checks, progress per learner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from salestrain.apps.learner import finish_button, index_html, navigator_html
from salestrain.io.learner import (
    HIDE_TAG,
    build_site,
    mark,
    progress_file,
    read_manifest,
    read_progress,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESTRAIN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SALESTRAIN_LEARNER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)


ROOT = Path(__file__).resolve().parents[1]


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _lessons(folder: Path, titles: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, title in titles.items():
        nb = {"cells": [
            {"cell_type": "markdown", "metadata": {}, "source": f"# {title}\n\nText."},
            {"cell_type": "code", "metadata": {}, "source": "shown = 1",
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "old output"}],
             "execution_count": 3},
            {"cell_type": "code", "metadata": {"tags": [HIDE_TAG]}, "source": "assert shown == 1",
             "outputs": [], "execution_count": 4},
        ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return folder


def _site(tmp_path: Path, zh: bool = False) -> Path:
    notebooks = _lessons(tmp_path / "notebooks", {"02_b": "Second", "01_a": "First",
                                                  "03_c": "Third <b>bold</b>"})
    if zh:
        _lessons(notebooks / "zh_CN", {"01_a": "第一课", "02_b": "第二课"})
    site = tmp_path / "site"
    build_site(notebooks, site)
    return site


def test_the_index_lists_the_lessons_in_course_order_with_each_ones_state(tmp_path):
    site = _site(tmp_path)
    mark(progress_file("ana"), "02_b", "finished")
    mark(progress_file("ana"), "01_a", "opened")
    page = index_html(site / "en", "en", learner="ana")
    assert page.index("01_a.ipynb") < page.index("02_b.ipynb") < page.index("03_c.ipynb")
    assert "First</a><span class=\"state opened\">started" in page
    assert "Second</a><span class=\"state finished\">finished" in page
    assert "Third &lt;b&gt;bold&lt;/b&gt;</a><span class=\"state new\">not started" in page
    assert "<b>bold</b>" not in page  # a lesson title is text, never markup
    # another learner on the same computer has progress of their own
    assert "state opened" not in index_html(site / "en", "en", learner="bo")


def test_a_learners_page_drops_hidden_checks_and_old_outputs_and_gains_a_navigator(tmp_path):
    site = _site(tmp_path)
    cells = _nb(site / "en" / "02_b.ipynb")["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert not any("assert" in s for s in sources)
    assert all(c["outputs"] == [] for c in cells if c["cell_type"] == "code")
    assert "lesson_header" in sources[0] and "lesson_footer" in sources[-1]
    assert sources[1].startswith("# Second") and sources[2] == "shown = 1"
    middle = navigator_html(site / "en", "02_b", "en")
    assert 'href="01_a.ipynb"' in middle and 'href="03_c.ipynb"' in middle
    assert 'href="index.ipynb"' in middle and "Previous: First" in middle
    first = navigator_html(site / "en", "01_a", "en")
    assert "Previous" not in first and "Next: Second" in first
    last = navigator_html(site / "en", "03_c", "en")
    assert "Next" not in last


def test_the_chinese_index_is_chinese_and_names_the_lessons_it_lacks(tmp_path):
    site = _site(tmp_path, zh=True)
    lessons, missing = read_manifest(site / "zh_CN")
    assert [lesson.title for lesson in lessons] == ["第一课", "第二课"] and missing == ["03_c"]
    page = index_html(site / "zh_CN", "zh_CN", learner="ana")
    assert "课程目录" in page and "暂时还没有中文版：03_c" in page and "未开始" in page
    assert "../en/index.ipynb" in page
    for english in ("not started", "First", "Second", "All lessons"):
        assert english not in page
    nav = navigator_html(site / "zh_CN", "01_a", "zh_CN")
    assert "下一课：第二课" in nav and "课程目录" in nav


def test_progress_only_rises_and_a_damaged_record_reads_as_empty(tmp_path):
    record = progress_file("陈静")
    assert record.name == "陈静.progress.json"
    mark(record, "01_a", "finished")
    mark(record, "01_a", "opened")
    assert read_progress(record) == {"01_a": "finished"}
    record.write_text("{not json", encoding="utf-8")
    assert read_progress(record) == {}
    record.write_text(json.dumps({"01_a": "hacked", "02_b": "opened"}), encoding="utf-8")
    assert read_progress(record) == {"02_b": "opened"}
    with pytest.raises(ValueError):
        mark(record, "01_a", "done")


def test_the_finish_button_marks_the_lesson_finished(tmp_path):
    button = finish_button("01_a", "en", learner="ana")
    assert button.description == "I have finished this lesson"
    button.click()
    assert read_progress(progress_file("ana")) == {"01_a": "finished"}
    assert button.description == "Finished ✓"
    again = finish_button("01_a", "zh_CN", learner="ana")
    assert again.description == "已完成 ✓"


def test_the_shipped_lessons_build_in_order(tmp_path):
    indexes = build_site(REPO / "notebooks", tmp_path / "site")
    lessons, _ = read_manifest(indexes["en"].parent)
    names = [lesson.name for lesson in lessons]
    assert names == sorted(p.stem for p in (REPO / "notebooks").glob("[0-8]*.ipynb"))
    assert "90_trainers_guide" not in names  # trainers read it in the lab, learners never
    assert all(lesson.title and not lesson.title.startswith("#") for lesson in lessons)


def test_a_lesson_title_is_its_first_heading_without_a_number():
    from salestrain.io.learner import lesson_title

    nb = {"cells": [{"cell_type": "code", "source": "# a comment, not a heading"},
                    {"cell_type": "markdown", "source": ["Intro\n", "## 4. Coaching: styles\n"]}]}
    assert lesson_title(nb, "fallback") == "Coaching: styles"
    assert lesson_title({"cells": []}, "05_goals") == "05_goals"


def test_no_code_exercises_follow_their_lesson_without_keys_and_record_a_submission(tmp_path, monkeypatch):
    from salestrain.apps import exercise as page
    from salestrain.apps.learner import exercise_header
    from salestrain.io.learner import read_exercises
    from tests.assessment.test_nocode_exercise import HIDDEN, PUBLIC, notebook, question_cell

    notebooks = _lessons(tmp_path / "notebooks", {"01_funnel_forecasting": "Funnel"})
    funnel = tmp_path / "exercises" / "funnel"
    funnel.mkdir(parents=True)
    nb = notebook(question_cell("best_reply", PUBLIC), question_cell("weighted", HIDDEN, hidden=True))
    nb["cells"][1]["metadata"]["tags"] = [HIDE_TAG]  # the setup cell: hidden, yet it must run
    (funnel / "deal_month.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    # a code exercise is the analyst track: not in learner mode
    (funnel / "weighted.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [],
                    "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    site = tmp_path / "site"
    build_site(notebooks, site, tmp_path / "exercises")
    [entry] = read_exercises(site / "en")
    assert entry.name == "funnel__deal_month" and entry.lesson == "01_funnel_forecasting"
    cells = ["".join(c["source"]) for c in _nb(site / "en" / f"{entry.name}.ipynb")["cells"]]
    assert any("answer_sheet(" in c for c in cells)
    hidden = next(c for c in cells if c.startswith("%%question weighted hidden"))
    assert "answer:" not in hidden and "tolerance" not in hidden  # no key reaches the learner
    index = index_html(site / "en", "en", learner="ana")
    assert index.index("01_funnel_forecasting.ipynb") < index.index("funnel__deal_month.ipynb")
    # opening the page, answering, submitting: the index shows it handed in
    monkeypatch.setenv("SALESTRAIN_LEARNER", "ana")
    monkeypatch.setenv("SALESTRAIN_COLLECT", str(tmp_path / "collected"))
    exercise_header(site / "en", entry.name, "en")
    page.answer_sheet("deal_month")
    page.show_question(question_cell("best_reply", PUBLIC)).inputs["choice"].value = "b"
    page.submit_button().submit()
    assert read_progress(progress_file("ana"))[entry.name] == "submitted"
    assert 'state submitted">handed in' in index_html(site / "en", "en", learner="ana")


def test_the_learners_own_report_is_a_page_of_the_site(tmp_path, monkeypatch):
    from salestrain.grading.checks import mastery_page

    notebooks = _lessons(tmp_path / "notebooks", {"01_funnel_forecasting": "Funnel"})
    (tmp_path / "exercises").mkdir()
    site = tmp_path / "site"
    build_site(notebooks, site, tmp_path / "exercises")
    assert (site / "en" / "mastery.ipynb").is_file()
    assert 'href="mastery.ipynb"' in index_html(site / "en", "en", learner="ana")
    monkeypatch.setenv("SALESTRAIN_COLLECT", str(tmp_path / "collected"))
    page = mastery_page("ana", tmp_path)  # nothing handed in yet: a page that says so
    assert "Nothing yet." in page and "Traceback" not in page


def test_a_cases_no_code_exercises_follow_the_lesson_of_its_module_in_each_language(tmp_path):
    """The shipped regional-plan case teaches strategy: its exercises follow lesson 06."""
    from salestrain.io.learner import read_exercises

    notebooks = _lessons(tmp_path / "notebooks", {"06_market_planning": "Market planning"})
    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases" / "regional-plan", cases / "regional-plan")
    site = tmp_path / "site"
    build_site(notebooks, site, tmp_path / "exercises", cases)
    for lang in ("en", "zh_CN"):
        pages = {e.name: e for e in read_exercises(site / lang)}
        name = "strategy__regional-plan__classify_customers"
        assert name in pages and pages[name].lesson == "06_market_planning"
        cells = ["".join(c["source"]) for c in _nb(site / lang / f"{name}.ipynb")["cells"]]
        # the learner's page in the learner's language, and no key of a hidden question in it
        assert any("五种贡献类型" in c for c in cells) == (lang == "zh_CN")
        hidden = next(c for c in cells if c.startswith("%%question efficiency_selling hidden"))
        assert "credit:" not in hidden and "why:" not in hidden
