"""The lesson 02 preparation worksheet, driven in-process (salestrain/apps/preparation.py)."""

from __future__ import annotations

import ipywidgets as w

from salestrain.apps.negotiation import negotiation_play_app
from salestrain.apps.predict import PredictCard, Reveal
from salestrain.apps.preparation import PreparationSheet
from salestrain.base.i18n import t

FILLED = dict(batna_price=1_104_000, reservation_price=1_104_000, target_price=1_170_000, opening_price=1_200_000)


def hold_trade(game):
    game.set(issue_payment=2, issue_service=2, issue_delivery=2)
    while game.result.outcome is None:
        game.send_offer()


def test_prices_are_number_boxes_and_a_plan_is_saved_before_the_first_offer():
    game = negotiation_play_app(counterpart="linear", rounds=10)
    sheet = PreparationSheet(game)
    assert isinstance(sheet.controls["target_price"], w.BoundedFloatText)
    sheet.actions["save"].click()
    assert sheet.saved is None and t("preparation.short.batna_price") in sheet.error
    game.send_offer()
    sheet.set(**FILLED)
    sheet.actions["save"].click()
    assert sheet.saved is None and sheet.error == t("preparation.error.started")
    game.new_game()
    sheet.actions["save"].click()
    assert sheet.saved is not None and all(c.disabled for c in sheet.controls.values())
    sheet.set(target_price=1_190_000)  # locked in the page; a changed box does not change the plan
    assert sheet.saved.target_price == 1_170_000


def test_compare_sets_the_plan_beside_the_game_and_the_predictions():
    game = negotiation_play_app(counterpart="linear", rounds=10)
    card = PredictCard("q", options=[("a", "a"), ("b", "b")], reveal=lambda g: Reveal("o", "m", right=g == "a"))
    sheet = PreparationSheet(game, cards={"lesson_negotiation.card.trade.title": card})
    sheet.set(**FILLED, give_payment=2, give_service=2, give_delivery=1, get_delivery="fast")
    sheet.actions["compare"].click()
    assert sheet.error == t("preparation.error.not_saved")
    sheet.actions["save"].click()
    sheet.actions["compare"].click()
    assert sheet.error == t("preparation.error.not_finished") and sheet.result.review is None
    card.set(guess="b")
    card.actions["commit"].click()
    hold_trade(game)
    sheet.actions["compare"].click()
    review = sheet.result.review
    assert sheet.error is None and review.price == 1_200_000 and review.unplanned == ("delivery",)
    assert t("preparation.review.verdict.target") in sheet.report.value
    assert t("preparation.review.unplanned", count=1) in sheet.report.value
    assert sheet.result.predictions == ((t("lesson_negotiation.card.trade.title"), "b", False),)
