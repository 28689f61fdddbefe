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
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    proc = subprocess.run([sys.executable, "-m", "salestrain", "report", "--db",
                           str(tmp_path / "empty.sqlite"), "--out", str(tmp_path / "r.html")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "the gradebook has no grades" in proc.stderr and "Traceback" not in proc.stderr


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
