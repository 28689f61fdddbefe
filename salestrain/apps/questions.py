"""Answer widgets for the no-code question kinds: a learner answers, checks and submits here.

Each question becomes a :class:`QuestionCard`: the prompt, an input that fits its kind
(radio buttons for a reply, a rank per item for an ordering, a quadrant per rep on the
matrix, a package of options for an offer...), a Check button and a feedback area. The
card's ``answer`` is plain data, the same data a submission carries, and ``check()``
scores it with :func:`salestrain.core.assessment.kinds.score` and shows every point's
evidence. Every change is written to the learner's :class:`~salestrain.io.answers.AnswerBook`
at once, and a new card reads the saved answer back, so answers survive a kernel restart.

Tests drive a card in-process (``card.inputs[...]`` and ``card.answer``), the same way
tests drive the apps.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from salestrain.base.i18n import t
from salestrain.core.assessment import kinds
from salestrain.core.assessment.kinds import Question, Score, display_order, text_in
from salestrain.io.answers import AnswerBook

_WIDE = w.Layout(width="100%")


def _number_box(label: str, width: str = "14em") -> w.Text:
    # Text, not FloatText: an empty box stays empty (FloatText shows 0, which reads as an
    # answer), and a rep may type 1,105,000 or ¥1,105,000 as they write money.
    return w.Text(value="", description=label, placeholder=t("kinds.ui.type_number"),
                  layout=w.Layout(width=width))


def parse_number(text: Any) -> float | None:
    """A typed number: thousands separators, spaces, ¥, 元, RMB and % are ignored, 万 and 亿
    multiply; None when
    the box is empty or holds no number (the scorer then says a number was expected)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    cleaned = re.sub(r"[,，\s¥￥元%]|RMB", "", str(text or ""))
    scale = 1.0
    if cleaned[-1:] in _UNITS:  # 110.5万 is how a Chinese rep writes 1,105,000
        cleaned, scale = cleaned[:-1], _UNITS[cleaned[-1]]
    try:
        return float(cleaned) * scale if cleaned else None
    except ValueError:
        return None


_UNITS = {"万": 1e4, "亿": 1e8}


def _typed(value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,}"


def _choices(options: Sequence[kinds.Option], order: Sequence[str]) -> list[tuple[str, str]]:
    by_id = {o.id: o for o in options}
    return [(text_in(by_id[i].text), i) for i in order]


class QuestionCard:
    """One question on the page: prompt, input, Check, feedback. See the module docstring."""

    def __init__(self, question: Question, learner: str, book: AnswerBook | None = None,
                 domains: kinds.DomainLookup | None = None, hidden: bool = False) -> None:
        self.question = question
        # hidden: the key stays with the trainer; Check confirms the answer is kept, and the
        # grader scores it after Submit
        self.hidden = hidden
        self.learner = learner
        self.book = book
        self.domains = domains
        self.inputs: dict[str, w.Widget] = {}
        self.last_score: Score | None = None
        self._restoring = False
        body = self._build()
        self.feedback = w.HTML()
        self.check_button = w.Button(description=t("kinds.ui.check"), button_style="primary")
        self.check_button.on_click(lambda _: self.check())
        prompt = w.HTML(f"<div class='salestrain-prompt'><b>{html.escape(text_in(question.prompt))}</b></div>")
        self.view = w.VBox([prompt, body, self.check_button, self.feedback],
                           layout=w.Layout(border="1px solid #ddd", padding="8px", margin="6px 0"))
        if book is not None and book.get(question.id) is not None:
            self.restore(book.get(question.id))
        for widget in self.inputs.values():
            widget.observe(self._changed, names="value")

    # -- one input per kind ------------------------------------------------------------
    def _order(self, ids: Sequence[str], shuffle: bool = True) -> list[str]:
        return display_order(ids, self.learner, self.question.id) if shuffle else list(ids)

    def _build(self) -> w.Widget:
        q = self.question
        if isinstance(q, kinds.NumberQuestion):
            self.inputs["value"] = _number_box(text_in(q.unit) if q.unit else "", "18em")
            return self.inputs["value"]
        if isinstance(q, kinds.ChoiceQuestion):
            self.inputs["choice"] = w.RadioButtons(options=_choices(q.options, self._order(q.option_ids(), q.shuffle)),
                                                   value=None, layout=_WIDE)
            return self.inputs["choice"]
        if isinstance(q, kinds.MultiChoiceQuestion):
            for oid in self._order(q.option_ids(), q.shuffle):
                option = next(o for o in q.options if o.id == oid)
                self.inputs[oid] = w.Checkbox(value=False, description=text_in(option.text), indent=False)
            return w.VBox(list(self.inputs.values()))
        if isinstance(q, kinds.OrderingQuestion):
            shown = self._order([i.id for i in q.items])
            ranks = [(str(k + 1), k + 1) for k in range(len(shown))]
            rows = []
            for iid in shown:
                item = next(i for i in q.items if i.id == iid)
                self.inputs[iid] = w.Dropdown(options=ranks, value=None, description=text_in(item.text),
                                              style={"description_width": "initial"})
                rows.append(self.inputs[iid])
            return w.VBox(rows)
        if isinstance(q, kinds.ClassifyQuestion):
            cats = [(text_in(c.text), c.id) for c in q.categories]
            for iid in self._order([i.id for i in q.items]):
                item = next(i for i in q.items if i.id == iid)
                self.inputs[iid] = w.ToggleButtons(options=cats, value=None, description=text_in(item.text),
                                                   style={"description_width": "initial"})
            return w.VBox(list(self.inputs.values()))
        if isinstance(q, kinds.GridQuestion):
            cells = [(f"{text_in(c.text)} · {text_in(r.text)}", f"{c.id}|{r.id}") for r in q.rows for c in q.columns]
            for item in q.items:
                self.inputs[item.id] = w.Dropdown(options=cells, value=None, description=text_in(item.text),
                                                  style={"description_width": "initial"})
            return w.VBox(list(self.inputs.values()))
        if isinstance(q, kinds.TextQuestion):
            self.inputs["text"] = w.Textarea(value="", placeholder=text_in(q.placeholder) if q.placeholder
                                             else t("kinds.ui.write_reply"),
                                             layout=w.Layout(width="100%", height="7em"))
            return self.inputs["text"]
        if isinstance(q, kinds.EstimateQuestion):
            self.inputs["low"] = _number_box(t("kinds.ui.low"))
            self.inputs["high"] = _number_box(t("kinds.ui.high"))
            return w.HBox([self.inputs["low"], self.inputs["high"]])
        if isinstance(q, kinds.ProbabilityQuestion):
            self.inputs["p"] = w.FloatSlider(value=0.5, min=0, max=1, step=0.01, readout_format=".0%",
                                             layout=w.Layout(width="28em"))
            return self.inputs["p"]
        if isinstance(q, kinds.DecisionQuestion):
            self.inputs["choice"] = w.RadioButtons(options=_choices(q.options, self._order(q.option_ids(), q.shuffle)),
                                                   value=None, layout=_WIDE)
            self.inputs["why"] = w.Textarea(value="", placeholder=t("kinds.ui.write_why"),
                                            layout=w.Layout(width="100%", height="5em"))
            return w.VBox([self.inputs["choice"], self.inputs["why"]])
        if isinstance(q, kinds.OfferQuestion):
            if self.domains is None:
                raise ValueError("an offer question needs the scenario lookup (domains=...)")
            domain = self.domains(q.scenario)
            labels = issue_labels(q.scenario)
            for issue in domain.issues:
                # The value is the option's position: the same in every language, so a
                # trainer grading in English reads a Chinese learner's package as it was.
                self.inputs[issue.name] = w.Dropdown(options=[(o, k) for k, o in enumerate(issue.options)],
                                                     value=None,
                                                     description=labels.get(issue.name, issue.name),
                                                     style={"description_width": "initial"})
            return w.VBox(list(self.inputs.values()))
        raise TypeError(f"no widget for {type(q).__name__}")

    # -- answer as data ----------------------------------------------------------------
    @property
    def answer(self) -> Any:
        q, inputs = self.question, self.inputs
        if isinstance(q, kinds.NumberQuestion):
            return parse_number(inputs["value"].value)
        if isinstance(q, kinds.ChoiceQuestion):
            return inputs["choice"].value
        if isinstance(q, kinds.MultiChoiceQuestion):
            return sorted(oid for oid, box in inputs.items() if box.value)
        if isinstance(q, kinds.OrderingQuestion):
            if any(box.value is None for box in inputs.values()):
                return None
            return [iid for iid, _ in sorted(inputs.items(), key=lambda kv: kv[1].value)]
        if isinstance(q, kinds.ClassifyQuestion | kinds.OfferQuestion):
            return {k: box.value for k, box in inputs.items() if box.value is not None}
        if isinstance(q, kinds.GridQuestion):
            return {k: box.value.split("|") for k, box in inputs.items() if box.value}
        if isinstance(q, kinds.TextQuestion):
            return inputs["text"].value
        if isinstance(q, kinds.EstimateQuestion):
            return {"low": parse_number(inputs["low"].value), "high": parse_number(inputs["high"].value)}
        if isinstance(q, kinds.ProbabilityQuestion):
            return inputs["p"].value
        if isinstance(q, kinds.DecisionQuestion):
            return {"choice": inputs["choice"].value, "why": inputs["why"].value}
        raise TypeError(type(q).__name__)

    def restore(self, value: Any) -> None:
        """Put a saved answer back into the inputs (quietly: restoring is not a new answer)."""
        q, inputs = self.question, self.inputs
        self._restoring = True
        try:
            if isinstance(q, kinds.NumberQuestion):
                inputs["value"].value = _typed(value)
            elif isinstance(q, kinds.ProbabilityQuestion):
                inputs["p"].value = value
            elif isinstance(q, kinds.ChoiceQuestion):
                inputs["choice"].value = value
            elif isinstance(q, kinds.MultiChoiceQuestion):
                for oid, box in inputs.items():
                    box.value = oid in value
            elif isinstance(q, kinds.OrderingQuestion):
                for rank, iid in enumerate(value, start=1):
                    inputs[iid].value = rank
            elif isinstance(q, kinds.ClassifyQuestion | kinds.OfferQuestion):
                for k, v in value.items():
                    inputs[k].value = v
            elif isinstance(q, kinds.GridQuestion):
                for k, cell in value.items():
                    inputs[k].value = "|".join(cell)
            elif isinstance(q, kinds.TextQuestion):
                inputs["text"].value = value
            elif isinstance(q, kinds.EstimateQuestion):
                inputs["low"].value, inputs["high"].value = _typed(value["low"]), _typed(value["high"])
            elif isinstance(q, kinds.DecisionQuestion):
                inputs["choice"].value, inputs["why"].value = value["choice"], value["why"]
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a saved answer that no longer fits the question is left out, not fatal
        finally:
            self._restoring = False

    def _changed(self, _change: dict) -> None:
        if self.book is not None and not self._restoring:
            self.book.set(self.question.id, self.answer)

    # -- instant check -----------------------------------------------------------------
    def check(self) -> Score | None:
        if self.hidden:
            self.last_score = None
            self.feedback.value = (f"<div class='salestrain-feedback'>"
                                   f"{html.escape(t('kinds.ui.graded_later'))}</div>")
            return None
        result = kinds.score(self.question, self.answer, self.domains)
        self.last_score = result
        self.feedback.value = render_score(result)
        return result


def render_score(result: Score) -> str:
    """The score, then one line per rule with its points, then the author's explanations."""
    # The noun agrees with the maximum ("1 of 1 point", "1 of 2 points"); a whole number
    # is passed as an int so CLDR's "one" (integer 1, no decimals) applies.
    most = result.max_points
    head = t("kinds.ui.score", points=f"{result.points:g}", max=f"{most:g}",
             count=int(most) if float(most).is_integer() else most)
    lines = "".join(
        f"<li>{'✓' if e.points >= e.max_points and e.max_points > 0 else '✗' if e.max_points > 0 or e.points < 0 else '·'} "
        f"{html.escape(e.text())} <span style='color:#555'>({e.points:+g})</span></li>"
        for e in result.evidence)
    why = "".join(f"<p>{html.escape(text)}</p>" for text in result.feedback)
    return f"<div class='salestrain-feedback'><b>{html.escape(head)}</b><ul>{lines}</ul>{why}</div>"


def question_cards(questions: Sequence[Question], learner: str, book: AnswerBook | None = None,
                   domains: kinds.DomainLookup | None = None) -> list[QuestionCard]:
    return [QuestionCard(q, learner, book, domains) for q in questions]


def issue_labels(scenario: str) -> dict[str, str]:
    """An offer's issue labels in the learner's language ("Price", "价格"), not its ids
    ("price"); none for a scenario that is not shipped (the ids are shown then)."""
    from salestrain.base.errors import SalestrainError
    from salestrain.io.negotiation import load_scenario

    try:
        return dict(load_scenario(scenario).issue_labels)
    except (SalestrainError, OSError):
        return {}


def scenario_domains() -> Callable[[str], Any]:
    """The offer questions' lookup: a shipped negotiation scenario's domain by name."""
    from salestrain.io.negotiation import load_scenario

    return lambda name: load_scenario(name).domain
