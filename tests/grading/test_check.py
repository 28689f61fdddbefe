"""check("q1") in plain Python and in a real kernel (the %%tests magic)."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from salestrain.grading import selfcheck
from tests.grading.helpers import SAMPLE, cell_text

TESTS = """%%tests q1
- name: the weighted forecast
  answer: weighted
  expect: 251000
  tolerance: 0.5
  points: 2
  feedback: grading.sample.weighted
- name: the stage
  answer: stage
  expect: proposal
  points: 1
  feedback: grading.sample.biggest_stage
"""


def test_check_gives_per_test_feedback_and_mentions_hidden_tests():
    selfcheck.forget()
    assert selfcheck.register(TESTS) == []
    report = selfcheck.run_check("q1", {"weighted": 200000.0, "stage": " PROPOSAL "})
    assert [o.status for o in report.outcomes] == ["passed", "failed"][:0] + ["failed", "passed"]
    text = report.text()
    assert "weighted amount" not in text
    assert "multiplies every deal's amount" in text  # the sales idea, not "assertion failed"
    assert "200000.0" in text
    assert "hidden tests" in text

    full = selfcheck.run_check("q1", {"weighted": 251000, "stage": "proposal"})
    assert full.passed and full.points == 3
    assert "hidden tests, which may still fail" in full.text()


def test_hidden_tests_registered_in_the_source_are_counted_not_run():
    selfcheck.forget()
    selfcheck.register(TESTS)
    selfcheck.register(TESTS.replace("%%tests q1", "%%tests q1 hidden"))
    report = selfcheck.run_check("q1", {"weighted": 251000, "stage": "proposal"})
    assert len(report.outcomes) == 2
    assert "2 hidden tests" in report.text()


def test_unknown_question_and_broken_tests_cell():
    selfcheck.forget()
    assert "No tests are known for q9" in selfcheck.run_check("q9", {}).text()
    problems = selfcheck.register("%%tests q1\n- name: x\n  answer: y\n")
    assert any("points: missing" in p for p in problems)


def test_sample_exercise_runs_in_a_kernel_with_the_magic_and_check(tmp_path):
    nb = nbformat.read(str(SAMPLE), as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    checks = [i for i, c in enumerate(nb.cells) if c.source.startswith("check(")]
    assert len(checks) == 3
    for index in checks:
        text = cell_text(nb, index)
        assert "public tests passed" in text and "hidden test" in text
    assert "1 of 1 public tests passed: 2 of 2 points" in cell_text(nb, checks[0])
    assert "2 hidden tests" in cell_text(nb, checks[1])


def test_check_in_chinese_words_each_reason_for_the_learner():
    from salestrain.base.i18n import set_language

    selfcheck.forget()
    selfcheck.register(TESTS)
    set_language("zh_CN")
    try:
        text = selfcheck.run_check("q1", {"weighted": "about 250k", "stage": "proposal"}).text()
        broken = selfcheck.register("%%tests q1\n- name: x\n  answer: y\n")
    finally:
        set_language(None)
    assert "✗ the weighted forecast（2 分中得 0 分）" in text
    assert "你的答案是 about 250k" in text and "（应为数字，得到的是文本）" in text
    assert "✓ the stage（1 分）" in text
    assert any(p.startswith("第 2 行：q1[0].points：缺失") for p in broken), broken
