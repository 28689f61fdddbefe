"""A no-code exercise on the page: questions as widgets, answers kept, one Submit.

An exercise notebook (docs/exercise-format.md) starts with a hidden cell::

    from salestrain.apps.exercise import answer_sheet, submit_button
    answer_sheet("funnel_decide_the_month")

which registers the ``%%question`` cell magic: each question cell then shows a
:class:`~salestrain.apps.questions.QuestionCard` (public: Check scores it at once; hidden:
Check says the trainer grades it). Answers go to the learner's
:class:`~salestrain.io.answers.AnswerBook` as they are given. The last cell,
``submit_button()``, writes the answers as data to the collection folder the trainer
grades (``$SALESTRAIN_COLLECT``, default ``<salestrain data folder>/submitted``):
``<folder>/<exercise>/<learner>.answers.json``.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as w

from salestrain.apps.learner import exercise_submitted
from salestrain.apps.questions import QuestionCard, scenario_domains
from salestrain.base.errors import SalestrainError
from salestrain.base.files import write_atomic
from salestrain.base.i18n import t
from salestrain.core.assessment.declared import parse_cell
from salestrain.io.answers import AnswerBook, collection_folder, safe_id
from salestrain.io.learner import current_learner
from salestrain.io.store import data_dir


@dataclass
class Sheet:
    """The exercise being answered on this page: who answers, where answers are kept."""

    exercise: str
    learner: str
    book: AnswerBook
    cards: dict[str, QuestionCard] = field(default_factory=dict)
    handed_in: dict | None = None  # the classroom's answer to the last Submit, in a hub

    def submission_path(self) -> Path:
        return collection_folder() / safe_id(self.exercise) / f"{safe_id(self.learner)}.answers.json"

    def submit(self) -> Path:
        """Hand the answers to the trainer (a later Submit replaces the earlier one).

        The sheet is always kept in the learner's own folder (their mastery report grades
        it); in a hub's room it also goes to the classroom service, which grades it at once
        into the trainer's gradebook (:attr:`handed_in` holds what the service answered)."""
        from salestrain.io.classroom_client import classroom

        data = json.dumps(self.book.submission(), ensure_ascii=False, indent=1)
        path = write_atomic(self.submission_path(), data, force=True, make_parents=True)
        room = classroom()
        if room is not None:
            self.handed_in = room.submit(self.exercise, self.book.answers())
        return path


_SHEET: Sheet | None = None


def answer_sheet(exercise: str, learner: str | None = None, folder: Path | None = None) -> None:
    """Start answering ``exercise`` (see the module docstring; :func:`current_sheet` is the
    sheet). Returns nothing, so the page's setup cell shows nothing."""
    global _SHEET
    who = learner or current_learner()
    book = AnswerBook.open(folder or data_dir() / "answers", who, exercise)
    _SHEET = Sheet(exercise, who, book)
    shell = _shell()
    if shell is not None:
        shell.register_magic_function(question_magic, magic_kind="cell", magic_name="question")


def current_sheet() -> Sheet:
    if _SHEET is None:
        raise SalestrainError(t("kinds.page.no_sheet"))
    return _SHEET


def show_question(source: str) -> QuestionCard:
    """The card for one ``%%question`` cell's text (first line included)."""
    sheet = current_sheet()
    declared, issues = parse_cell(source, keyless=True)
    if declared is None:
        raise SalestrainError("; ".join(f"{t('kinds.page.line', line=i.line)} {i.field}: {i.message}"
                                        for i in issues))
    domains = scenario_domains() if declared.data.get("kind") == "offer" else None
    card = QuestionCard(declared.question, sheet.learner, sheet.book, domains, hidden=declared.hidden)
    sheet.cards[declared.qid] = card
    return card


def question_magic(line: str, cell: str) -> None:
    """``%%question QID [hidden]``: show the question declared below as its widget."""
    from IPython.display import display

    try:
        card = show_question(f"%%question {line}\n{cell}")
    except SalestrainError as exc:
        # A trainer's typo reaches the page as a sentence, never as a traceback.
        display(w.HTML(f"<div class='salestrain-error'>{html.escape(str(exc))}</div>"))
        return
    display(card.view)


def submit_button() -> w.Widget:
    """The Submit button and what it did, to end the exercise page with."""
    sheet = current_sheet()
    button = w.Button(description=t("kinds.page.submit"), button_style="success",
                      layout=w.Layout(width="14em", height="2.6em"))
    status = w.HTML()

    def submit(_: object = None) -> None:
        answered = len([q for q in sheet.book.answers().values() if q not in (None, "", [], {})])
        try:
            path = sheet.submit()
        except SalestrainError as exc:
            # The classroom could not take it (not released, unreachable): say so; the
            # answers stay saved on this page and a later Submit sends them.
            status.value = f"<div class='salestrain-error'>{html.escape(str(exc))}</div>"
            return
        exercise_submitted()  # learner mode's index shows it handed in
        text = t("kinds.page.submitted", answered=answered, total=len(sheet.cards))
        done = sheet.handed_in
        if done and done.get("graded"):
            # In a hub's room the service graded it on arrival: the learner sees it at once.
            text += " " + t("kinds.page.graded_in_room", score=f"{done['score']:g}",
                            max_score=f"{done['max_score']:g}")
        status.value = html.escape(text)
        status.path = str(path)  # for the trainer's tests; the learner reads the sentence

    button.on_click(submit)
    hidden = sum(card.hidden for card in sheet.cards.values())
    note = w.HTML(html.escape(t("kinds.page.hidden_note", count=hidden))) if hidden else w.HTML()
    box = w.VBox([note, button, status])
    box.add_class("salestrain-submit")
    box.submit = submit  # tests press it in-process
    return box


def _shell():  # noqa: ANN202 - IPython's shell, when running in one
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None
