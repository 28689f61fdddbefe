"""The conversation app and coach mode, driven as a learner and a mentor would."""

from __future__ import annotations

import sqlite3

import pytest

from salestrain import SalestrainError, set_language
from salestrain.apps import get_app
from salestrain.apps.objections import CoachApp, ObjectionApp, objection_app
from salestrain.core.objections import best_path, score_marks, technique_marks
from salestrain.io.objections.scenarios import load_scenario, scenario_path
from salestrain.io.objections.sessions import list_sessions, load_session, replay_session

NAME = "harbourline-cold-chain"


def test_clicking_an_option_shows_the_next_buyer_line_and_moves_the_gauges():
    app = ObjectionApp(scenario=NAME)
    first_line = app.buyer_line.value
    assert "twice what we pay" in first_line and len(app.option_buttons) == 3
    trust_before = app.gauge_bars["value"].value
    app.option_buttons[1].click()  # acknowledge + implication question
    assert "two pallets" in app.buyer_line.value
    assert app.gauge_bars["value"].value > trust_before
    # Per-step feedback names the reply, its marks and the reasons behind them.
    assert "Step 1" in app.feedback.value and "spoiled shipment" in app.feedback.value
    assert "SPIN implication question answers a price objection" in app.feedback.value
    assert "Twice the price" in app.history.value


def test_assessment_mode_hides_gauges_and_feedback_but_keeps_the_conversation():
    app = ObjectionApp(scenario=NAME)
    app.choose(1)
    app.controls["assessment"].value = True
    assert app.gauges.layout.display == "none" and app.feedback.value == ""
    assert len(app.conversation.steps) == 1  # toggling did not restart it
    app.controls["assessment"].value = False
    assert app.gauges.layout.display is None and "Step 1" in app.feedback.value


def test_end_screen_shows_score_feedback_per_step_and_best_path(tmp_path):
    db = tmp_path / "plays.sqlite"
    app = ObjectionApp(scenario=NAME, db_path=db)
    while not app.conversation.finished:
        app.option_buttons[0].click()
    end = app.end_screen.value
    assert app.option_buttons == [] and "score" in end
    best = best_path(load_scenario(NAME))
    assert "Best path" in end and best.ending == "won"
    assert end.count("class='salestrain-step'") == len(app.conversation.steps)
    [saved] = list_sessions(db)
    assert saved["mode"] == "play" and saved["ending"] == app.conversation.ending
    assert len(load_session(db, saved["id"])["steps"]) == len(app.conversation.steps)
    # The saved transcript replays to the same conversation, in the core and in the app.
    assert replay_session(db, saved["id"]) == app.conversation.transcript
    again = ObjectionApp(scenario=NAME)
    again.replay(replay_session(db, saved["id"]).choices)
    assert again.end_screen.value == end


def test_the_best_path_end_screen_says_so():
    app = ObjectionApp(scenario=NAME)
    for choice in best_path(load_scenario(NAME)).choices:
        app.choose(choice)
    assert app.conversation.ending == "won"
    assert "You took the best path." in app.end_screen.value
    app.restart_button.click()
    assert app.conversation.steps == [] and app.end_screen.value == ""


def test_a_scenario_given_by_path_and_chinese_text(tmp_path):
    copy = tmp_path / "case-scenario.yaml"
    copy.write_text(scenario_path(NAME).read_text(encoding="utf-8"), encoding="utf-8")
    set_language("zh_CN")
    app = ObjectionApp(scenarios=[copy])
    assert "两倍" in app.buyer_line.value
    assert app.controls["scenario"].description == "情景"
    assert app.controls["scenario"].options[0][0] == "向多疑的物流经理销售冷链传感器"
    app.choose(1)
    assert "两个托盘" in app.buyer_line.value and "价格异议" in app.feedback.value


def test_coach_mode_scores_typed_replies_and_saves_them(tmp_path):
    db = tmp_path / "coach.sqlite"
    app = CoachApp(scenario=NAME, db_path=db, learner="Sam Lee", mentor="Ruth Okafor")
    assert not db.exists()  # nothing is written before the first scored reply
    app.reply.value = ""
    assert app.submit() is None and "Type the learner" in app.status.value
    strong = {"acknowledge": 2, "explore": 2, "family_fit": 2, "persona_fit": 1, "advance": 0}
    weak = {c: 0 for c in strong}
    replies = []
    while not app.conversation.finished:
        marks = strong if len(replies) % 2 == 0 else weak
        app.reply.value = f"reply {len(replies)}"
        for criterion, mark in marks.items():
            app.marks[criterion].value = mark
        app.comment.value = "good question" if marks is strong else "no question asked"
        app.submit()
        replies.append(marks)
    session = load_session(db, app.session)
    assert session["learner"] == "Sam Lee" and session["mentor"] == "Ruth Okafor"
    assert [s["reply"] for s in session["steps"]] == [f"reply {i}" for i in range(len(replies))]
    assert [s["marks"] for s in session["steps"]] == replies
    expected = score_marks(replies, app.conversation.ending, app_rubric())
    assert session["total"] == pytest.approx(expected.total)
    assert "Saved to" in app.status.value and app.score_button.disabled
    assert "reply 0" in app.history.value and "twice what we pay" in app.history.value
    # The buyer reacts as to the scripted option closest in points: the weakest one
    # after a zero-mark reply, the strongest after a strong one.
    scenario = load_scenario(NAME)
    for saved, marks in zip(session["steps"], replies, strict=True):
        node = scenario.node(saved["node"])
        scripted = [technique_marks(scenario.persona, scenario.family_of(node), o.techniques).points
                    for o in node.options]
        target = min(scripted) if marks is weak else max(scripted)
        assert scripted[saved["option"]] == target, (saved["node"], scripted)


def app_rubric():
    from salestrain.io.objections.scenarios import load_rubric
    return load_rubric()


def test_coach_marks_must_be_0_1_or_2(tmp_path):
    app = CoachApp(scenario=NAME, db_path=tmp_path / "c.sqlite")
    marks = {"acknowledge": 3, "explore": 0, "family_fit": 0, "persona_fit": 0, "advance": 0}
    with pytest.raises(SalestrainError, match=r"marks \{'acknowledge': 3\}: .*0, 1 or 2"):
        app.submit("hello", marks)
    set_language("zh_CN")
    try:
        with pytest.raises(SalestrainError, match=r"评分 \{'acknowledge': 3\}：.*0、1 或 2 分"):
            app.submit("hello", marks)
    finally:
        set_language(None)


def test_a_corrupt_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("this is not sqlite\n" * 50)
    app = CoachApp(scenario=NAME, db_path=bad)
    with pytest.raises(SalestrainError, match="not a salestrain coaching database"):
        app.submit("hello", {c: 1 for c in ("acknowledge", "explore", "family_fit",
                                            "persona_fit", "advance")})
    assert bad.read_text().startswith("this is not sqlite")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(bad).execute("select 1 from sqlite_master").fetchall()


def test_registered_apps_build_without_arguments(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESTRAIN_COACH_DB", str(tmp_path / "default.sqlite"))
    assert isinstance(get_app("objections").factory(), ObjectionApp)
    coach = get_app("objection-coach").factory()
    assert coach.db_path == tmp_path / "default.sqlite"
    assert objection_app().result is not None
