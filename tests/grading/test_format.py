"""Parsing the exercise format and reporting markup problems with their place."""

from __future__ import annotations

import json

from salestrain.grading.format import parse_exercise, solution_issues
from salestrain.grading.validate import markup_problems
from tests.grading.helpers import SAMPLE, notebook


def test_sample_exercise_parses_into_questions_points_and_hidden_tests():
    nb = json.loads(SAMPLE.read_text(encoding="utf-8"))
    exercise, problems = parse_exercise(nb, "sample")
    assert problems == []
    assert list(exercise.questions) == ["q1", "q2", "q3"]
    q2 = exercise.questions["q2"]
    assert [t.hidden for t in q2.tests] == [False, True, True]
    assert q2.points == 4
    assert exercise.points == 7
    assert exercise.solution_cells  # three regions in three cells
    assert exercise.questions["q3"].public[0].synonyms == ("proposal stage",)


def test_markup_problems_name_cell_line_field_value_and_fix():
    nb = notebook(
        "from salestrain.grading import check",
        "x = 1\n### BEGIN SOLUTION\nx = 2\n",  # never closed
        "### END SOLUTION\n",  # closes nothing
        "%%tests Q1\n- name: a\n  answer: x\n  expect: 2\n  points: 1\n  feedback: grading.sample.weighted",
        "%%tests q2\n- name: b\n  answer: x +\n  expect: 2\n  points: 0\n  feedback: nope",
        "%%tests q3\n- name: c\n  answer: x\n  expect: 2\n  points: 1\n  feedback: grading.sample.no_such_key",
        "%%tests q4\n- name: c\n  answer: x\n  expect: 2\n  points: 1\n  feedback: grading.sample.weighted\n  colour: red",
    )
    _, problems = markup_problems(nb, "ex.ipynb")
    text = [str(p) for p in problems]
    assert any(t.startswith("ex.ipynb:cell 2:2: solution:") and "no ### END SOLUTION" in t for t in text)
    assert any(t.startswith("ex.ipynb:cell 3:1: solution:") for t in text)
    assert any("cell 4:1: %%tests:" in t and "'Q1'" in t for t in text)
    assert any("cell 5:3: q2[0].answer:" in t and "'x +'" in t for t in text)
    assert any("cell 5:5: q2[0].points:" in t and "got 0" in t for t in text)
    assert any("cell 5:6: q2[0].feedback:" in t and "'nope'" in t for t in text)
    assert any("cell 7:7: q4[0].colour:" in t and "unknown field" in t for t in text)
    assert any("q3.feedback" in t and "grading.sample.no_such_key" in t and "not in the English catalog" in t
               for t in text)


def test_question_without_points_and_duplicate_tests_cells_are_reported():
    nb = notebook(
        "from salestrain.grading import check",
        "%%tests q1\n- name: a\n  answer: x\n  expect: 2\n  feedback: grading.sample.weighted",
        "%%tests q1\n- name: b\n  answer: x\n  expect: 2\n  points: 1\n  feedback: grading.sample.weighted",
        "%%tests q1\n- name: c\n  answer: x\n  expect: 2\n  points: 1\n  feedback: grading.sample.weighted",
    )
    _, problems = markup_problems(nb, "ex.ipynb")
    text = [str(p) for p in problems]
    assert any("cell 2:2: q1[0].points: missing" in t for t in text)
    assert any("cell 3:1:" in t and "already has a public tests cell (cell 2)" in t for t in text)


def test_nested_regions_are_rejected():
    issues = solution_issues("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n")
    assert [i.line for i in issues] == [2]
    assert solution_issues("a\n### BEGIN SOLUTION\nb\n### END SOLUTION\nc") == []


def test_markup_problems_in_chinese_keep_place_field_and_value():
    from salestrain.base.i18n import set_language

    nb = notebook(
        "from salestrain.grading import check",
        "x = 1\n### BEGIN SOLUTION\nx = 2\n",
        "%%tests q2\n- name: b\n  answer: x +\n  expect: 2\n  points: 0\n  feedback: nope",
        "%%tests q2\n- name: c\n  answer: x\n  expect: 2\n  points: 1\n  feedback: grading.sample.weighted",
    )
    set_language("zh_CN")
    try:
        text = [str(p) for p in markup_problems(nb, "ex.ipynb")[1]]
    finally:
        set_language(None)
    assert any(t.startswith("ex.ipynb:cell 2:2: solution:") and "在同一单元格中没有对应的 ### END SOLUTION" in t
               for t in text), text
    assert any("cell 3:3: q2[0].answer: 'x +' 不是 Python 表达式" in t for t in text), text
    assert any("cell 3:5: q2[0].points: 须为大于 0 的数字（得到的是 0）" in t for t in text), text
    assert any("cell 3:6: q2[0].feedback:" in t and "'nope'" in t and "消息目录键" in t for t in text), text
    assert any("cell 4:1: %%tests: 题目 'q2' 已有一个公开测试单元格（第 3 个单元格）" in t for t in text), text
