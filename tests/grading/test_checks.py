"""Pre/post checks after the class: sheets graded as data, the gain and item report,
certificates only above the threshold, and the mentor's page for one new hire."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from salestrain.base.errors import DataError
from salestrain.base.i18n import set_language
from salestrain.cli.main import main
from salestrain.grading.checks import certificate, checks_report, grade_checks, mentor_view
from salestrain.grading.gradebook import Gradebook
from salestrain.io.learner import check_id, check_pages
from tests.assessment.test_item_bank import bank


@pytest.fixture
def room(tmp_path):
    exercises = tmp_path / "exercises"
    (exercises / "funnel").mkdir(parents=True)
    (exercises / "funnel" / "checks.yaml").write_text(yaml.safe_dump(bank(), allow_unicode=True), encoding="utf-8")
    collected = tmp_path / "collected"
    # every item's right answer is "a"; ana learns a lot, ben a little, "<i>eve" only sits the pre
    sheets = {"pre": {"ana": "aabxxx", "ben": "abbxxx", "<i>eve": "bbbxxx"},
              "post": {"ana": "xxxaaa", "ben": "xxxaab"}}
    for form, people in sheets.items():
        folder = collected / check_id("funnel", form)
        folder.mkdir(parents=True)
        items = ["i0", "i1", "i2"] if form == "pre" else ["i3", "i4", "i5"]
        for learner, marks in people.items():
            picks = [c for c in marks if c != "x"]
            answers = dict(zip(items, picks, strict=True))
            (folder / f"{learner}.answers.json").write_text(json.dumps(
                {"learner": learner, "exercise": check_id("funnel", form), "answers": answers}), encoding="utf-8")
    book = Gradebook.open(f"sqlite:///{tmp_path / 'book.sqlite'}")
    yield exercises, collected, book
    book.dispose()


def test_sheets_are_graded_and_the_report_shows_gain_and_items(room):
    exercises, collected, book = room
    results = grade_checks(collected, exercises, book)
    assert sum(r.graded for r in results) == 5
    page = checks_report(book, exercises)
    # ana: pre 2/3, post 3/3 -> gain 1.00; ben: pre 1/3, post 2/3 -> gain 0.50
    assert "+1.00" in page and "+0.50" in page
    assert "&lt;i&gt;eve" in page and "<i>eve" not in page  # learner text escaped
    assert "i0" in page and "i5" in page  # every item's statistics


def test_a_certificate_needs_the_threshold_and_speaks_the_language(room):
    exercises, collected, book = room
    grade_checks(collected, exercises, book)
    assert "ana" in certificate(book, exercises, "ana", "funnel")
    with pytest.raises(DataError, match="0.8|80"):
        certificate(book, exercises, "ben", "funnel")  # 67 % < 80 %
    with pytest.raises(DataError):
        certificate(book, exercises, "<i>eve", "funnel")  # no post-check
    set_language("zh_CN")
    try:
        page = certificate(book, exercises, "ana", "funnel")
        assert "兹证明" in page and "漏斗" in page and 'lang="zh-CN"' in page
    finally:
        set_language(None)


def test_the_mentor_sees_one_new_hire_across_sittings(room):
    exercises, collected, book = room
    grade_checks(collected, exercises, book)
    page = mentor_view(book, exercises, "ben", [
        {"date": "2026-03-31", "capability": "2.1", "willingness": "4.3", "style": "Guide"},
        {"date": "2026-06-30", "capability": "2.8", "willingness": "4.3", "style": "Guide"}])
    assert page.count("2026-0") == 2 and "+0.50" in page and "ana" not in page
    with pytest.raises(DataError):
        mentor_view(book, exercises, "nobody")


def test_check_pages_carry_no_key_and_the_commands_run(room, tmp_path, monkeypatch):
    exercises, collected, _ = room
    pages = check_pages(exercises, "en")
    assert [(m, f) for m, f, _, _ in pages] == [("funnel", "pre"), ("funnel", "post")]
    text = json.dumps(pages)
    assert "credit" not in text  # no key reaches a learner's check page
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    runner = CliRunner()
    graded = runner.invoke(main, ["checks", "grade", str(collected), "--db", db, "--exercises", str(exercises)])
    assert graded.exit_code == 0, graded.output
    out = tmp_path / "report.html"
    done = runner.invoke(main, ["checks", "report", "--db", db, "--exercises", str(exercises), "--out", str(out)])
    assert done.exit_code == 0 and out.is_file(), done.output
    cert = runner.invoke(main, ["checks", "certificate", "--learner", "ben", "--module", "funnel",
                                "--db", db, "--exercises", str(exercises), "--out", str(tmp_path / "c.html")])
    assert cert.exit_code == 1 and "Traceback" not in cert.output


def test_a_self_study_learner_gets_a_mastery_report_without_a_trainer(room, tmp_path, monkeypatch):
    from tests.assessment.test_nocode_exercise import HIDDEN, PUBLIC, notebook, question_cell

    exercises, collected, _ = room
    (exercises / "funnel" / "deal_month.ipynb").write_text(json.dumps(
        notebook(question_cell("best_reply", PUBLIC), question_cell("weighted", HIDDEN, hidden=True))))
    sheet = collected / "deal_month" / "ana.answers.json"
    sheet.parent.mkdir()
    sheet.write_text(json.dumps({"learner": "ana", "exercise": "deal_month",
                                 "answers": {"best_reply": "b", "weighted": 100}}), encoding="utf-8")
    # the project a learner runs `salestrain mastery` in: lessons, package, exercises
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "salestrain").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SALESTRAIN_COLLECT", str(collected))
    monkeypatch.setenv("SALESTRAIN_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "mine.html"
    result = CliRunner().invoke(main, ["mastery", "--learner", "ana", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "deal_month" in page and "100%" in page  # the exercise, all points
    assert "+1.00" in page  # the funnel module's gain from the checks
    assert "ben" not in page
