"""Workshop apps for the trainer: the day's agenda and a case's 75-minute plan."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

import ipywidgets as w
from matplotlib.ticker import FuncFormatter, MultipleLocator

from salestrain.apps.base import App, Control, FigureView, Headline, html_legend
from salestrain.base.formats import format_number
from salestrain.base.i18n import t
from salestrain.core.accounts.buying_centre import ROLES, BuyingCentre, account_buying_centre
from salestrain.core.workshop.agenda import (
    AGENDAS,
    Agenda,
    agenda_table,
)
from salestrain.io.cases import Case, case_folders, load_case
from salestrain.plots.style import FADED, PALETTE, STAGE_COLOURS

KIND_COLOURS = {"setup": PALETTE[5], "lesson": PALETTE[0], "case": PALETTE[1],
                "exercise": PALETTE[2], "debrief": PALETTE[4], "break": FADED}
STARTS = tuple(f"{h:02d}:{m:02d}" for h in range(7, 15) for m in (0, 30))


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _short(text: str, limit: int = 44) -> str:
    """``text`` cut to ``limit`` columns (a Chinese character takes two), with an ellipsis."""
    if sum(map(_width, text)) <= limit:
        return text
    used, out = 1, []
    for ch in text:
        used += _width(ch)
        if used > limit:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def _timeline(ax, labels: list[str], starts: list[float], lengths: list[float],
              colours: list[str], xlabel: str) -> None:
    """Horizontal bars, first slot at the top: the shape of a printed agenda."""
    ax.clear()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, lengths, left=starts, color=colours, edgecolor="white")
    ax.set_yticks(ys, labels)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)


class AgendaApp(App):
    TITLE = "workshop.app.agenda_title"
    CONTROLS = (
        Control("agenda", "choice", "workshop.app.agenda",
                default="one-day", options=tuple((a.title, a.name) for a in AGENDAS.values())),
        Control("start", "choice", "workshop.app.start", default="09:00", options=STARTS),
    )

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.plot = FigureView(10.5, 4.2, caption="workshop.app.agenda_see")
        self.ax = self.plot.figure.add_subplot()
        self.legend = w.HTML()
        self.table = w.HTML()
        return [self.summary, self.legend, self.plot.box, self.table]

    def compute(self, agenda: str, start: str) -> Agenda:
        return replace(AGENDAS[agenda], start=start)

    def show(self, result: Agenda) -> None:
        table = agenda_table(result)
        self.summary.value = t("workshop.app.agenda_summary", start=table.start.iloc[0],
                               end=table.end.iloc[-1], minutes=result.minutes,
                               cases=sum(table.kind == "case"))
        hours = [int(s[:2]) + int(s[3:]) / 60 for s in table.start]
        # Each bar carries its slot's few-word label (the table under the figure has the
        # full title); a label a trainer lengthened in the catalog is cut to fit at 13 pt.
        labels = [f"{s}  {_short(short.replace('`', ''))}"
                  for s, short in zip(table.start, table.short, strict=True)]
        _timeline(self.ax, labels, hours, list(table.minutes / 60),
                  [KIND_COLOURS[k] for k in table.kind], t("workshop.app.clock"))
        self.ax.xaxis.set_major_locator(MultipleLocator(2))
        self.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v):02d}:00"))
        self.legend.value = html_legend([(KIND_COLOURS[k], "square", t(f"workshop.app.kind.{k}"))
                                         for k in KIND_COLOURS if k in set(table.kind)])
        self.plot.figure.suptitle(t(result.title), fontweight="bold")
        self.plot.refresh()
        # The third column is the command that opens the slot's case: a code the trainer
        # types, shown as code, not a word on the page.
        rows = "".join(f"<tr><td>{r.start}-{r.end}</td><td>{_with_code(r.title)}</td><td>"
                       + (f"<code>salestrain case {html.escape(r.case)}</code>" if r.case else "")
                       + "</td></tr>" for r in table.itertuples())
        head = "".join(f"<th style='text-align:left'>{html.escape(t(k))}</th>"
                       for k in ("workshop.app.col_time", "workshop.app.col_item", "workshop.app.col_open"))
        self.table.value = f"<table><tr>{head}</tr>{rows}</table>"

    def headlines(self, result: Agenda) -> list[Headline]:
        table = agenda_table(result)
        return [Headline(t("workshop.card.start"), table.start.iloc[0]),
                Headline(t("workshop.card.end"), table.end.iloc[-1]),
                Headline(t("workshop.card.cases"), format_number(sum(table.kind == "case")))]


def _with_code(text: str) -> str:
    """Escaped text whose `backticked` parts (a command) show as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


class CasePlanApp(App):
    """A case's timed plan and its debrief questions, to project while teaching it."""

    TITLE = "workshop.app.case_title"

    def __init__(self, cases: list[Case] | None = None, **values) -> None:
        self.cases = {c.slug: c for c in (cases or [load_case(f) for f in case_folders()])}
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        slugs = sorted(self.cases)
        return [Control("case", "choice", "workshop.app.case",
                        default=slugs[0], options=tuple((self.cases[s].title, s) for s in slugs))]

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.plot = FigureView(8.0, 3.0, caption="workshop.app.case_see")
        self.ax = self.plot.figure.add_subplot()
        self.legend = w.HTML()
        self.steps = w.HTML()
        self.questions = w.HTML()
        return [self.summary, self.legend, self.plot.box, self.steps, self.questions]

    def compute(self, case: str) -> Case:
        return self.cases[case]

    def show(self, result: Case) -> None:
        s, x = result.spec, result.text_of
        self.summary.value = t("workshop.app.case_summary", protagonist=x(s.protagonist.name),
                               company=x(s.protagonist.company), minutes=s.teaching.minutes,
                               exhibits=len(s.exhibits))
        starts, clock = [], 0
        for step in s.teaching.plan:
            starts.append(clock)
            clock += step.minutes
        # The bars carry the minutes only; each step's activity (up to a paragraph) is
        # read whole in the table under them, never cut to fit a tick label.
        spans = [f"{a}-{a + p.minutes}" for a, p in zip(starts, s.teaching.plan, strict=True)]
        # a step that projects an app is the simulation: its own colour in any language
        colours = [PALETTE[1] if p.app else PALETTE[0] for p in s.teaching.plan]
        _timeline(self.ax, spans, starts, [p.minutes for p in s.teaching.plan], colours,
                  t("workshop.app.minute"))
        self.plot.figure.suptitle(result.title, fontweight="bold")
        self.plot.refresh()
        self.legend.value = html_legend(
            [(PALETTE[0], "square", t("workshop.app.step_talk"))]
            + ([(PALETTE[1], "square", t("workshop.app.step_app"))] if PALETTE[1] in colours else []))
        rows = "".join(
            f"<tr><td style='white-space:nowrap;vertical-align:top'>"
            f"<span style='color:{colour}'>&#9632;</span> {span}</td>"
            f"<td>{html.escape(x(p.activity))}</td></tr>"
            for span, colour, p in zip(spans, colours, s.teaching.plan, strict=True))
        head = "".join(f"<th style='text-align:left'>{html.escape(t(k))}</th>"
                       for k in ("workshop.note.clock", "workshop.note.activity"))
        self.steps.value = f"<table><tr>{head}</tr>{rows}</table>"
        items = "".join(f"<li>{html.escape(x(q))}</li>" for q in s.discussion_questions)
        self.questions.value = f"<b>{html.escape(t('workshop.case.questions'))}</b><ol>{items}</ol>"

    def headlines(self, result: Case) -> list[Headline]:
        s = result.spec
        return [
            Headline(t("workshop.card.minutes"), format_number(s.teaching.minutes)),
            # the orange bars: the time the room spends in the simulation
            Headline(t("workshop.card.app_minutes"),
                     format_number(sum(p.minutes for p in s.teaching.plan if p.app))),
            Headline(t("workshop.card.exhibits"), format_number(len(s.exhibits))),
        ]


ATTITUDE_COLOURS = {"supporter": PALETTE[2], "neutral": PALETTE[5], "opponent": PALETTE[3],
                    "unknown": FADED}
# Ordered layers of a relationship: the stage blues, lighter to darker as it deepens.
LAYER_COLOURS = {"none": FADED, "interpersonal": STAGE_COLOURS[1], "business": STAGE_COLOURS[3],
                 "partnership": STAGE_COLOURS[4]}


@dataclass(frozen=True)
class BuyingCentreView:
    """A case's buying centre, the case's title and how the contacts are coloured.

    Reads as the buying centre itself (``result.unsupported_roles``).
    """

    centre: BuyingCentre
    title: str
    colour: str

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.centre, name)


class BuyingCentreApp(App):
    """A case's buying centre: the four roles, influence, attitude or relationship layer.

    For the debrief of any case: who decides, who backs the seller, whom nobody has met.
    """

    TITLE = "workshop.app.bc_title"

    def __init__(self, cases: list[Case] | None = None, **values) -> None:
        found = cases or [load_case(f) for f in case_folders()]
        self.cases = {c.slug: c for c in found if "contacts" in c.tables}
        super().__init__(**values)
        # The cards stand under the two dropdowns: the line kept free there for a message
        # (which two lists of shipped cases never raise) pushed the map's caption below 720 px.
        self.message.layout.min_height = "0"

    def control_specs(self) -> list[Control]:
        slugs = sorted(self.cases)
        return [
            Control("case", "choice", "workshop.app.case", default=slugs[0],
                    options=tuple((self.cases[s].title, s) for s in slugs)),
            Control("colour", "choice", "workshop.app.colour_by", default="attitude",
                    options=(("workshop.app.by_attitude", "attitude"),
                             ("workshop.app.by_relationship", "relationship"))),
        ]

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        # Wide: up to six contacts share a role's column, each named at 13 pt.
        self.plot = FigureView(10.5, 4.1, caption="workshop.app.bc_see")
        self.ax = self.plot.figure.add_subplot()
        self.legend = w.HTML()
        return [self.summary, self.legend, self.plot.box]

    def side_views(self) -> list[w.Widget]:
        # The summary beside the two dropdowns: under them it pushed the roles' axis and
        # the caption below 720 px (issue 20); the wide map keeps the whole width below.
        return [self.summary]

    def compute(self, case: str, colour: str) -> BuyingCentreView:
        return BuyingCentreView(account_buying_centre(self.cases[case].exhibit("contacts")),
                                self.cases[case].title, colour)

    def show(self, view: BuyingCentreView) -> None:
        result, colour = view.centre, view.colour
        none, sep = t("workshop.app.none"), t("workshop.app.list_separator")
        self.summary.value = t(
            "workshop.app.bc_summary",
            unsupported=sep.join(t(f"accounts.role.{r}") for r in result.unsupported_roles) or none,
            never_met=sep.join(t(f"accounts.role.{r}") for r in result.never_met_roles) or none,
            dark=result.influence_without_relationship,
            support=result.influence_supporting, oppose=result.influence_opposing)
        ax = self.ax
        ax.clear()
        contacts = result.contacts
        palette = ATTITUDE_COLOURS if colour == "attitude" else LAYER_COLOURS
        for i, role in enumerate(ROLES):
            group = contacts[contacts["role"] == role].reset_index(drop=True)
            # side by side within the role, never into the next role's column
            step = min(0.3, 0.84 / max(len(group) - 1, 1))
            for j, row in group.iterrows():
                x = i + (j - (len(group) - 1) / 2) * step
                size = 80 + 40 * row["meetings_12m"]
                ax.scatter(x, row["influence"], s=size, color=palette[row[colour]],
                           edgecolor="#333333", zorder=3)
                # Labels take turns above and below, near and one line further out, so
                # four neighbours at one height in a role stay apart at 13 pt; each clears
                # its own dot (radius sqrt(size) / 2 points).
                up = j % 2 == 0
                gap = size ** 0.5 / 2 + 2 + 15 * ((j // 2) % 2)
                ax.annotate(row["name"], (x, row["influence"]), textcoords="offset points",
                            xytext=(0, gap if up else -gap), ha="center",
                            va="bottom" if up else "top")
        ax.set_xticks(range(len(ROLES)), [t(f"accounts.role.{r}") for r in ROLES])
        ax.set_xlim(-0.6, len(ROLES) - 0.4)
        ax.set_ylim(0.4, 5.9)
        ax.set_ylabel(t("workshop.app.influence"))
        kind = "attitude" if colour == "attitude" else "layer"
        # The key beside the figure: at 13 pt in the figure it would cover the low-influence
        # contacts; the dot's size gets its line too.
        key = html_legend([(c, "dot", t(f"workshop.app.{kind}.{value}"))
                           for value, c in palette.items()])
        size = f'<span style="white-space:nowrap">{html.escape(t("workshop.app.dot_size"))}</span>'
        self.legend.value = key.replace("</div>", size + "</div>")
        self.plot.figure.suptitle(view.title, fontweight="bold")
        self.plot.refresh()

    def headlines(self, view: BuyingCentreView) -> list[Headline]:
        result = view.centre
        support, oppose = result.influence_supporting, result.influence_opposing
        balance = "good" if support > oppose else "bad" if support < oppose else ""
        # The attitude of whoever weighs most (all of them, when several share the top).
        contacts = result.contacts
        top = contacts.loc[contacts["influence"] == contacts["influence"].max(), "attitude"]
        attitudes = list(dict.fromkeys(top))
        tone = ("good" if attitudes == ["supporter"] else
                "bad" if "opponent" in attitudes else "")
        return [
            Headline(t("workshop.card.balance"),
                     t("workshop.card.balance_value", support=support, oppose=oppose), balance),
            Headline(t("workshop.card.top"),
                     t("workshop.card.or").join(t(f"workshop.app.attitude.{a}")
                                                    for a in attitudes), tone),
        ]


def buying_centre_app(**values) -> BuyingCentreApp:
    return BuyingCentreApp(**values)


def agenda_app(**values) -> AgendaApp:
    return AgendaApp(**values)


def case_plan_app(**values) -> CasePlanApp:
    return CasePlanApp(**values)
