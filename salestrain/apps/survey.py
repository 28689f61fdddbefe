"""The reaction survey page after a module's lesson: five questions in widgets, one Submit.

The learner site (salestrain/io/learner.py) writes one page per module, whose cell is
``survey_form("funnel", "<exercises>/survey.yaml", "zh_CN")``. Answers are kept as they
are given (the learner's :class:`~salestrain.io.answers.AnswerBook`, so a reload keeps
them) and Submit hands them in exactly as a check's sheet:
``<collection folder>/survey_<module>/<learner>.answers.json``, which ``salestrain survey
record`` reads.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import display

from salestrain.apps.learner import exercise_submitted
from salestrain.base.errors import SalestrainError
from salestrain.base.files import write_atomic
from salestrain.base.i18n import set_language, t
from salestrain.core.assessment.survey import SurveyItem, check_answer
from salestrain.io.answers import AnswerBook, collection_folder, safe_id
from salestrain.io.classroom_client import classroom
from salestrain.io.learner import current_learner
from salestrain.io.store import data_dir
from salestrain.io.survey import load_survey, survey_id
from salestrain.plots.style import ALERT_TEXT

STYLE = """
<style>
  .salestrain-survey { font-size: 1.1em; max-width: 60em; }
  .salestrain-survey .prompt { font-weight: bold; margin: 0.5em 0 0.1em 0; }
  .salestrain-survey .anchors { color: #555; font-size: 0.9em; margin-left: 1em; }
  .salestrain-survey .widget-toggle-button { font-size: 1em; }
  .salestrain-survey .salestrain-error { color: ALERT_TEXT; }
</style>
""".replace("ALERT_TEXT", ALERT_TEXT)  # the palette's warning shade


def _in(text: Any, lang: str) -> str:
    return str(text.get(lang) or text.get("en", "")) if isinstance(text, dict) else str(text)


class SurveyForm:
    """The survey for one module: ``controls`` by item id, :meth:`submit`, ``status``."""

    def __init__(self, module: str, survey_path: str | Path, lang: str, learner: str | None = None,
                 answers: Path | None = None) -> None:
        self.module, self.lang = module, lang
        self.survey = load_survey(Path(survey_path))
        self.learner = learner or current_learner()
        self.book = AnswerBook.open(answers or data_dir() / "answers", self.learner, survey_id(module))
        self.controls: dict[str, w.ValueWidget] = {}
        rows: list[w.Widget] = [w.HTML(STYLE)]
        for item in self.survey.items:
            rows.append(w.HTML(f"<div class='prompt'>{html.escape(_in(item.prompt, lang))}</div>"))
            control = self._control(item)
            self.controls[item.id] = control
            if item.anchors:
                # what the ends mean, beside the buttons: one line per question on a laptop
                rows.append(w.HBox([control, w.HTML("<div class='anchors'>" + html.escape(t(
                    "survey.page.low_high", lang=lang, low=item.low, high=item.high,
                    low_text=_in(item.anchors["low"], lang), high_text=_in(item.anchors["high"], lang)))
                    + "</div>")], layout=w.Layout(align_items="center")))
            else:
                rows.append(control)
        self.button = w.Button(description=t("survey.page.submit", lang=lang), button_style="success",
                               layout=w.Layout(width="12em", height="2.6em", margin="1em 0 0 0"))
        self.button.on_click(lambda _: self.submit())
        self.status = w.HTML()
        rows += [self.button, self.status]
        self.view = w.VBox(rows, layout=w.Layout(width="100%"))
        self.view.add_class("salestrain-survey")

    def _control(self, item: SurveyItem) -> w.ValueWidget:
        saved = self.book.get(item.id)
        if item.type == "text":
            control = w.Textarea(value=saved if isinstance(saved, str) else "", rows=3,
                                 layout=w.Layout(width="100%", max_width="48em"))
        else:
            if item.type == "choice":
                options = [(_in(item.option_text[o], self.lang), o) for o in item.options]
                width = "8em"
            else:
                options = [(str(v), v) for v in item.values]
                width = "3.4em"
            control = w.ToggleButtons(options=options, value=saved if saved in dict(options).values() else None,
                                      style={"button_width": width})
        control.observe(lambda change, qid=item.id: self._keep(qid, change["new"]), names="value")
        return control

    def _keep(self, qid: str, value: Any) -> None:
        self.book.set(qid, value)

    def answers(self) -> dict[str, Any]:
        return {qid: c.value for qid, c in self.controls.items() if c.value not in (None, "")}

    def submit(self) -> Path | None:
        """Hand the answers in, or say what is missing or wrong (nothing is written then)."""
        answers = self.answers()
        problems = []
        for item in self.survey.items:
            _, refusal = check_answer(item, answers.get(item.id))
            if refusal is not None:
                problems.append(t(f"survey.refused.{refusal.reason}", lang=self.lang, **refusal.values))
        if any(i.required and i.id not in answers for i in self.survey.items):
            problems.insert(0, t("survey.page.required", lang=self.lang))
        if problems:
            self.status.value = "<div class='salestrain-error'>" + "<br>".join(
                html.escape(p) for p in problems) + "</div>"
            return None
        sheet = {"format": 1, "learner": self.learner, "exercise": survey_id(self.module), "answers": answers}
        path = collection_folder() / survey_id(self.module) / f"{safe_id(self.learner)}.answers.json"
        write_atomic(path, json.dumps(sheet, ensure_ascii=False, indent=1), force=True, make_parents=True)
        room = classroom()
        if room is not None:
            # In a hub's room the trainer's survey record gets it at once.
            try:
                room.submit(survey_id(self.module), answers)
            except SalestrainError as exc:
                self.status.value = f"<div class='salestrain-error'>{html.escape(str(exc))}</div>"
                return None
        exercise_submitted()  # learner mode's index shows it handed in
        self.status.value = html.escape(t("survey.page.submitted", lang=self.lang))
        return path


_SHOWN: list[SurveyForm] = []  # the form this kernel's page shows (for tests in-process)


def survey_form(module: str, survey_path: str, lang: str) -> None:
    """The page's cell: show the survey for ``module`` in ``lang`` (returns nothing, so the
    cell shows no repr)."""
    set_language(lang)
    form = SurveyForm(module, survey_path, lang)
    _SHOWN[:] = [form]
    display(form.view)
