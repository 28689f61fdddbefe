"""Answer widgets: each kind turns inputs into answer data, checks it, and restores it."""

from __future__ import annotations

import json

import pytest

from salestrain.apps.questions import QuestionCard, render_score, scenario_domains
from salestrain.base.errors import DataError
from salestrain.core.assessment.kinds import parse_question
from salestrain.io.answers import AnswerBook


def opts(*ids, credit=None):
    credit = credit or {}
    return [{"id": i, "text": {"en": i.title(), "zh_CN": f"选项{i}"}, "credit": credit.get(i, 0.0)} for i in ids]


QUESTIONS = {
    "number": {"kind": "number", "prompt": "Weighted?", "answer": 100, "tolerance": 1},
    "reply": {"kind": "reply", "prompt": "Reply", "options": opts("a", "b", "c", credit={"b": 1.0})},
    "multi": {"kind": "multi", "prompt": "Which?", "options": opts("a", "b", "c"), "correct": ["a", "c"]},
    "ordering": {"kind": "ordering", "prompt": "Order", "items": opts("x", "y", "z")},
    "classify": {"kind": "classify", "prompt": "Tier", "categories": opts("A", "C"),
                 "items": opts("m", "k"), "answer": {"m": "A", "k": "C"}},
    "grid": {"kind": "grid", "prompt": "Place", "columns": opts("lo", "hi"), "rows": opts("lw", "hw"),
             "items": opts("lin"), "answer": {"lin": ["hi", "hw"]}},
    "text": {"kind": "text", "prompt": "Say", "concepts": [{"id": "c", "name": "ack", "phrases": {"en": ["understand"]}}]},
    "estimate": {"kind": "estimate", "prompt": "Range", "answer": 10, "scale": 100},
    "probability": {"kind": "probability", "prompt": "P?", "answer": 0.3},
    "decision": {"kind": "decision", "prompt": "Do?", "options": opts("go", "wait", credit={"go": 1.0}),
                 "justification": [{"id": "j", "name": "budget", "phrases": {"en": ["budget"]}}]},
    "offer": {"kind": "offer", "prompt": "Package", "scenario": "price-sensitive-buyer"},
}


def question(kind):
    return parse_question({"id": f"q_{kind}", **QUESTIONS[kind]})


def fill(card: QuestionCard, kind: str) -> None:
    i = card.inputs
    if kind == "number":
        i["value"].value = "100.4"  # typed, as a learner types it
    elif kind == "reply":
        i["choice"].value = "b"
    elif kind == "multi":
        i["a"].value = i["c"].value = True
    elif kind == "ordering":
        i["x"].value, i["y"].value, i["z"].value = 1, 2, 3
    elif kind == "classify":
        i["m"].value, i["k"].value = "A", "C"
    elif kind == "grid":
        i["lin"].value = "hi|hw"
    elif kind == "text":
        i["text"].value = "I understand your concern."
    elif kind == "estimate":
        i["low"].value, i["high"].value = "9", "11"
    elif kind == "probability":
        i["p"].value = 0.3
    elif kind == "decision":
        i["choice"].value, i["why"].value = "go", "the budget is there"
    elif kind == "offer":
        # the options by their labels, as a learner picks them; the answer holds positions
        for issue, label in {"price": "1,140,000 (5% off)", "payment": "6 instalments over 12 months",
                             "service": "Preventive maintenance + operator training",
                             "delivery": "8 weeks"}.items():
            i[issue].label = label


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
def test_every_kind_answers_checks_and_survives_a_restart(kind, tmp_path):
    book = AnswerBook.open(tmp_path, "王芳", "ex1")
    card = QuestionCard(question(kind), "王芳", book, scenario_domains())
    fill(card, kind)
    answer = card.answer
    json.dumps(answer)  # plain data, what a submission carries
    result = card.check()
    assert result.valid and result.points > 0
    assert "✓" in card.feedback.value or "✗" in card.feedback.value
    # A kernel restart: a new book read from disk, a new card, the same answer and score.
    again = QuestionCard(question(kind), "王芳", AnswerBook.open(tmp_path, "王芳", "ex1"), scenario_domains())
    assert again.answer == answer
    assert again.check().points == result.points


def test_options_are_shown_in_each_learners_own_order():
    q = parse_question({"id": "q", "kind": "reply", "prompt": "p",
                        "options": opts(*"abcdefg", credit={"a": 1.0})})
    orders = {tuple(v for _, v in QuestionCard(q, f"rep{k}").inputs["choice"].options) for k in range(12)}
    assert len(orders) > 3
    assert QuestionCard(q, "rep1").inputs["choice"].options == QuestionCard(q, "rep1").inputs["choice"].options


def test_two_tabs_keep_each_others_answers(tmp_path):
    tab1 = AnswerBook.open(tmp_path, "li", "ex")
    tab2 = AnswerBook.open(tmp_path, "li", "ex")
    tab1.set("q1", 5)
    tab2.set("q2", "b")  # tab 2 never saw q1, yet must not erase it
    assert AnswerBook.open(tmp_path, "li", "ex").answers() == {"q1": 5, "q2": "b"}


def test_learners_sharing_a_laptop_keep_separate_answers(tmp_path):
    AnswerBook.open(tmp_path, "zhang", "ex").set("q1", 1)
    AnswerBook.open(tmp_path, "zhao", "ex").set("q1", 2)
    assert AnswerBook.open(tmp_path, "zhang", "ex").get("q1") == 1
    with pytest.raises(DataError):
        AnswerBook.open(tmp_path, "../..", "ex")


def test_a_damaged_answer_file_is_kept_for_the_trainer(tmp_path):
    book = AnswerBook.open(tmp_path, "li", "ex")
    book.set("q1", 1)
    book.path.write_text("{not json")
    with pytest.raises(DataError, match="kept"):
        AnswerBook.open(tmp_path, "li", "ex")
    assert list(book.path.parent.glob("*.broken-*.json"))


def test_feedback_never_renders_answer_text_as_html():
    q = parse_question({"id": "q", "kind": "choice", "prompt": "p",
                        "options": [{"id": "a", "text": "<img src=x onerror=alert(1)>", "credit": 1},
                                    {"id": "b", "text": "plain"}]})
    card = QuestionCard(q, "x")
    card.inputs["choice"].value = "a"
    card.check()
    assert "<img" not in card.feedback.value and "&lt;img" in card.feedback.value
    assert "<script>" not in render_score(card.last_score)


@pytest.mark.parametrize(("typed", "read"), [("1,105,000", 1105000.0), ("¥1,105,000", 1105000.0),
                                              ("110.5万", 1105000.0), ("1.2亿", 120000000.0), ("1 105 000 元", 1105000.0),
                                              ("30%", 30.0), ("", None), ("lots", None)])
def test_a_number_is_read_as_a_rep_types_it(typed, read):
    from salestrain.apps.questions import parse_number

    assert parse_number(typed) == read


def test_an_empty_number_box_is_no_answer_not_zero(tmp_path):
    card = QuestionCard(question("number"), "ana", AnswerBook.open(tmp_path, "ana", "ex1"))
    assert card.inputs["value"].value == "" and card.answer is None
    result = card.check()
    assert result.points == 0 and not result.valid  # "a number was expected", not "0 is wrong"


def test_an_offer_made_in_chinese_grades_the_same_in_english(tmp_path):
    """A package is kept as option positions, so the grader reads it in any language."""
    from salestrain.base.i18n import set_language
    from salestrain.core.assessment.kinds import score

    set_language("zh_CN")
    try:
        card = QuestionCard(question("offer"), "王芳", None, scenario_domains())
        for box in card.inputs.values():
            box.index = 1
        answer = card.answer
    finally:
        set_language(None)
    assert all(isinstance(v, int) for v in answer.values())
    english = score(question("offer"), answer, scenario_domains())  # the trainer's session: English
    assert english.valid and english.max_points > 0


@pytest.mark.parametrize(("points", "most", "head"), [
    (1, 1, "1 of 1 point"), (0, 1, "0 of 1 point"), (1, 2, "1 of 2 points"), (1.5, 2.5, "1.5 of 2.5 points"),
])
def test_the_score_line_agrees_with_its_number(points, most, head):
    from salestrain.core.assessment.kinds import Score

    assert f"<b>{head}</b>" in render_score(Score(points, most, ()))
