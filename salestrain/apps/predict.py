"""Predict, commit, reveal: the loop a lesson teaches in (DESIGN.md, "The learner's screen").

A :class:`PredictCard` asks one question. The learner picks an answer (a choice or a
number on a slider) and commits it; only then does the card show what the simulation
says, beside the prediction, with what it means in sales terms. A committed prediction
is locked: a forecast that can be changed after the result is known teaches nothing.

The lesson supplies the question and a ``reveal`` function that turns the committed
answer into a :class:`Reveal` (it calls the core; the card only shows). Some reveals
need the learner to act first, such as playing a quarter in an app: ``auto_reveal=False``
gives the card a second button, and a reveal that cannot be made yet raises a
:class:`~salestrain.base.errors.SalestrainError` whose message says what to do::

    card = PredictCard(t("lesson_strategy.mix_card.prompt"),
                       options=[(t("strategy.mix.aggressive"), "aggressive"), ...],
                       reveal=lambda mix: Reveal(outcome=..., meaning=..., right=mix == "aggressive"))
    card.set(guess="aggressive"); card.commit(); card.result.reveal.right

Not a registered app: a card is built from a lesson's question, so it has no sample to
build itself from.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from salestrain.apps.base import App, Control, action
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import has_key, t
from salestrain.plots.style import ALERT_TEXT, GOOD_TEXT

__all__ = ["PredictCard", "PredictState", "Reveal", "Slider"]


@dataclass(frozen=True)
class Reveal:
    """What happened, beside the learner's prediction (texts in the learner's language)."""

    outcome: str  # what the simulation says, one or two sentences
    meaning: str  # what it means in sales terms
    right: bool | None = None  # None: a forecast to compare, not right or wrong
    detail_html: str = ""  # e.g. a table from salestrain.apps.tables.table_html


@dataclass(frozen=True)
class Slider:
    """A numeric prediction: the slider's range and how a value is written."""

    low: float
    high: float
    default: float
    step: float
    readout_format: str = ".0%"  # the slider's own readout (a Python format spec)
    formatter: Callable[[float], str] = str  # how the committed value is written back


@dataclass(frozen=True)
class PredictState:
    guess: Any  # what the control shows now
    committed: Any  # None until the learner commits
    reveal: Reveal | None  # None until revealed


class PredictCard(App):
    """One predict -> commit -> reveal question; see the module docstring."""

    def __init__(self, prompt: str, reveal: Callable[[Any], Reveal],
                 options: Sequence[tuple[str, Any]] = (), slider: Slider | None = None,
                 auto_reveal: bool = True, reveal_label: str = "predict.reveal",
                 before_commit: Callable[[], None] | None = None) -> None:
        if bool(options) == (slider is not None):
            raise ValueError("a prediction card takes either options or a slider")
        self.prompt = prompt
        self.options = tuple(options)
        self.slider = slider
        self.reveal_fn = reveal
        self.auto_reveal = auto_reveal
        self.reveal_label = reveal_label
        # May raise a SalestrainError to refuse a prediction made too late (the result
        # it predicts is already on screen).
        self.before_commit = before_commit
        self.committed: Any = None
        self.revealed: Reveal | None = None
        super().__init__()

    def control_specs(self) -> list[Control]:
        if self.slider is not None:
            s = self.slider
            guess = Control("guess", "float", "", s.default, s.low, s.high, s.step,
                            readout_format=s.readout_format)
        else:
            # No answer is preselected: a default would be a prediction the learner did not make.
            guess = Control("guess", "choice", "", None, options=(("predict.choose", None), *self.options))
        specs = [guess, Control("commit", "action", "predict.commit", None, handler="commit",
                                button_style="primary")]
        if not self.auto_reveal:
            specs.append(Control("reveal", "action", self.reveal_label, None, handler="reveal",
                                 button_style="success"))
        return specs

    def build_views(self) -> list[w.Widget]:
        guess = self.controls["guess"]
        guess.layout.width = "min(100%, 640px)"
        self.question = w.HTML(f"<div class='salestrain-prompt'><b>{html.escape(self.prompt)}</b></div>")
        self.answer = w.HTML()
        self.outcome = w.HTML()
        # The question above the input: the controls box is built first, so move it here.
        return [self.answer, self.outcome]

    def _build(self) -> None:
        super()._build()
        self.widget.children = (self.question, *self.widget.children)
        self.widget.layout = w.Layout(border="1px solid #c9d3e0", padding="8px 12px", margin="8px 0")
        self.widget.add_class("salestrain-predict")

    # -- state changes --------------------------------------------------------------
    @action
    def commit(self) -> None:
        if self.committed is not None:
            return  # committed once: the prediction stays what it was
        guess = self.controls["guess"].value
        if guess is None:
            raise SalestrainError(t("predict.choose_first"))
        if self.before_commit is not None:
            self.before_commit()
        # Reveal first: if the reveal fails (e.g. "play the quarter first"), the card stays
        # open for a new try instead of locking a prediction with nothing to show.
        revealed = self.reveal_fn(guess) if self.auto_reveal else None
        self.committed = guess
        if self.auto_reveal:
            self.revealed = revealed

    @action
    def reveal(self) -> None:
        if self.committed is None:
            raise SalestrainError(t("predict.commit_first"))
        self.revealed = self.reveal_fn(self.committed)

    # -- the pure part ---------------------------------------------------------------
    def compute(self, guess: Any) -> PredictState:
        return PredictState(guess, self.committed, self.revealed)

    def label_of(self, value: Any) -> str:
        """How a prediction is written back to the learner."""
        if self.slider is not None:
            return self.slider.formatter(value)
        for label, option in self.options:
            if option == value:
                return t(label) if has_key(label) else label
        return str(value)

    def show(self, result: PredictState) -> None:
        locked = result.committed is not None
        self.controls["guess"].disabled = locked
        self.actions["commit"].disabled = locked
        if "reveal" in self.actions:
            self.actions["reveal"].disabled = not locked
        self.answer.value = "" if not locked else (
            f"<p>{html.escape(t('predict.your_prediction', prediction=self.label_of(result.committed)))}</p>")
        self.outcome.value = "" if result.reveal is None else render_reveal(result.reveal)


def render_reveal(reveal: Reveal) -> str:
    """The reveal as the learner reads it: verdict, what happened, what it means."""
    verdict = "" if reveal.right is None else (
        f"<p style='color:{GOOD_TEXT if reveal.right else ALERT_TEXT}'><b>"
        f"{html.escape(t('predict.right' if reveal.right else 'predict.wrong'))}</b></p>")
    return (f"<div class='salestrain-reveal'>{verdict}"
            f"<p><b>{html.escape(t('predict.outcome'))}</b> {html.escape(reveal.outcome)}</p>"
            f"{reveal.detail_html}"
            f"<p><b>{html.escape(t('predict.meaning'))}</b> {html.escape(reveal.meaning)}</p></div>")
