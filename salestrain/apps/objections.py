"""The objection-handling apps: the conversation widget and coach mode.

Both hold a :class:`salestrain.core.objections.Conversation`; every number they show
comes from the core (engine, scoring, best path). Buttons call :meth:`choose`, so
tests drive the app exactly as a click does.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as w

from salestrain.apps.base import App, Control, action
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import get_language, t
from salestrain.core.objections import (
    CRITERIA,
    Conversation,
    Scenario,
    Step,
    best_path,
    localized,
    score_marks,
    score_transcript,
    technique_marks,
)
from salestrain.core.objections.engine import WALKED_OUT, WENT_IN_CIRCLES
from salestrain.core.objections.explain import explain, persona_name
from salestrain.core.objections.vocabulary import STATE_RANGE
from salestrain.io.objections import sessions as store
from salestrain.io.objections.scenarios import load_rubric, load_scenario, scenario_names
from salestrain.plots.style import ALERT_TEXT, PALETTE

COACH_DB_ENV = store.KIND.env_var  # names the file coach mode saves to
# Long option texts wrap inside their buttons instead of being cut off.
_CSS = ("<style>.salestrain-option{white-space:normal!important;height:auto!important;"
        "text-align:left!important;padding:6px 10px!important;line-height:1.35!important}"
        ".salestrain-buyer-line{font-size:1.1em}</style>")


def _esc(text: object) -> str:
    return html.escape(str(text))


def _short_name(buyer: str) -> str:
    """"Tang Min, logistics manager" -> "Tang Min"; "唐敏，物流经理" -> "唐敏"."""
    return buyer.replace("，", ",").split(",")[0].strip()


# China-set and international scenarios get differently coloured tags, so a room sees at
# a glance which kind of ground the conversation is on. Inline style: coach mode has no
# stylesheet of its own.
_SETTING_COLOURS = {"china": ALERT_TEXT, "international": PALETTE[0]}


def _setting_tag(setting: str, label: str) -> str:
    colour = _SETTING_COLOURS.get(setting, "#555")
    return (f"<span class='salestrain-setting salestrain-setting-{_esc(setting)}' "
            f"style='display:inline-block;margin-right:8px;padding:0 8px;border-radius:9px;"
            f"border:1px solid {colour};color:{colour};font-size:0.85em;line-height:1.5'>"
            f"{_esc(label)}</span>")


def _ending_text(scenario: Scenario, node_id: str | None, lang: str,
                 catalog: str = "objections") -> str:
    if node_id == WALKED_OUT:
        return t(f"{catalog}.ending.walked_out", lang=lang)
    if node_id == WENT_IN_CIRCLES:
        return t(f"{catalog}.ending.circles", lang=lang)
    return localized(scenario.node(node_id), "say", lang) if node_id else ""


@dataclass(frozen=True)
class ConversationView:
    """What the objection apps show: a conversation replayed from the choices so far.

    ``conversation`` is a fresh object per compute; ``best`` is the best path once the
    conversation has ended (the end screen compares with it). Coach mode adds the
    typed replies and the mentor's marks, step by step.
    """

    source: str
    scenario: Scenario
    conversation: Conversation
    assessment: bool = False
    best: Any = None
    replies: tuple[str, ...] = ()
    marks: tuple[dict[str, int], ...] = field(default_factory=tuple)
    note: str = ""


class _ScenarioApp(App):
    """Shared by both apps: a scenario picker over shipped names or given files.

    The state is the list of options chosen since the conversation (re)started; each
    compute replays them on a fresh :class:`Conversation`, so compute changes nothing.
    """

    # The catalog of the labels: a coaching dialogue app reads "coaching_dialogue", where
    # the gauges, personas and endings speak of a rep instead of a buyer.
    CATALOG = "objections"

    def __init__(self, scenarios: Sequence[str | Path] | None = None, **values: Any) -> None:
        self._sources = [str(s) for s in (scenarios or scenario_names())]
        self._loaded = {src: load_scenario(src) for src in self._sources}
        self.choices: list[int] = []
        super().__init__(**values)

    def control_specs(self) -> Sequence[Control]:
        lang = get_language()
        options = tuple((s.text("title", lang), src) for src, s in self._loaded.items())
        # Only a new scenario restarts the conversation; other controls keep it.
        return (Control("scenario", "choice", f"{self.CATALOG}.app.scenario", on_change="restart",
                        default=self._sources[0], options=options), *self.extra_controls())

    def extra_controls(self) -> Sequence[Control]:
        return ()

    @property
    def _source(self) -> str:
        return self.controls["scenario"].value

    @property
    def scenario(self) -> Scenario:
        return self._loaded[self._source]

    @property
    def conversation(self) -> Conversation:
        """The conversation as last computed (read-only: a reply is an action)."""
        return self.result.conversation

    def _replay(self, source: str, choices: Sequence[int]) -> Conversation:
        conv = Conversation(self._loaded[source])
        for choice in choices:
            conv.choose(choice)
        return conv

    @action
    def restart(self) -> None:
        self.choices = []
        self.on_restart()

    def on_restart(self) -> None:
        """Hook: a new conversation has started (called inside the restart action)."""

    def _header_html(self, scenario: Scenario, lang: str, show_tip: bool = True) -> str:
        s = scenario
        tip = t(f"{self.CATALOG}.persona.{s.persona}.tip", lang=lang) if show_tip else ""
        persona = t(f"{self.CATALOG}.app.persona_line", lang=lang,
                    persona=persona_name(s.persona, lang, self.CATALOG), tip=tip) if show_tip else ""
        setting = t(f"{self.CATALOG}.setting.{s.setting}", lang=lang)
        return (f"{_setting_tag(s.setting, setting)}"
                f"<b>{_esc(s.text('company', lang))}</b> — {_esc(s.text('buyer', lang))}<br>"
                f"<i>{_esc(s.text('brief', lang))}</i><br>{_esc(persona)}")

    def _buyer_html(self, view: ConversationView, lang: str) -> str:
        conv = view.conversation
        if conv.finished:
            line = _ending_text(view.scenario, conv.position.ending_node, lang, self.CATALOG)
        else:
            line = localized(conv.node, "say", lang)
        who = t(f"{self.CATALOG}.app.buyer_says", lang=lang,
                buyer=_short_name(view.scenario.text("buyer", lang)))
        return f"<p class='salestrain-buyer-line'><b>{_esc(who)}</b> “{_esc(line)}”</p>"


class ObjectionApp(_ScenarioApp):
    """Pick a reply, watch the buyer's hidden state, see the debrief at the end."""

    TITLE = "objections.app.title"

    def __init__(self, scenarios: Sequence[str | Path] | None = None,
                 db_path: str | Path | None = None, **values: Any) -> None:
        self.db_path = db_path
        self.saved_session: int | None = None
        self._best_memo: dict[str, Any] = {}
        super().__init__(scenarios, **values)

    def extra_controls(self) -> Sequence[Control]:
        return (Control("assessment", "bool", f"{self.CATALOG}.app.assessment", default=False),
                Control("reply", "buttons", "", None, handler="choose"),
                Control("restart", "action", f"{self.CATALOG}.app.restart", None, handler="restart"))

    def build_views(self) -> list[w.Widget]:
        self.header = w.HTML()
        self.history = w.HTML()
        self.history.add_class("salestrain-objections-history")
        self.buyer_line = w.HTML()
        self.buyer_line.add_class("salestrain-buyer")
        self.options_box = self.actions["reply"]
        self.gauge_bars = {
            var: w.FloatProgress(value=0, min=STATE_RANGE[var][0], max=STATE_RANGE[var][1],
                                 description=t(f"{self.CATALOG}.app.gauge_{var}"),
                                 style={"description_width": "150px"})
            for var in STATE_RANGE
        }
        self.gauges = w.VBox([w.HTML(f"<b>{_esc(t(self.CATALOG + '.app.gauges'))}</b>"),
                              *self.gauge_bars.values()])
        self.gauges.add_class("salestrain-gauges")
        self.feedback = w.HTML()
        self.feedback.add_class("salestrain-step-feedback")
        self.end_screen = w.HTML()
        self.end_screen.add_class("salestrain-end")
        self.restart_button = self.actions["restart"]
        return [w.HTML(_CSS), self.header, self.history, self.buyer_line, self.options_box,
                self.gauges, self.feedback, self.end_screen, self.restart_button]

    @property
    def option_buttons(self) -> list[w.Button]:
        return self.options_box.buttons

    def _best(self, source: str) -> Any:
        # Every path is explored once per scenario: a memo of a pure function of the
        # scenario, so a repeated compute returns the same path and changes nothing.
        if source not in self._best_memo:
            self._best_memo[source] = best_path(self._loaded[source], load_rubric())
        return self._best_memo[source]

    def compute(self, scenario: str, assessment: bool) -> ConversationView:
        conv = self._replay(scenario, self.choices)
        return ConversationView(scenario, self._loaded[scenario], conv, assessment,
                                self._best(scenario) if conv.finished else None)

    def on_restart(self) -> None:
        self.saved_session = None

    @action
    def choose(self, option: int) -> Step:
        """Answer with ``option`` (what clicking its button does)."""
        conv = self._replay(self._source, self.choices)
        step = conv.choose(option)  # a bad option raises before anything is kept
        self.choices.append(option)
        if conv.finished and self.db_path is not None:
            self._save(conv)
        return step

    @action
    def replay(self, choices: Sequence[int]) -> None:
        """Start again and play ``choices`` (a saved transcript) to see its debrief."""
        self.restart()
        for choice in choices:
            self.choose(choice)

    def show(self, view: ConversationView) -> None:
        lang = get_language()
        conv, hidden = view.conversation, view.assessment
        self.header.value = self._header_html(view.scenario, lang, show_tip=not hidden)
        self.history.value = self._history_html(view, lang)
        self.buyer_line.value = self._buyer_html(view, lang)
        labels = [] if conv.finished else [localized(o, "text", lang) for o in conv.node.options]
        self.options_box.set_options(labels, "salestrain-option")
        for var, bar in self.gauge_bars.items():
            bar.value = conv.state[var]
            bar.description = f"{t(f'{self.CATALOG}.app.gauge_{var}', lang=lang)} {conv.state[var]}"
        self.gauges.layout.display = "none" if hidden else None
        last = conv.steps[-1] if conv.steps else None
        self.feedback.value = "" if (hidden or last is None or conv.finished) else \
            self._step_html(view.scenario, last, lang)
        self.end_screen.value = self._end_html(view, lang) if conv.finished else ""

    # -- html pieces -----------------------------------------------------------
    def _history_html(self, view: ConversationView, lang: str) -> str:
        rows = []
        buyer = _short_name(view.scenario.text("buyer", lang))
        you = t(f"{self.CATALOG}.app.you", lang=lang)
        for step in view.conversation.steps:
            node = view.scenario.node(step.node)
            rows.append(f"<div><b>{_esc(buyer)}:</b> {_esc(localized(node, 'say', lang))}<br>"
                        f"&nbsp;&nbsp;<b>{_esc(you)}:</b> "
                        f"<i>{_esc(localized(node.options[step.option], 'text', lang))}</i></div>")
        return "".join(rows)

    def _step_html(self, scenario: Scenario, step: Step, lang: str) -> str:
        option = scenario.node(step.node).options[step.option]
        rubric = load_rubric()
        title = t(f"{self.CATALOG}.app.step_title", lang=lang, number=step.number,
                  points=f"{rubric.step_points(step.marks.scores):g}", max=f"{rubric.step_max:g}")
        marks = ", ".join(f"{t(f'{self.CATALOG}.criterion.{c}.name', lang=lang)} "
                          f"{step.marks.scores[c]}" for c in CRITERIA)
        notes = "".join(f"<li>{_esc(explain(n, lang))}</li>"
                        for n in (*step.marks.notes, *step.notes))
        authored = localized(option, "feedback", lang)
        said = localized(option, "text", lang)
        return (f"<div class='salestrain-step'><b>{_esc(title)}</b> — {_esc(marks)}<br>"
                f"<i>“{_esc(said)}”</i><br>{_esc(authored)}<ul>{notes}</ul></div>")

    def _end_html(self, view: ConversationView, lang: str) -> str:
        conv = view.conversation
        transcript = conv.transcript
        score = score_transcript(transcript, load_rubric())
        best = view.best
        best_score = score_transcript(best, load_rubric())
        ending = t(f"{self.CATALOG}.ending.{conv.ending}", lang=lang)
        parts = [f"<h3 class='salestrain-score'>{_esc(t(self.CATALOG + '.app.end_title', lang=lang, ending=ending, total=f'{score.total:g}'))}</h3>",
                 f"<p>{_esc(t(self.CATALOG + '.app.end_detail', lang=lang, technique=f'{score.technique:.0%}', outcome=f'{score.outcome:.0%}'))}</p>"]
        parts.extend(self._step_html(view.scenario, step, lang) for step in conv.steps)
        if transcript.choices == best.choices:
            parts.append(f"<p><b>{_esc(t(self.CATALOG + '.app.same_as_best', lang=lang))}</b></p>")
        else:
            parts.append("<table class='salestrain-paths'><tr>"
                         f"<th>{_esc(t(self.CATALOG + '.app.your_path', lang=lang))}</th>"
                         f"<th>{_esc(t(self.CATALOG + '.app.best_path', lang=lang, total=f'{best_score.total:g}'))}</th></tr>")
            mine, theirs = list(transcript.steps), list(best.steps)
            for k in range(max(len(mine), len(theirs))):
                cells = []
                for steps in (mine, theirs):
                    if k < len(steps):
                        s = steps[k]
                        text = localized(view.scenario.node(s.node).options[s.option], "text", lang)
                        cells.append(f"<td>{_esc(text)} ({s.points})</td>")
                    else:
                        cells.append("<td></td>")
                parts.append(f"<tr>{''.join(cells)}</tr>")
            ending_best = t(f"{self.CATALOG}.ending.{best.ending}", lang=lang)
            parts.append(f"<tr><td><b>{_esc(ending)}</b></td><td><b>{_esc(ending_best)}</b></td>"
                         "</tr></table>")
        return "".join(parts)

    def best_path(self):
        """The scenario's best path (the end screen compares the learner's with it)."""
        return self._best(self._source)

    def _save(self, conv: Conversation) -> None:
        score = score_transcript(conv.transcript, load_rubric())
        session = store.start_session(self.db_path, self._source, "play")
        rubric = load_rubric()
        for step in conv.steps:
            node = self.scenario.node(step.node)
            # The record keeps the words as the learner read them (their language).
            store.add_step(self.db_path, session, step.number, step.node, localized(node, "say"),
                           localized(node.options[step.option], "text"), step.option,
                           step.marks.scores, rubric.step_points(step.marks.scores))
        store.finish_session(self.db_path, session, conv.ending, score.total, score.technique)
        self.saved_session = session


def default_coach_db() -> Path:
    # Not the working folder: the projector serves this app from a temporary folder that
    # is deleted when it stops. $SALESTRAIN_COACH_DB, else the per-user data folder.
    return store.default_path()


class CoachApp(_ScenarioApp):
    """Coach mode: the learner types a reply, the mentor marks it with the same rubric.

    The buyer then reacts as to the scripted option whose rubric points are closest to
    the mentor's (ties go to the earlier option), so the conversation goes on with
    the consequences of a reply of that quality. Every scored reply is saved at once.
    """

    TITLE = "objections.coach.title"

    def __init__(self, scenarios: Sequence[str | Path] | None = None,
                 db_path: str | Path | None = None, **values: Any) -> None:
        self.db_path = Path(db_path) if db_path else default_coach_db()
        self.session: int | None = None
        self.mentor_marks: list[dict[str, int]] = []
        self.replies: list[str] = []
        self.note = ""  # what the last "score" said (saved where, or what is missing)
        super().__init__(scenarios, **values)

    def extra_controls(self) -> Sequence[Control]:
        return (Control("learner", "text", "objections.coach.learner", default=""),
                Control("mentor", "text", "objections.coach.mentor", default=""),
                Control("reply", "textarea", "objections.coach.reply", default=""),
                *[Control(f"mark_{c}", "toggle", "objections.coach.mark_label", default=0,
                          options=(0, 1, 2)) for c in CRITERIA],
                Control("comment", "text", "objections.coach.comment", default=""),
                Control("score", "action", "objections.coach.score", None, handler="submit",
                        button_style="primary"))

    def build_views(self) -> list[w.Widget]:
        self.header = w.HTML()
        self.history = w.HTML()
        self.buyer_line = w.HTML()
        self.reply = self.controls["reply"]
        self.reply.placeholder = t("objections.coach.reply_placeholder")
        self.reply.layout = w.Layout(width="min(100%, 640px)", height="5em")
        self.marks = {c: self.controls[f"mark_{c}"] for c in CRITERIA}
        for c, toggle in self.marks.items():
            toggle.description = t("objections.coach.mark_label",
                                   criterion=t(f"objections.criterion.{c}.name"))
            toggle.tooltips = [t(f"objections.criterion.{c}.desc")] * 3
            toggle.style = {"description_width": "180px", "button_width": "48px"}
        self.comment = self.controls["comment"]
        self.comment.layout = w.Layout(width="min(100%, 640px)")
        self.score_button = self.actions["score"]
        # The reply form sits under the buyer's line it answers.
        form = [self.reply, *self.marks.values(), self.comment]
        self.controls_box.children = [c for c in self.controls_box.children if c not in form]
        self.status = w.HTML()
        self.status.add_class("salestrain-coach-status")
        return [self.header, self.history, self.buyer_line, *form, self.score_button, self.status]

    def compute(self, scenario: str, learner: str, mentor: str, reply: str, comment: str,
                **marks: int) -> ConversationView:
        # The form's values are read by submit(); the view is the conversation so far.
        return ConversationView(scenario, self._loaded[scenario],
                                self._replay(scenario, self.choices),
                                replies=tuple(self.replies),
                                marks=tuple(dict(m) for m in self.mentor_marks), note=self.note)

    def on_restart(self) -> None:
        self.session = None
        self.mentor_marks = []
        self.replies = []
        self.note = ""

    @action
    def submit(self, reply: str | None = None, marks: dict[str, int] | None = None,
               comment: str | None = None) -> Step | None:
        """Score the typed reply with the mentor's marks, save it, and move on."""
        reply = (self.reply.value if reply is None else reply).strip()
        marks = {c: int(self.marks[c].value) for c in CRITERIA} if marks is None else marks
        comment = self.comment.value if comment is None else comment
        conv = self._replay(self._source, self.choices)
        if conv.finished:
            return None
        if not reply:
            self.note = f"<span style='color:{ALERT_TEXT}'>{_esc(t('objections.coach.need_reply'))}</span>"
            return None
        bad = {c: m for c, m in marks.items() if c not in CRITERIA or m not in (0, 1, 2)}
        if bad or set(marks) != set(CRITERIA):
            raise SalestrainError(t("objections.coach.bad_marks", marks=bad or marks,
                                    criteria=", ".join(CRITERIA)))
        rubric = load_rubric()
        points = rubric.step_points(marks)
        node = conv.node
        option = self._closest_option(conv, points)
        if self.session is None:
            self.session = store.start_session(self.db_path, self._source, "coach",
                                               self.controls["learner"].value,
                                               self.controls["mentor"].value)
        step = conv.choose(option)
        self.choices.append(option)
        self.mentor_marks.append(dict(marks))
        self.replies.append(reply)
        store.add_step(self.db_path, self.session, step.number, node.id, localized(node, "say"), reply,
                       option, marks, points, comment)
        lang = get_language()
        message = _esc(t("objections.coach.buyer_reacts", lang=lang,
                         option=localized(node.options[option], "text", lang)))
        if conv.finished:
            score = score_marks(self.mentor_marks, conv.ending, rubric)
            store.finish_session(self.db_path, self.session, conv.ending, score.total,
                                 score.technique)
            ending = t(f"objections.ending.{conv.ending}", lang=lang)
            message += "<br><b>" + _esc(t("objections.app.end_title", lang=lang, ending=ending,
                                           total=f"{score.total:g}")) + "</b>"
        message += "<br>" + _esc(t("objections.coach.saved", lang=lang, path=str(self.db_path),
                                   session=self.session))
        self.note = message
        self.reply.value = ""
        self.comment.value = ""
        for toggle in self.marks.values():
            toggle.value = 0
        return step

    def _closest_option(self, conv: Conversation, points: float) -> int:
        node = conv.node
        rubric = load_rubric()
        scripted = [rubric.step_points(technique_marks(conv.scenario.persona,
                                                       conv.scenario.family_of(node),
                                                       o.techniques).scores)
                    for o in node.options]
        return min(range(len(scripted)), key=lambda i: (abs(scripted[i] - points), i))

    def closest_option(self, points: float) -> int:
        """The scripted option at the current node closest to ``points``."""
        return self._closest_option(self.conversation, points)

    @property
    def score(self):
        return score_marks(self.mentor_marks, self.conversation.ending, load_rubric())

    def show(self, view: ConversationView) -> None:
        lang = get_language()
        conv = view.conversation
        self.header.value = self._header_html(view.scenario, lang)
        self.buyer_line.value = self._buyer_html(view, lang)
        buyer = _short_name(view.scenario.text("buyer", lang))
        you = t("objections.app.you", lang=lang)
        self.history.value = "".join(
            f"<div><b>{_esc(buyer)}:</b> {_esc(localized(view.scenario.node(s.node), 'say', lang))}"
            f"<br>&nbsp;&nbsp;<b>{_esc(you)}:</b> <i>{_esc(reply)}</i> "
            f"({load_rubric().step_points(marks):g})</div>"
            for s, reply, marks in zip(conv.steps, view.replies, view.marks, strict=True))
        self.score_button.disabled = conv.finished
        self.status.value = view.note


def objection_app(**values: Any) -> ObjectionApp:
    return ObjectionApp(**values)


def coach_app(**values: Any) -> CoachApp:
    return CoachApp(**values)
