"""Cohort reports from a real gradebook, SQLite and PostgreSQL (results recorded directly)."""

from __future__ import annotations

import subprocess
import sys

from salestrain.base.i18n import set_language
from salestrain.grading.autograde import SubmissionResult
from salestrain.grading.gradebook import Gradebook
from salestrain.grading.outcome import TestOutcome
from salestrain.grading.report import cohort_report, frequent_feedback, question_shares
from tests.grading.helpers import ROOT


def outcome(q: str, passed: bool, got: str, points: float = 1.0) -> TestOutcome:
    key = "grading.sample.weighted" if q == "q1" else "grading.sample.biggest_stage"
    message = "" if passed else f"... You gave {got}."
    return TestOutcome(q, f"{q} test", False, "passed" if passed else "failed",
                       points if passed else 0.0, points, message, key)


def fill(book: Gradebook) -> None:
    book.record("sample/a", SubmissionResult("ana", "x", "1" * 64, [
        outcome("q1", True, "", 2), outcome("q2", False, "north")]))
    book.record("sample/a", SubmissionResult("bo", "x", "2" * 64, [
        outcome("q1", False, "120", 2), outcome("q2", False, "south")]))
    book.record("sample/b", SubmissionResult("ana", "x", "3" * 64, [outcome("q1", True, "")]))


def test_cohort_numbers_and_two_exercise_sections(gradebook_db):
    book = Gradebook.open(gradebook_db)
    fill(book)
    rows = book.rows("sample/a")
    assert question_shares(rows) == {"q1": 0.5, "q2": 0.0}
    # Different answers, same explanation: counted as one kind of feedback.
    top = frequent_feedback(rows)
    assert top[0][1] == 2 and "late stages weigh more" in top[0][0]
    html = cohort_report({n: book.rows(n) for n in book.exercises()})
    assert html.count('<img class="salestrain-figure"') == 4
    assert "<h2>sample/a</h2>" in html and "<h2>sample/b</h2>" in html
    assert html.index("<td>ana</td>") < html.index("<td>bo</td>")  # best score first
    set_language("zh_CN")
    assert "班级报告" in cohort_report({"sample/a": rows})
    book.dispose()


def test_report_without_grades_is_a_clear_error(tmp_path):
    from salestrain.grading.gradebook import Gradebook

    Gradebook.open(str(tmp_path / "empty.sqlite")).dispose()  # a gradebook with no grades yet
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    proc = subprocess.run([sys.executable, "-m", "salestrain", "report", "--db",
                           str(tmp_path / "empty.sqlite"), "--out", str(tmp_path / "r.html")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "the gradebook has no grades" in proc.stderr and "Traceback" not in proc.stderr


def test_report_on_a_mistyped_gradebook_creates_nothing(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    typo = tmp_path / "gradbook.sqlite"
    proc = subprocess.run([sys.executable, "-m", "salestrain", "report", "--db", str(typo),
                           "--out", str(tmp_path / "r.html")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert str(typo) in proc.stderr
    assert not typo.exists() and not (tmp_path / "r.html").exists()


def test_reports_in_chinese_word_the_stored_reasons(tmp_path):
    from salestrain.grading.report import mastery_html

    result = SubmissionResult("ana", "x", "4" * 64, [
        outcome("q1", True, "", 2),
        TestOutcome("q2", "q2 crash", False, "error", 0.0, 1.0, "ZeroDivisionError", "grading.sample.weighted"),
        TestOutcome("q2", "q2 late", True, "timed out", 0.0, 1.0, "time limit exceeded (cell 3)",
                    "grading.sample.weighted")], stopped="time limit exceeded (cell 3)")
    book = Gradebook.open(str(tmp_path / "gb.sqlite"))
    book.record("sample/a", result)
    set_language("zh_CN")
    try:
        mastery = mastery_html(result, "sample/a")
        cohort = cohort_report({"sample/a": book.rows("sample/a")})
        labels = dict((label, n) for label, n in frequent_feedback(book.rows("sample/a")))
    finally:
        set_language(None)
    assert '<td class="passed">通过</td>' in mastery
    assert '<td class="error">出错：ZeroDivisionError</td>' in mastery
    assert '<td class="timedout">超时：time limit exceeded (cell 3)</td>' in mastery
    assert "出错：ZeroDivisionError" in cohort and labels["超时"] == 1
    # The gradebook still holds the codes and messages it held before.
    stored = [(r["status"], r["message"]) for r in book.rows("sample/a")[0]["results"]]
    assert stored == [("passed", ""), ("error", "ZeroDivisionError"),
                      ("timed out", "time limit exceeded (cell 3)")]
    book.dispose()


# -- learner text is text: the report comes from autoescaped Jinja2 templates -------------

HOSTILE = '<script>alert("pwned")</script>'


class _Page(__import__("html.parser").parser.HTMLParser):
    """What a browser builds from the page: its elements, and each text with its element."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: list[tuple[str, str]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.texts.append((self.tags[-1] if self.tags else "", data))


def test_learner_names_and_reasons_are_escaped(tmp_path):
    from salestrain.grading.report import mastery_html

    book = Gradebook.open(str(tmp_path / "gb.sqlite"))
    crash = TestOutcome("q2", f"q2 {HOSTILE}", False, "error", 0.0, 1.0,
                        f"ValueError: {HOSTILE}", "grading.sample.weighted")
    result = SubmissionResult(HOSTILE, "x", "5" * 64, [outcome("q1", True, "", 2), crash],
                              stopped=f"stopped at <b onmouseover=x>{HOSTILE}")
    book.record(f"sample/{HOSTILE}", result)
    book.record("sample/plain", SubmissionResult("ana", "x", "6" * 64, [outcome("q1", True, "")]))
    pages = {
        "cohort": _Page(cohort_report({n: book.rows(n) for n in book.exercises()})),
        "single": _Page(cohort_report({f"sample/{HOSTILE}": book.rows(f"sample/{HOSTILE}")})),
        "mastery": _Page(mastery_html(result, f"sample/{HOSTILE}")),
    }
    for name, page in pages.items():
        # No element came from learner text: only the report's own tags are on the page.
        assert "script" not in page.tags and "b" not in page.tags, name
        assert any(HOSTILE in text for _, text in page.texts), name  # shown, as text
    single = pages["single"].texts
    assert ("td", HOSTILE) in single  # the learner's name, in the per-learner table
    assert ("td", result.stopped) in single
    assert any(tag == "td" and f"ValueError: {HOSTILE}" in text for tag, text in single)
    assert ("h2", f"sample/{HOSTILE}") in pages["cohort"].texts
    assert ("td", f"q2 {HOSTILE}") in pages["mastery"].texts
    book.dispose()


def test_every_template_autoescapes_and_fails_on_a_missing_value():
    import jinja2
    import pytest

    from salestrain.io.html import TEMPLATE_DIR, environment, render

    env = environment()
    names = sorted(p.relative_to(TEMPLATE_DIR).as_posix() for p in TEMPLATE_DIR.rglob("*.html"))
    assert {"base.html", "macros.html", "report/cohort.html", "report/mastery.html"} <= set(names)
    assert env.autoescape is True
    page = _Page(render("base.html", title=HOSTILE))
    assert "script" not in page.tags
    assert ("title", HOSTILE) in page.texts and ("h1", HOSTILE) in page.texts
    with pytest.raises(jinja2.UndefinedError):
        render("report/mastery.html", title="x")
