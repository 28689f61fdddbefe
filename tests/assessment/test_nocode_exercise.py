"""A no-code exercise end to end: declared as data, answered in widgets, submitted as data,
released without the keys of its hidden questions, graded without a kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from salestrain.apps import exercise as page
from salestrain.core.assessment.declared import parse_cell, release_source
from salestrain.core.assessment.kinds import KEY_FIELDS, keyless_question, learner_view
from salestrain.grading.gradebook import Gradebook
from salestrain.grading.nocode import declared_questions, grade_file, read_answers
from salestrain.grading.release import release
from salestrain.grading.validate import validate_exercise
from tests.assessment.test_question_cards import QUESTIONS

ROOT = Path(__file__).resolve().parents[2]


def question_cell(qid: str, data: dict, hidden: bool = False) -> str:
    return f"%%question {qid}{' hidden' if hidden else ''}\n" + yaml.safe_dump(data, allow_unicode=True)


def notebook(*cells: str) -> dict:
    code = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
            for s in ("from salestrain.apps.exercise import answer_sheet, submit_button\n"
                      "answer_sheet('deal_month')", *cells, "submit_button()")]
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Which deal decides the month"},
                      *code],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


PUBLIC = QUESTIONS["reply"]  # b is the best reply
HIDDEN = QUESTIONS["number"]  # 100, within 1


@pytest.fixture
def exercise(tmp_path):
    folder = tmp_path / "exercises" / "funnel"
    folder.mkdir(parents=True)
    path = folder / "deal_month.ipynb"
    path.write_text(json.dumps(notebook(question_cell("best_reply", PUBLIC),
                                        question_cell("weighted", HIDDEN, hidden=True))), encoding="utf-8")
    return path


@pytest.fixture
def sheet(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESTRAIN_COLLECT", str(tmp_path / "collected"))
    page.answer_sheet("deal_month", learner="ana", folder=tmp_path / "answers")
    return page.current_sheet()


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
def test_every_kind_releases_without_its_key_and_stays_answerable(kind):
    data = {"id": "q", **QUESTIONS[kind]}
    view = learner_view(data)
    assert not set(KEY_FIELDS[kind]) & set(view)
    for option in view.get("options", []):
        assert "credit" not in option and "why" not in option
    if kind == "ordering":  # the declared order is the key: the view lists items by id
        assert [i["id"] for i in view["items"]] == sorted(i["id"] for i in data["items"])
    assert type(keyless_question(view)).__name__ == type(parse_cell(question_cell("q", QUESTIONS[kind]))[0].question).__name__


def test_a_question_cell_with_errors_names_the_line_and_field():
    declared, issues = parse_cell("%%question q1\nkind: number\nprompt: x\nanswer: lots\n")
    assert declared is None and issues[0].line == 4 and issues[0].field == "answer"
    assert parse_cell("%%question Q-1\nkind: number\n")[1][0].field == "%%question"
    assert parse_cell("%%question q1\nkind: [\n")[1][0].field == "yaml"


def test_the_page_keeps_answers_checks_public_ones_and_submits_data(sheet, tmp_path):
    public = page.show_question(question_cell("best_reply", PUBLIC))
    hidden = page.show_question(question_cell("weighted", HIDDEN, hidden=True))
    public.inputs["choice"].value = "b"
    hidden.inputs["value"].value = "99.5"
    assert public.check().points == public.question.points
    assert hidden.check() is None and "graded" in hidden.feedback.value  # no key on the page
    # answers persist as given: a new page (a kernel restart) reads them back
    assert page.answer_sheet("deal_month", learner="ana", folder=tmp_path / "answers") is None
    again = page.current_sheet()
    assert again.book.answers() == {"best_reply": "b", "weighted": 99.5}
    card = page.show_question(question_cell("best_reply", PUBLIC))
    assert card.inputs["choice"].value == "b"
    page.show_question(question_cell("weighted", HIDDEN, hidden=True))
    box = page.submit_button()
    box.submit()
    sent = tmp_path / "collected" / "deal_month" / "ana.answers.json"
    assert json.loads(sent.read_text(encoding="utf-8"))["answers"] == {"best_reply": "b", "weighted": 99.5}
    assert "2" in box.children[2].value and "ana.answers" not in box.children[2].value


def test_the_release_carries_no_key_of_a_hidden_question(exercise, tmp_path):
    out = tmp_path / "release"
    release(exercise.parent, out, lang="en")
    text = (out / exercise.name).read_text(encoding="utf-8")
    nb = json.loads(text)
    cells = ["".join(c["source"]) for c in nb["cells"]]
    hidden = next(c for c in cells if c.startswith("%%question weighted hidden"))
    assert "answer" not in yaml.safe_load(hidden.partition("\n")[2])
    assert "tolerance" not in hidden
    public = next(c for c in cells if c.startswith("%%question best_reply"))
    assert "credit" in public  # a public question's key ships: the page checks it at once
    assert release_source(public) == public


def test_the_validator_checks_declarations_without_a_kernel(exercise):
    assert validate_exercise(exercise) == []
    nb = json.loads(exercise.read_text(encoding="utf-8"))
    nb["cells"][2]["source"] = "%%question best_reply\nkind: reply\nprompt: x\noptions: []\n"
    exercise.write_text(json.dumps(nb), encoding="utf-8")
    problems = validate_exercise(exercise)
    assert problems and "cell 3" in problems[0].file and problems[0].field == "options"


def _grade_folder(exercise, folder, db):
    from salestrain.grading.cohort import grade_cohort

    return grade_cohort(folder, exercise, db=f"sqlite:///{db}")


def test_a_room_of_answer_sheets_is_graded_as_data_into_the_gradebook(exercise, tmp_path):
    folder = tmp_path / "collected"
    folder.mkdir()
    sheets = {"ana": {"best_reply": "b", "weighted": 99.5},    # all right
              "ben": {"best_reply": "a", "weighted": 150},     # both wrong
              "chen": {"best_reply": "b"}}                     # one unanswered
    for learner, answers in sheets.items():
        (folder / f"{learner}.answers.json").write_text(json.dumps(
            {"format": 1, "learner": learner, "exercise": "deal_month", "answers": answers}), encoding="utf-8")
    # a forged sheet: handed in as dana's, claiming to be ana's
    (folder / "dana.answers.json").write_text(json.dumps(
        {"learner": "ana", "exercise": "deal_month", "answers": {"best_reply": "b"}}), encoding="utf-8")
    run = _grade_folder(exercise, folder, tmp_path / "book.sqlite")
    scores = {r.learner: (r.score, r.max_score, r.graded) for r in run.results}
    most = PUBLIC.get("points", 1) + HIDDEN.get("points", 1)
    assert scores["ana"] == (most, most, True)
    assert scores["ben"][0] == 0 and scores["chen"][0] == 1
    assert scores["dana"][2] is False
    forged = next(r for r in run.results if r.learner == "dana")
    assert "ana" in forged.stopped
    book = Gradebook.open(f"sqlite:///{tmp_path / 'book.sqlite'}")
    try:
        assert set(book.graded("funnel/deal_month")) == {"ana", "ben", "chen"}
    finally:
        book.dispose()
    # the reason for each point is kept: the learner's report shows it
    ben = next(r for r in run.results if r.learner == "ben")
    assert all(o.message for o in ben.outcomes)


@pytest.mark.parametrize("payload", [
    json.dumps({"answers": {"best_reply": "x" * 10_000_000}}).encode(),  # a 10 MB string
    b"\xff\xfe not json",
    json.dumps({"answers": "all of them"}).encode(),    # wrong type
    json.dumps([1, 2, 3]).encode(),
])
def test_hostile_answer_sheets_get_a_reason_and_never_crash(exercise, payload, tmp_path):
    nb = json.loads(exercise.read_text(encoding="utf-8"))
    questions, _ = declared_questions(nb)
    result = grade_file(questions, "ana", tmp_path / "ana.answers.json", payload, "deal_month")
    assert result.graded is False and result.stopped


def test_wrong_shaped_answers_score_zero_with_a_reason(exercise):
    nb = json.loads(exercise.read_text(encoding="utf-8"))
    questions, _ = declared_questions(nb)
    answers, reason = read_answers(json.dumps({"answers": {
        "best_reply": {"<script>": "alert(1)"}, "weighted": "<b>lots</b>"}}).encode(), "ana", "deal_month")
    assert reason is None
    result = grade_file(questions, "ana", Path("ana.answers.json"),
                        json.dumps({"answers": answers}).encode(), "deal_month")
    assert result.graded and result.score == 0
    assert all(o.message for o in result.outcomes)
