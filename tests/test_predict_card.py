"""Predict -> commit -> reveal cards (salestrain/apps/predict.py), driven in-process."""

from __future__ import annotations

import pytest

from salestrain.apps.predict import PredictCard, Reveal, Slider
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import set_language, t
from tests.language import english_phrases

OPTIONS = [("north", "n"), ("south", "s"), ("east", "e")]


def card(**kwargs):
    calls = []

    def reveal(guess):
        calls.append(guess)
        return Reveal(outcome=f"it was south, you said {guess}", meaning="south grows fastest",
                      right=guess == "s", detail_html="<table><tr><td>south</td></tr></table>")

    built = PredictCard("Which region grows fastest?", reveal=reveal, options=OPTIONS, **kwargs)
    return built, calls


def test_nothing_is_preselected_or_revealed_before_a_commit():
    c, calls = card()
    assert c.controls["guess"].value is None
    assert c.result.committed is None and c.result.reveal is None
    assert c.outcome.value == "" and c.answer.value == "" and calls == []


def test_committing_without_an_answer_says_so_and_locks_nothing():
    c, calls = card()
    c.actions["commit"].click()
    assert c.error == t("predict.choose_first")
    assert not c.controls["guess"].disabled and c.result.committed is None and calls == []


def test_a_commit_locks_the_prediction_and_reveals_it_beside_the_outcome():
    c, calls = card()
    c.set(guess="n")
    c.actions["commit"].click()
    assert calls == ["n"] and c.result.committed == "n" and c.result.reveal.right is False
    assert c.controls["guess"].disabled and c.actions["commit"].disabled
    assert "north" in c.answer.value and "you said n" in c.outcome.value and "<table>" in c.outcome.value
    assert t("predict.wrong") in c.outcome.value
    # moving the control afterwards (a stale widget, a script) changes nothing committed
    c.controls["guess"].value = "s"
    c.commit()
    assert c.result.committed == "n" and calls == ["n"] and c.result.reveal.right is False


def test_the_right_answer_is_marked_right():
    c, _ = card()
    c.set(guess="s")
    c.actions["commit"].click()
    assert c.result.reveal.right is True and t("predict.right") in c.outcome.value


def test_a_deferred_reveal_waits_for_the_commit_and_shows_the_reveals_own_error():
    state = {"played": False}

    def reveal(guess):
        if not state["played"]:
            raise SalestrainError("play the quarter first")
        return Reveal(outcome=f"share 21%, you said {guess:.0%}", meaning="close")

    c = PredictCard("Your share?", reveal=reveal, slider=Slider(0.0, 0.6, 0.2, 0.01, ".0%", lambda x: f"{x:.0%}"),
                    auto_reveal=False)
    assert c.actions["reveal"].disabled
    c.actions["reveal"].click()
    assert c.error == t("predict.commit_first")
    c.set(guess=0.3)
    c.actions["commit"].click()
    assert c.result.reveal is None and not c.actions["reveal"].disabled and "30%" in c.answer.value
    c.actions["reveal"].click()
    assert c.error == "play the quarter first" and c.result.reveal is None
    state["played"] = True
    c.actions["reveal"].click()
    assert c.error is None and "you said 30%" in c.outcome.value
    assert c.result.reveal.right is None  # a forecast is compared, not marked
    assert t("predict.right") not in c.outcome.value and t("predict.wrong") not in c.outcome.value


def test_compute_is_pure_and_show_reads_only_the_result():
    c, calls = card()
    c.set(guess="e")
    c.actions["commit"].click()
    assert c.compute(guess="n") == c.compute(guess="n") and calls == ["e"]
    other, _ = card()
    other.show(c.result)
    assert other.outcome.value == c.outcome.value and other.answer.value == c.answer.value
    assert other.controls["guess"].disabled


def test_a_card_takes_options_or_a_slider_not_both():
    with pytest.raises(ValueError, match="either options or a slider"):
        PredictCard("?", reveal=lambda g: Reveal("", ""))
    with pytest.raises(ValueError, match="either options or a slider"):
        PredictCard("?", reveal=lambda g: Reveal("", ""), options=OPTIONS, slider=Slider(0, 1, 0.5, 0.1))


def test_the_card_reads_in_chinese():
    set_language("zh_CN")
    try:
        c = PredictCard("哪个区域增长最快？", reveal=lambda g: Reveal("南区", "南区增长最快", right=True),
                        options=[("北区", "n"), ("南区", "s")])
        c.actions["commit"].click()
        texts = [c.message.value, c.actions["commit"].description, *c.controls["guess"]._options_labels]
        c.set(guess="s")
        c.actions["commit"].click()
        texts += [c.answer.value, c.outcome.value]
    finally:
        set_language("en")
    assert all(english_phrases(text) == [] for text in texts), texts
    assert "南区" in c.answer.value and "提交" in texts[1]


def test_a_failed_reveal_leaves_the_card_open_for_another_try():
    tries = []

    def reveal(guess):
        tries.append(guess)
        if len(tries) == 1:
            raise SalestrainError("play the quarter first")
        return Reveal(outcome="it was south", meaning="south grows fastest")

    c = PredictCard("Which region grows fastest?", reveal=reveal, options=OPTIONS)
    c.set(guess="s")
    c.actions["commit"].click()
    assert c.committed is None and "play the quarter first" in c.error
    c.actions["commit"].click()
    assert c.committed == "s" and c.result.reveal is not None


def test_a_prediction_refused_as_too_late_is_not_locked():
    def too_late():
        raise SalestrainError("the result is already on screen")

    c, calls = card(before_commit=too_late)
    c.set(guess="s")
    c.actions["commit"].click()
    assert c.committed is None and calls == [] and "already on screen" in c.error
