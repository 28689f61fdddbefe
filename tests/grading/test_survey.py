"""The reaction survey (Kirkpatrick level 1): a room answers, the sheets are recorded as the
checks are, the report shows the right means, NPS and pace split, hostile sheets are
refused by name, free text is escaped, and the Chinese page reads in Chinese."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.i18n import set_language
from salestrain.cli.main import main
from salestrain.core.assessment.survey import check_sheet, net_promoter_score, summarise
from salestrain.grading.survey import record_surveys, survey_report
from salestrain.io.content import validate_file
from salestrain.io.survey import SurveyStore, load_survey, survey_id
from tests.language import english_phrases

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
SURVEY = load_survey(EXERCISES / "survey.yaml")

# relevance, will_use, confidence, pace, recommend, change
ROOM = {
    "ana": (5, 5, 4, "right", 10, "Ask the implication question before I show the price."),
    "ben": (4, 4, 3, "too_fast", 9, ""),
    "chen": (4, 3, 3, "right", 9, "<script>alert('x')</script> & <b>bold</b>"),
    "dora": (3, 4, 2, "right", 8, None),
    "eli": (5, 5, 5, "too_slow", 6, None),
    "fei": (2, 3, 3, "too_fast", 3, "先问清楚客户的预算周期"),
}
ITEMS = ("relevance", "will_use", "confidence", "pace", "recommend", "change")


def sheet(learner, answers, module="funnel"):
    return {"format": 1, "learner": learner, "exercise": survey_id(module), "answers": answers}


def hand_in(collected: Path, learner: str, payload, module="funnel") -> Path:
    folder = collected / survey_id(module)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{learner}.answers.json"
    path.write_bytes(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    return path


@pytest.fixture
def room(tmp_path):
    collected = tmp_path / "collected"
    for learner, values in ROOM.items():
        answers = {k: v for k, v in zip(ITEMS, values, strict=True) if v is not None}
        hand_in(collected, learner, sheet(learner, answers))
    hand_in(collected, "ana", sheet("ana", {"relevance": 1, "pace": "too_slow", "recommend": 0}, "negotiation"),
            module="negotiation")
    book = SurveyStore(f"sqlite:///{tmp_path / 'survey.sqlite'}", create=True)
    yield collected, book
    book.dispose()


def test_a_room_answers_and_the_report_shows_means_nps_and_pace(room):
    collected, book = room
    results = record_surveys(collected, SURVEY, book)
    assert [r.recorded for r in results] == [True] * 7
    page = survey_report(book, SURVEY, EXERCISES)
    funnel = page.split("<h2>")[1]
    assert "6 responses" in funnel
    # relevance 5,4,4,3,5,2 -> 23/6 = 3.83; will_use 24/6 = 4.0; confidence 20/6 = 3.33
    assert "Mean 3.8 (scale 1-5)" in funnel and "Mean 4.0 " in funnel and "Mean 3.3 " in funnel
    # recommend 10,9,9,8,6,3: promoters 3, detractors 2 of 6 -> +16.7 points; mean 45/6 = 7.5
    assert "Net promoter score 17 (mean 7.5)" in funnel
    assert ">Promoters<" in funnel and "3 (50%)" in funnel and ">Detractors<" in funnel
    # pace: right 3, too fast 2, too slow 1
    assert "3 (50%)" in funnel and "2 (33%)" in funnel and "1 (17%)" in funnel
    assert "Ask the implication question" in funnel and "先问清楚客户的预算周期" in funnel
    assert "Funnel forecasting" in funnel  # the module's name from its item bank
    negotiation = page.split("<h2>")[2]
    assert "1 response" in negotiation and "Net promoter score -100" in negotiation


def test_free_text_is_escaped(room):
    collected, book = room
    record_surveys(collected, SURVEY, book)
    page = survey_report(book, SURVEY)
    assert "<script>" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_a_later_sheet_replaces_the_earlier_one(room):
    collected, book = room
    record_surveys(collected, SURVEY, book)
    hand_in(collected, "fei", sheet("fei", {"relevance": 5, "pace": "right", "recommend": 10}))
    record_surveys(collected, SURVEY, book)
    assert book.sheets()["funnel"]["fei"] == {"relevance": 5, "pace": "right", "recommend": 10}
    assert len(book.sheets()["funnel"]) == 6


HOSTILE = {
    "wrong_type": (sheet("h1", {"relevance": "five"}), "relevance: five is not a whole number"),
    "bool": (sheet("h2", {"relevance": True}), "relevance: True is not a whole number"),
    "out_of_range": (sheet("h3", {"recommend": 11}), "recommend: 11 is outside 0 to 10"),
    "fraction": (sheet("h4", {"relevance": 3.5}), "relevance: 3.5 is not a whole number"),
    "unknown_item": (sheet("h5", {"relevance": 4, "salary": 9}), "salary is not a question of the survey"),
    "unknown_option": (sheet("h6", {"pace": "glacial"}), "pace: glacial is not one of the options"),
    "list": (sheet("h7", {"change": ["a", "b"]}), "change: ['a', 'b'] is not text"),
    "long_text": (sheet("h8", {"change": "x" * 400}), "change: 400 characters, more than the 300 allowed"),
    "ten_megabytes": (sheet("h9", {"change": "x" * 10_000_000}), "more than 1000000"),
    "not_json": (b"\x00\xff not json", "not"),
    "no_answers": (sheet("h11", None), "answers"),
    "empty": (sheet("h12", {}), "empty"),
    "other_learner": (sheet("somebody_else", {"relevance": 4}), "somebody_else"),
}


def test_hostile_sheets_get_named_reasons_and_never_stop_the_batch(tmp_path):
    collected = tmp_path / "collected"
    for name, (payload, _) in HOSTILE.items():
        learner = payload["learner"] if isinstance(payload, dict) and payload["learner"] != "somebody_else" else name
        hand_in(collected, learner, payload)
    hand_in(collected, "zz_good", sheet("zz_good", {"relevance": 4, "recommend": 9}))
    (collected / "survey_Bad-Module").mkdir()  # not a module name: never read
    hand_in(collected, "x", sheet("x", {"relevance": 4}, "Bad-Module"), module="Bad-Module")
    book = SurveyStore(tmp_path / "s.sqlite", create=True)
    try:
        results = {r.learner: r for r in record_surveys(collected, SURVEY, book)}
        assert book.sheets() == {"funnel": {"zz_good": {"relevance": 4, "recommend": 9}}}
    finally:
        book.dispose()
    assert results["zz_good"].recorded
    assert len(results) == len(HOSTILE) + 1
    for name, (payload, words) in HOSTILE.items():
        learner = payload["learner"] if isinstance(payload, dict) and payload["learner"] != "somebody_else" else name
        result = results[learner]
        assert not result.recorded and result.reasons, name
        assert words.lower() in " ".join(result.reasons).lower(), (name, result.reasons)


def test_a_symlinked_sheet_is_refused(tmp_path):
    collected = tmp_path / "collected"
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(sheet("ana", {"relevance": 5})))
    (collected / survey_id("funnel")).mkdir(parents=True)
    os.symlink(secret, collected / survey_id("funnel") / "ana.answers.json")
    book = SurveyStore(tmp_path / "s.sqlite", create=True)
    try:
        [result] = record_surveys(collected, SURVEY, book)
        assert not result.recorded and book.sheets() == {}
    finally:
        book.dispose()


def test_the_chinese_report_reads_in_chinese(room):
    collected, book = room
    record_surveys(collected, SURVEY, book)
    set_language("zh_CN")
    try:
        page = survey_report(book, SURVEY, EXERCISES)
    finally:
        set_language(None)
    assert 'lang="zh-CN"' in page and "净推荐值 17" in page and "共 6 份反馈" in page
    assert "销售漏斗与预测" in page and "正合适" in page
    # learners' own words (the English free text) are theirs; the rest must be Chinese
    shown = page.replace(ROOM["ana"][5], "")
    assert english_phrases(shown) == [], english_phrases(shown)


# -- the maths against a direct count --------------------------------------------------

scores = st.lists(st.integers(0, 10), max_size=60)


@given(scores)
def test_nps_is_promoters_minus_detractors_in_points(values):
    result = net_promoter_score(values)
    if not values:
        assert result is None
        return
    promoters = len([v for v in values if v in (9, 10)])
    detractors = len([v for v in values if v in range(7)])
    assert result == pytest.approx(100 * promoters / len(values) - 100 * detractors / len(values))
    assert -100 <= result <= 100


answer_sets = st.lists(st.fixed_dictionaries(
    {}, optional={"relevance": st.integers(1, 5), "recommend": st.integers(0, 10),
                  "pace": st.sampled_from(["too_slow", "right", "too_fast"])}), max_size=40)


@settings(max_examples=60)
@given(answer_sets)
def test_the_summary_matches_a_count_of_the_answers(sheets):
    summary = {i.item.id: i for i in summarise(SURVEY, sheets).items}
    relevance = [s["relevance"] for s in sheets if "relevance" in s]
    assert summary["relevance"].answered == len(relevance)
    if relevance:
        assert summary["relevance"].mean == pytest.approx(sum(relevance) / len(relevance))
    else:
        assert summary["relevance"].mean is None
    for value in range(1, 6):
        assert summary["relevance"].counts[value] == relevance.count(value)
    recommend = [s["recommend"] for s in sheets if "recommend" in s]
    nps = summary["recommend"]
    assert nps.promoters + nps.passives + nps.detractors == len(recommend)
    assert nps.nps == net_promoter_score(recommend)
    paces = [s["pace"] for s in sheets if "pace" in s]
    assert sum(summary["pace"].counts.values()) == len(paces)
    assert summary["pace"].counts["too_fast"] == paces.count("too_fast")


@given(st.dictionaries(st.text(max_size=12), st.one_of(st.none(), st.booleans(), st.integers(),
                                                       st.floats(allow_nan=True), st.text(max_size=20),
                                                       st.lists(st.integers(), max_size=3)), max_size=8))
def test_any_sheet_is_either_kept_or_refused_with_a_reason(answers):
    kept, refusals = check_sheet(SURVEY, answers)
    assert bool(kept) != bool(refusals) or (not kept and refusals)
    for key, value in kept.items():
        item = SURVEY.item(key)
        assert item is not None
        assert (value in item.values) if item.type in ("scale", "nps") else isinstance(value, str)


# -- the instrument file ---------------------------------------------------------------


def test_the_shipped_survey_is_valid_and_bilingual():
    assert validate_file(EXERCISES / "survey.yaml") == []
    kinds = [i.type for i in SURVEY.items]
    assert kinds.count("scale") == 3 and "nps" in kinds and "choice" in kinds and "text" in kinds
    assert all(i.prompt["zh_CN"] and i.prompt["en"] for i in SURVEY.items)


def test_a_broken_survey_names_file_line_and_field(tmp_path):
    bad = tmp_path / "survey.yaml"
    bad.write_text(
        "kind: survey\n"
        "title: {en: T, zh_CN: 标题}\n"
        "intro: {en: I, zh_CN: 说明}\n"
        "items:\n"
        "  - id: relevance\n"
        "    type: scale\n"
        "    low: 5\n"
        "    high: 1\n"
        "    prompt: {en: P, zh_CN: 题}\n"
        "  - id: relevance\n"
        "    type: choice\n"
        "    prompt: {en: P, zh_CN: 题}\n"
        "    options: [{id: a, text: {en: A, zh_CN: 甲}}]\n"
        "  - id: mood\n"
        "    type: stars\n"
        "    prompt: {en: P}\n", encoding="utf-8")
    problems = validate_file(bad)
    text = "\n".join(f"{p.line}: {p.field}: {p.message}" for p in problems)
    assert any(p.field == "items.2.type" and p.line == 15 for p in problems), text
    assert any(p.field.startswith("items.2.prompt") for p in problems), text
    # pydantic's problems first stop the rest; fix them and the survey's own checks speak
    fixed = bad.read_text(encoding="utf-8").replace("stars", "text").replace("{en: P}\n", "{en: P, zh_CN: 题}\n")
    bad.write_text(fixed, encoding="utf-8")
    problems = validate_file(bad)
    by_field = {p.field: (p.line, p.message) for p in problems}
    assert by_field["items.0.high"] == (8, "the scale runs from 5 to 1; make high greater than low")
    assert by_field["items.1.id"][0] == 10 and "twice" in by_field["items.1.id"][1]
    assert "at least two options" in by_field["items.1.options"][1]
    set_language("zh_CN")
    try:
        messages = [p.message for p in validate_file(bad)]
    finally:
        set_language(None)
    assert "量表从 5 到 1；最高分必须大于最低分" in messages


# -- the command line ------------------------------------------------------------------


def test_record_and_report_from_the_command_line_never_replace_without_force(room, tmp_path):
    collected, _ = room
    db = str(tmp_path / "cli.sqlite")
    runner = CliRunner()
    hand_in(collected, "mallory", sheet("mallory", {"relevance": "<img src=x>"}))
    result = runner.invoke(main, ["survey", "record", str(collected), "--db", db])
    assert result.exit_code == 0, result.output
    assert "7 survey sheets recorded, 1 refused." in result.output
    assert "mallory (funnel): not recorded" in result.output
    out = tmp_path / "report.html"
    out.write_text("the trainer's notes")
    result = runner.invoke(main, ["survey", "report", "--db", db, "--out", str(out)])
    assert result.exit_code == 1 and out.read_text() == "the trainer's notes"
    result = runner.invoke(main, ["survey", "report", "--db", db, "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert "Net promoter score 17" in out.read_text(encoding="utf-8")
    result = runner.invoke(main, ["--lang", "zh_CN", "survey", "report", "--db", db, "--out",
                                  str(tmp_path / "zh.html")])
    assert result.exit_code == 0 and "已写出" in result.output


def test_reading_never_creates_a_store(tmp_path):
    missing = tmp_path / "none.sqlite"
    result = CliRunner().invoke(main, ["survey", "report", "--db", str(missing), "--out",
                                       str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not missing.exists() and not (tmp_path / "r.html").exists()


# -- the learner's page ----------------------------------------------------------------


def test_the_page_hands_in_a_sheet_the_trainer_records(tmp_path, monkeypatch):
    from salestrain.apps.survey import SurveyForm

    monkeypatch.setenv("SALESTRAIN_COLLECT", str(tmp_path / "collected"))
    form = SurveyForm("goals", EXERCISES / "survey.yaml", "zh_CN", learner="王芳", answers=tmp_path / "answers")
    form.controls["relevance"].value = 4
    assert form.submit() is None and "请回答每一道题" in form.status.value  # the rest unanswered
    assert not (tmp_path / "collected").exists()
    form.controls["will_use"].value = 5
    form.controls["confidence"].value = 3
    form.controls["pace"].value = "too_fast"
    form.controls["recommend"].value = 9
    form.controls["change"].value = "<b>先问预算</b>"
    path = form.submit()
    assert path is not None and "谢谢" in form.status.value
    # a reload keeps the answers (they were kept as they were given)
    again = SurveyForm("goals", EXERCISES / "survey.yaml", "en", learner="王芳", answers=tmp_path / "answers")
    assert again.controls["pace"].value == "too_fast" and again.controls["change"].value == "<b>先问预算</b>"
    book = SurveyStore(tmp_path / "s.sqlite", create=True)
    try:
        [result] = record_surveys(tmp_path / "collected", SURVEY, book)
        assert result.recorded and result.learner == "王芳"
        assert book.sheets()["goals"]["王芳"]["change"] == "<b>先问预算</b>"  # stored as text
    finally:
        book.dispose()


def test_the_learner_site_has_a_survey_page_after_each_module(tmp_path):
    from salestrain.io.learner import LESSON_MODULES, survey_pages

    pages = survey_pages(EXERCISES, "zh_CN")
    assert [m for m, _, _ in pages] == list(LESSON_MODULES.values())
    module, cells, title = pages[0]
    assert title == "课后反馈：销售漏斗与预测"
    assert "survey_form('funnel'" in cells[-1]["source"]
