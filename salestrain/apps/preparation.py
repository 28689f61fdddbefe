"""The preparation worksheet of lesson 02: filled before the game, compared with it after.

The learner types four prices (BATNA, reservation, target, opening) into number boxes and
sets a give-get list (for each issue other than price: the furthest they will go and what
they ask in return), then saves the plan; a saved plan is locked, and it can only be saved
before the first offer of the game. After the game, "compare" sets the plan beside the deal
the engine recorded (:func:`salestrain.core.negotiation.preparation.review`) and beside the
lesson's prediction cards: what the learner predicted and what happened::

    game = negotiation_play_app(counterpart="linear", rounds=10)
    sheet = PreparationSheet(game, cards={"lesson_negotiation.card.trade.title": trade_card})
    sheet.set(batna_price=1_104_000, reservation_price=1_104_000, target_price=1_170_000,
              opening_price=1_200_000)
    sheet.save(); ...play the game...; sheet.compare(); sheet.result.review.below_batna

Not a registered app: it belongs to one lesson's game, so it has no sample to build from.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from salestrain.apps.base import App, Control
from salestrain.apps.base import action as app_action
from salestrain.apps.negotiation import NegotiationPlayApp
from salestrain.apps.predict import PredictCard
from salestrain.base.errors import SalestrainError
from salestrain.base.formats import format_money, format_percent
from salestrain.base.i18n import t
from salestrain.core.negotiation.preparation import (
    GETS,
    PRICE_FIELDS,
    GiveGet,
    Preparation,
    PreparationReview,
    check_preparation,
    review,
)

__all__ = ["PreparationSheet", "SheetState"]


@dataclass(frozen=True)
class SheetState:
    saved: Preparation | None  # None until the learner saves the plan
    review: PreparationReview | None  # None until compared with a finished game
    predictions: tuple[tuple[str, str, bool | None], ...]  # (card, prediction, right) at comparison


class PreparationSheet(App):
    """Number boxes and a give-get list; see the module docstring."""

    TITLE = "preparation.title"

    def __init__(self, game: NegotiationPlayApp, cards: Mapping[str, PredictCard] | None = None,
                 **values: Any) -> None:
        self.game = game
        self.domain = game.scenario.domain
        self.cards = dict(cards or {})
        self.saved: Preparation | None = None
        self.reviewed: PreparationReview | None = None
        self.predictions: tuple[tuple[str, str, bool | None], ...] = ()
        super().__init__(**values)

    def _issues(self):
        return [issue for issue in self.domain.issues if not issue.is_price]

    def control_specs(self) -> Sequence[Control]:
        top = 2 * (self.domain.list_price or 0)
        specs = [Control(name, "float", f"preparation.field.{name}", 0.0, 0.0, top, 10_000.0)
                 for name in PRICE_FIELDS]
        for issue in self._issues():
            scores = self.domain.seller.scores[issue.name]
            best = max(range(len(scores)), key=scores.__getitem__)  # "give nothing" on this issue
            specs.append(Control(f"give_{issue.name}", "choice", "", best,
                                 options=[(label, k) for k, label in enumerate(issue.options)]))
            specs.append(Control(f"get_{issue.name}", "choice", "preparation.get", "list_price",
                                 options=[(f"preparation.gets.{g}", g) for g in GETS]))
        specs += [Control("save", "action", "preparation.save", None, handler="save", button_style="primary"),
                  Control("compare", "action", "preparation.compare", None, handler="compare",
                          button_style="success")]
        return specs

    def _build(self) -> None:
        # Prices are typed, not slid: the declared float controls become number boxes.
        for name in PRICE_FIELDS:
            spec, old = self.specs[name], self.controls[name]
            self.controls[name] = w.BoundedFloatText(value=spec.default, min=spec.min, max=spec.max,
                                                     step=spec.step, description=old.description,
                                                     style={"description_width": "initial"},
                                                     layout=w.Layout(width="min(100%, 420px)"))
        super()._build()
        rows = [w.HTML(f"<b>{html.escape(t('preparation.give_get'))}</b>"
                       f"<br><span>{html.escape(t('preparation.give_get_help'))}</span>")]
        for issue in self._issues():
            give, get = self.controls[f"give_{issue.name}"], self.controls[f"get_{issue.name}"]
            give.description = t("preparation.give", issue=self.game.scenario.issue_label(issue.name))
            for box in (give, get):
                box.layout = w.Layout(width="min(48%, 360px)")
            rows.append(w.HBox([give, get]))
        prices = [self.controls[name] for name in PRICE_FIELDS]
        self.controls_box.children = [w.HTML(f"<b>{html.escape(t('preparation.prices'))}</b>"), *prices, *rows]
        self.widget.add_class("salestrain-preparation")

    def build_views(self) -> list[w.Widget]:
        self.plan = w.HTML()
        self.report = w.HTML()
        self.report.add_class("salestrain-preparation-review")
        return [self.plan, self.report]

    # -- state changes --------------------------------------------------------------
    def _prep(self) -> Preparation:
        values = self.params()
        lines = tuple(GiveGet(i.name, int(values[f"give_{i.name}"]), values[f"get_{i.name}"])
                      for i in self._issues())
        return Preparation(*(float(values[name]) for name in PRICE_FIELDS), give_get=lines)

    @app_action
    def save(self) -> None:
        if self.saved is not None:
            return  # saved once: the plan is what the learner wrote before playing
        prep = self._prep()
        check_preparation(prep, self.domain)
        if self.game.moves:
            raise SalestrainError(t("preparation.error.started"))
        self.saved = prep

    @app_action
    def compare(self) -> None:
        if self.saved is None:
            raise SalestrainError(t("preparation.error.not_saved"))
        outcome = self.game.result.outcome if self.game.result is not None else None
        if outcome is None:
            raise SalestrainError(t("preparation.error.not_finished"))
        self.reviewed = review(self.saved, self.domain, self.game.session.result)
        self.predictions = tuple(
            (t(title), card.label_of(card.committed) if card.committed is not None else t("preparation.none"),
             None if card.revealed is None else card.revealed.right)
            for title, card in self.cards.items())

    # -- pure part ---------------------------------------------------------------------
    def compute(self, **_values: Any) -> SheetState:
        return SheetState(self.saved, self.reviewed, self.predictions)

    def show(self, result: SheetState) -> None:
        locked = result.saved is not None
        for control in self.controls.values():
            control.disabled = locked
        self.actions["save"].disabled = locked
        self.plan.value = "" if not locked else f"<p>{html.escape(t('preparation.saved'))}</p>"
        self.report.value = "" if result.review is None else (
            render_review(result.review, self) + render_predictions(result.predictions))

    def issue_text(self, issue: str, option: int) -> str:
        names = {i.name: i for i in self.domain.issues}
        return names[issue].options[option]


def _line(key: str, bold: bool = False, **fields: Any) -> str:
    text = html.escape(t(key, **fields))
    return f"<li>{'<b>' + text + '</b>' if bold else text}</li>"


def render_review(r: PreparationReview, sheet: PreparationSheet) -> str:
    """The plan beside the deal, as the learner reads it."""
    p, money = r.prep, format_money
    items = []
    if r.opening_sent is not None:
        items.append(_line("preparation.review.opening", plan=money(p.opening_price), sent=money(r.opening_sent)))
        if not r.opened_as_planned:
            items.append(_line("preparation.review.opened_low", bold=True))
    if not r.agreement:
        items.append(_line("preparation.review.no_deal", batna=f"{r.batna_value:.2f}"))
    else:
        discount = (sheet.domain.list_price - r.price) / sheet.domain.list_price
        items.append(_line("preparation.review.price", price=money(r.price), discount=format_percent(discount),
                           reservation=money(p.reservation_price), target=money(p.target_price)))
        verdict = ("target" if r.reached_target else "between" if not r.below_reservation else "below")
        items.append(_line(f"preparation.review.verdict.{verdict}", bold=verdict == "below"))
        items.append(_line("preparation.review.package", value=f"{r.value:.2f}", batna=f"{r.batna_value:.2f}"))
        if r.below_batna:
            items.append(_line("preparation.review.below_batna", bold=True))
        items.append(_line("preparation.review.rounds", used=r.rounds_used, rounds=r.rounds))
    head = "".join(f"<th>{html.escape(t(f'preparation.col.{c}'))}</th>"
                   for c in ("issue", "limit", "deal", "within", "get", "got"))

    def mark(flag: bool | None) -> str:
        return "" if flag is None else html.escape(t("lessons.yes") if flag else t("lessons.no"))

    body = "".join(
        f"<tr><td>{html.escape(sheet.game.scenario.issue_label(g.issue))}</td>"
        f"<td>{html.escape(sheet.issue_text(g.issue, g.planned))}</td>"
        f"<td>{'' if g.given is None else html.escape(sheet.issue_text(g.issue, g.given))}</td>"
        f"<td>{mark(g.within_plan)}</td><td>{html.escape(t(f'preparation.gets.{g.get}'))}</td>"
        f"<td>{mark(g.get_met) if g.gave else html.escape(t('preparation.nothing_given')) if g.gave is False else ''}</td></tr>"
        for g in r.gives)
    summary = []
    if r.unplanned:
        summary.append(_line("preparation.review.unplanned", bold=True, count=len(r.unplanned)))
    if r.unpaid:
        summary.append(_line("preparation.review.unpaid", bold=True, count=len(r.unpaid)))
    if r.agreement and not r.unplanned and not r.unpaid:
        summary.append(_line("preparation.review.as_planned"))
    return (f"<h4>{html.escape(t('preparation.review.title'))}</h4><ul>{''.join(items)}</ul>"
            f"<table class='salestrain-give-get'><tr>{head}</tr>{body}</table><ul>{''.join(summary)}</ul>")


def render_predictions(rows: Sequence[tuple[str, str, bool | None]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(t(f'preparation.col.{c}'))}</th>" for c in ("card", "prediction", "result"))
    verdict = {True: t("preparation.right"), False: t("preparation.wrong"), None: t("preparation.open")}
    body = "".join(f"<tr><td>{html.escape(card)}</td><td>{html.escape(said)}</td>"
                   f"<td>{html.escape(verdict[right])}</td></tr>" for card, said, right in rows)
    return (f"<h4>{html.escape(t('preparation.predictions'))}</h4>"
            f"<table class='salestrain-predictions'><tr>{head}</tr>{body}</table>")
