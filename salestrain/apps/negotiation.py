"""Negotiation apps: play against a scripted counterpart, class debrief, tournament.

Widgets only: the session, the analysis, the debrief table and the tournament all
come from :mod:`salestrain.core.negotiation`; scenario files from
:mod:`salestrain.io.negotiation`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg

from salestrain.apps.base import App, Control, FigureView, Headline, action
from salestrain.base.errors import DataError
from salestrain.base.formats import format_number, format_percent
from salestrain.base.i18n import get_language, t
from salestrain.core.negotiation import (
    BUYER,
    ROLES,
    SELLER,
    Outcome,
    Scenario,
    Session,
    Tactic,
    TournamentResult,
    analyse,
    class_debrief,
    nash_point,
    pareto_frontier,
    standard_tactics,
    tournament,
)
from salestrain.io.negotiation import (
    DATA_DIR,
    load_scenario,
    load_scenarios,
    read_class_sheet,
)
from salestrain.plots.style import PALETTE

TACTIC_KEYS = {
    "boulware": "negotiation.tactic.boulware",
    "linear": "negotiation.tactic.linear",
    "conceder": "negotiation.tactic.conceder",
    "tit-for-tat": "negotiation.tactic.tit_for_tat",
    "hard-anchor": "negotiation.tactic.hard_anchor",
}
ROLE_KEYS = {"seller": "negotiation.role.seller", "buyer": "negotiation.role.buyer"}


class BlitFigure:
    """A figure whose static parts are rendered once; each update redraws only the
    given artists over the saved background and re-encodes the PNG.

    An offer must answer within 100 ms (p95) on a busy 2-core laptop; a full
    matplotlib draw with its tick labels and legend costs more than that there, the
    blit about a tenth of it.
    """

    def __init__(self, view: FigureView, dynamic: Sequence[Any]) -> None:
        self.view = view
        self.dynamic = list(dynamic)
        self.canvas = FigureCanvasAgg(view.figure)
        self._background = None

    def redraw_all(self) -> None:
        """Re-render the static parts (after limits or labels change), then blit."""
        for artist in self.dynamic:
            artist.set_visible(False)
        self.canvas.draw()
        self.view.figure.set_layout_engine(None)  # laid out once; keep it fixed
        self._background = self.canvas.copy_from_bbox(self.view.figure.bbox)
        for artist in self.dynamic:
            artist.set_visible(True)
        self.blit()

    def blit(self) -> None:
        if self._background is None:
            self.redraw_all()
            return
        self.canvas.restore_region(self._background)
        for artist in self.dynamic:
            artist.axes.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = BytesIO()
        image.save(buf, format="png", compress_level=1)
        self.view.image.value = buf.getvalue()
        self.view.mark_text_size()


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def draw_utility_space(ax, scenario: Scenario, title: str) -> None:
    """Every deal as a faint dot, the Pareto frontier, both BATNAs and the Nash point."""
    d = scenario.domain
    u = d.utilities
    ax.scatter(u[:, SELLER], u[:, BUYER], s=8, color=PALETTE[5], alpha=0.35, label=t("negotiation.plot.deals"))
    front = u[pareto_frontier(d)]
    ax.plot(front[:, SELLER], front[:, BUYER], color=PALETTE[0], lw=1.5, label=t("negotiation.plot.frontier"))
    r = d.reservations
    ax.axvline(r[SELLER], color=PALETTE[3], lw=1.2, ls=":")
    ax.axhline(r[BUYER], color=PALETTE[3], lw=1.2, ls=":", label=t("negotiation.plot.batna"))
    n = nash_point(d)
    if n is not None:
        ax.scatter([u[n, SELLER]], [u[n, BUYER]], marker="*", s=180, color=PALETTE[1], zorder=5,
                   label=t("negotiation.plot.nash"))
    ax.set_xlabel(t("negotiation.plot.u_seller"))
    ax.set_ylabel(t("negotiation.plot.u_buyer"))
    ax.set_xlim(-0.02, 1.05)
    ax.set_ylim(-0.02, 1.05)
    ax.set_title(title)


def outside_legend(ax) -> None:
    """The key right of the axes: at 13 pt, seven entries inside would hide the deals."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)


def utility_space(scenario: Scenario, deals: Mapping[str, int] | None = None,
                  title: str | None = None) -> w.VBox:
    """A picture of the scenario's deals in utility space with some deals labelled
    (for lessons: ``utility_space(s, {"discount only": k})``), with its caption."""
    view = FigureView(8.0, 4.6, caption="negotiation.plot.space_caption")
    ax = view.figure.add_subplot()
    draw_utility_space(ax, scenario, title or scenario.title)
    u = scenario.domain.utilities
    for i, (label, k) in enumerate((deals or {}).items()):
        ax.scatter([u[k, SELLER]], [u[k, BUYER]], s=90, color=PALETTE[(i + 2) % len(PALETTE)],
                   edgecolor="black", zorder=6, label=label)
    outside_legend(ax)
    view.refresh()
    return view.box


# -- play -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PlayState:
    """What the play app shows: the session so far and, at the end, the debrief.

    ``session`` is replayed from the learner's moves by each compute: a fresh object
    that nothing changes afterwards.
    """

    session: Session
    me: int
    draft: int
    draft_utility: float
    outcome: Outcome | None


# A learner's move in a game: ("offer", outcome), ("accept", None) or ("walk", None).
PlayMove = tuple[str, int | None]


class NegotiationPlayApp(App):
    """The learner builds each offer issue by issue against a scripted counterpart."""

    TITLE = "negotiation.play.title"
    # Over the round clock: under the controls, three cards widened the controls' column
    # to their own row's width and squeezed the clock beside it.
    CARDS_IN_SIDE = True

    def __init__(self, scenario: str | Path = "price-sensitive-buyer",
                 counterparts: Mapping[str, Callable[[], Tactic]] | None = None,
                 **values: Any) -> None:
        self.scenario = load_scenario(scenario)
        self.counterparts = dict(counterparts or standard_tactics())
        # The game's state: the learner's moves since the last (re)start. The session
        # is replayed from them (the scripted sides are deterministic), so compute()
        # builds the position without changing anything.
        self.moves: list[PlayMove] = []
        super().__init__(**values)

    def control_specs(self) -> Sequence[Control]:
        names = list(self.counterparts)
        specs = [
            # A new role, counterpart or length is a new game.
            Control("role", "choice", "negotiation.play.role", on_change="new_game",
                    default="seller", options=[(ROLE_KEYS[r], r) for r in ROLES]),
            Control("counterpart", "choice", "negotiation.play.counterpart", on_change="new_game",
                    default="boulware" if "boulware" in names else names[0],
                    options=[(TACTIC_KEYS.get(n, n), n) for n in names]),
            Control("rounds", "int", "negotiation.play.rounds", default=10, min=2, max=30,
                    on_change="new_game"),
            Control("send", "action", "negotiation.play.send", None, handler="send_offer",
                    button_style="primary"),
            Control("accept", "action", "negotiation.play.accept", None, handler="accept"),
            Control("walk", "action", "negotiation.play.walk", None, handler="walk_away"),
            Control("restart", "action", "negotiation.play.restart", None, handler="new_game"),
        ]
        for issue in self.scenario.domain.issues:
            # The label comes from the scenario file; build_views puts it on the widget.
            specs.append(Control(f"issue_{issue.name}", "choice", "negotiation.play.issue",
                                 default=0, options=[(o, k) for k, o in enumerate(issue.options)]))
        return specs

    def build_views(self) -> list[w.Widget]:
        for issue in self.scenario.domain.issues:
            self.controls[f"issue_{issue.name}"].description = self.scenario.issue_label(issue.name)
        self.briefing = w.HTML()
        self.status = w.HTML()
        self.status.add_class("salestrain-negotiation-status")
        self.buttons = {name: self.actions[name] for name in ("send", "accept", "walk", "restart")}
        for name, button in self.buttons.items():
            button.add_class(f"salestrain-negotiation-{name}")
        self.history = w.HTML()
        # Two figures: the round clock changes on every offer and is kept cheap (artists
        # made once, layout frozen after the first draw); the utility-space debrief is
        # drawn only when a game ends or restarts.
        self.clock = FigureView(6.0, 3.0, caption="negotiation.plot.clock_caption")
        self.ax_clock = self.clock.figure.add_subplot()
        self._lines = {}
        for key, colour in (("mine", PALETTE[0]), ("theirs", PALETTE[3])):
            (self._lines[key],) = self.ax_clock.plot([], [], "o-", color=colour, ms=5,
                                                     label=t(f"negotiation.plot.{'my' if key == 'mine' else 'their'}_offers"))
        self._batna_line = self.ax_clock.axhline(0, color=PALETTE[3], ls=":", lw=1.5,
                                                 label=t("negotiation.plot.my_batna"))
        ax = self.ax_clock
        ax.set_ylim(-0.02, 1.05)
        ax.set_xlabel(t("negotiation.plot.round"))
        ax.set_ylabel(t("negotiation.plot.value_to_me"))
        ax.set_title(t("negotiation.plot.clock_title"))
        outside_legend(ax)
        self._clock = BlitFigure(self.clock, [*self._lines.values(), self._batna_line])
        self._clock_key: tuple | None = None
        self.space = FigureView(7.6, 4.2, caption="negotiation.plot.space_caption")
        self.ax_space = self.space.figure.add_subplot()
        self._space_key: tuple | None = None
        self._prepare_space()
        # The buttons are left to the machinery, which puts them under the offer's
        # dropdowns, where the learner builds the offer; the round and the clock sit
        # beside them, so all of it is on the first screen (1280x720).
        return [self.status, self.clock.box, self.briefing, self.space.box, self.history]

    def side_views(self) -> list[w.Widget]:
        return [self.status, self.clock.box]

    # -- actions (what the buttons call; tests call them directly) ----------------
    def _draft(self, issues: Mapping[str, int] | None = None) -> int:
        values = issues if issues is not None else {
            f"issue_{i.name}": self.controls[f"issue_{i.name}"].value for i in self.scenario.domain.issues}
        return self.scenario.domain.index_of([values[f"issue_{i.name}"] for i in self.scenario.domain.issues])

    @property
    def session(self) -> Session | None:
        """The game as last computed (read-only: a move is an action)."""
        return self.result.session if self.result is not None else None

    def _play(self, move: PlayMove) -> None:
        """Keep ``move`` if the game, replayed, is waiting for the learner and allows it."""
        session = self._replay(self.params(), self.moves)
        if session.waiting_for is None:
            return
        kind, _ = move
        if kind == "accept" and session.standing is None:
            return
        self.moves.append(move)

    @action
    def send_offer(self) -> None:
        self._play(("offer", self._draft()))

    @action
    def accept(self) -> None:
        self._play(("accept", None))

    @action
    def walk_away(self) -> None:
        self._play(("walk", None))

    @action
    def new_game(self) -> None:
        self.moves = []

    # -- compute / show --------------------------------------------------------------
    def _replay(self, params: Mapping[str, Any], moves: Sequence[PlayMove]) -> Session:
        me = ROLES.index(params["role"])
        bot = self.counterparts[params["counterpart"]]()
        sides = (None, bot) if me == SELLER else (bot, None)
        # The seller opens, as when a rep sends the first quotation.
        session = Session(self.scenario.domain, *sides, rounds=params["rounds"], first=SELLER)
        for kind, outcome in moves:
            if kind == "offer":
                session.offer(outcome)
            elif kind == "accept":
                session.accept()
            else:
                session.walk_away()
        return session

    def compute(self, role: str, counterpart: str, rounds: int, **issues: int) -> PlayState:
        me = ROLES.index(role)
        session = self._replay({"role": role, "counterpart": counterpart, "rounds": rounds},
                               self.moves)
        draft = self._draft(issues)
        done = session.result.done
        return PlayState(session, me, draft, self.scenario.domain.utility(me, draft),
                         analyse(self.scenario.domain, session.result) if done else None)

    def _deal_text(self, outcome: int) -> str:
        deal = self.scenario.domain.deal(outcome)
        return "; ".join(f"{html.escape(self.scenario.issue_label(k))}: {html.escape(v)}"
                         for k, v in deal.items())

    def show(self, state: PlayState) -> None:
        s, d, me = state.session, self.scenario.domain, state.me
        role = ROLES[me]
        self.briefing.value = (
            f"<p><b>{html.escape(self.scenario.title)}</b></p><p>{html.escape(self.scenario.shared)}</p>"
            f"<p><i>{html.escape(t('negotiation.play.your_brief'))}</i> "
            f"{html.escape(self.scenario.briefs[role])}</p>"
            f"<p><i>{html.escape(t('negotiation.play.your_batna'))}</i> "
            f"{html.escape(self.scenario.batna.get(role, ''))} "
            f"({t('negotiation.play.worth', value=_fmt(d.reservations[me]))})</p>")
        parts = []
        if state.outcome is None:
            parts.append(t("negotiation.play.clock", round=s.round + 1, rounds=s.result.rounds,
                           left=s.rounds_left))
            if s.standing is not None:
                parts.append(t("negotiation.play.their_offer", deal=self._deal_text(s.standing),
                               value=_fmt(d.utility(me, s.standing))))
            parts.append(t("negotiation.play.draft", value=_fmt(state.draft_utility)))
        else:
            parts.append(self._debrief_text(state.outcome, me))
        self.status.value = "<br>".join(parts)
        waiting = s.waiting_for is not None
        self.buttons["send"].disabled = not waiting
        self.buttons["walk"].disabled = not waiting
        self.buttons["accept"].disabled = not (waiting and s.standing is not None)
        self._history(state)
        self._draw(state)

    def headlines(self, result: PlayState) -> list[Headline]:
        """While the game runs: the round, their offer and the draft, valued by the learner
        (bad news below the BATNA); at the end: the deal's value, its discount, the rounds."""
        s, d, me = result.session, self.scenario.domain, result.me
        batna = float(d.reservations[me])

        def value(u: float) -> str:
            return format_number(u, decimals=2)

        def below(u: float) -> str:
            return "bad" if u < batna - 1e-12 else ""

        rounds = s.result.rounds
        o = result.outcome
        if o is None:
            their = None if s.standing is None else d.utility(me, s.standing)
            return [
                Headline(t("negotiation.card.play.round"),
                         t("negotiation.card.play.of", n=s.round + 1, rounds=rounds)),
                Headline(t("negotiation.card.play.their_offer"),
                         t("negotiation.card.play.none") if their is None else value(their),
                         "" if their is None else below(their)),
                Headline(t("negotiation.card.play.draft"), value(result.draft_utility),
                         below(result.draft_utility)),
            ]
        mine = o.utilities[me]
        # A deal above the BATNA is a gain, below it a loss; no deal is neither.
        tone = ("good" if mine > batna + 1e-12 else below(mine)) if o.agreement else ""
        discount = t("negotiation.card.play.none") if o.discount is None else format_percent(o.discount)
        return [
            Headline(t(f"negotiation.card.play.{'deal' if o.agreement else 'no_deal'}"), value(mine), tone),
            Headline(t("negotiation.card.play.discount"), discount),
            Headline(t("negotiation.card.play.rounds_used"),
                     t("negotiation.card.play.of", n=o.rounds_used, rounds=rounds)),
        ]

    def _debrief_text(self, o: Outcome, me: int) -> str:
        d = self.scenario.domain
        if not o.agreement:
            head = t("negotiation.debrief.no_deal", ended=t(f"negotiation.ended.{o.ended.replace('-', '_')}"))
        else:
            # Below the BATNA the gap is said as a loss, never as "-0.22 above".
            key = "negotiation.debrief.deal" if o.advantage[me] >= -1e-12 else "negotiation.debrief.deal_below"
            head = t(key, deal=self._deal_text(o.deal),
                     mine=_fmt(o.utilities[me]), theirs=_fmt(o.utilities[1 - me]),
                     advantage=_fmt(abs(o.advantage[me])))
        lines = [head]
        if o.agreement and o.advantage[me] < -1e-12:  # a deal exactly at the BATNA is not below it
            lines.append(t("negotiation.debrief.below_batna"))
        lines += [
                 t("negotiation.debrief.concessions", n=o.n_concessions(me),
                   total=_fmt(o.conceded(me)), their_n=o.n_concessions(1 - me),
                   their_total=_fmt(o.conceded(1 - me)))]
        if o.agreement:
            if o.discount is not None:
                lines.append(t("negotiation.debrief.discount", discount=f"{o.discount:.0%}"))
            lines.append(t("negotiation.debrief.traded_yes" if o.traded else "negotiation.debrief.traded_no"))
            lines.append(t("negotiation.debrief.pareto", distance=_fmt(o.pareto_distance)))
        n = nash_point(d)
        if n is not None:
            lines.append(t("negotiation.debrief.nash", deal=self._deal_text(n)))
        return "<br>".join(lines)

    def _history(self, state: PlayState) -> None:
        d, me = self.scenario.domain, state.me
        rows = "".join(
            f"<tr><td>{m.round + 1}</td><td>{html.escape(t(ROLE_KEYS[ROLES[m.side]]))}</td>"
            f"<td>{self._deal_text(m.outcome)}</td><td>{_fmt(d.utility(me, m.outcome))}</td></tr>"
            for m in state.session.result.offers)
        self.history.value = (
            f"<table class='salestrain-negotiation-history'><tr><th>{t('negotiation.play.round')}</th>"
            f"<th>{t('negotiation.play.who')}</th><th>{t('negotiation.play.offer')}</th>"
            f"<th>{t('negotiation.play.value_to_you')}</th></tr>{rows}</table>")

    def _draw(self, state: PlayState) -> None:
        d, me, s = self.scenario.domain, state.me, state.session
        for key, side in (("mine", me), ("theirs", 1 - me)):
            moves = [m for m in s.result.offers if m.side == side]
            self._lines[key].set_data([m.round + 1 for m in moves],
                                      [d.utility(me, m.outcome) for m in moves])
        self._batna_line.set_ydata([d.reservations[me]] * 2)
        if self._clock_key != (s.result.rounds,):
            self._clock_key = (s.result.rounds,)
            self.ax_clock.set_xlim(0.5, s.result.rounds + 0.5)
            self._clock.redraw_all()
        else:
            self._clock.blit()
        key = (id(s), state.outcome is not None)
        if key != self._space_key:
            self._space_key = key
            self._draw_space(state)

    def _prepare_space(self) -> None:
        """Render the placeholder once, then the debrief's static parts (deals,
        frontier, BATNAs, Nash point) so the end of a game only blits the paths."""
        ax = self.ax_space
        ax.set_axis_off()
        ax.text(0.5, 0.5, t("negotiation.plot.revealed_at_end"), ha="center", va="center",
                transform=ax.transAxes, wrap=True)
        self.space.refresh()
        self._placeholder_png = self.space.image.value
        ax.clear()
        ax.set_axis_on()
        draw_utility_space(ax, self.scenario, t("negotiation.plot.space_title"))
        self._paths = {
            side: ax.plot([], [], ".-", color=colour, lw=1.2, ms=5,
                          label=t(f"negotiation.plot.path_{ROLES[side]}"))[0]
            for side, colour in ((SELLER, PALETTE[2]), (BUYER, PALETTE[4]))
        }
        self._deal_marker = ax.scatter([], [], marker="X", s=120, color="black", zorder=6,
                                       label=t("negotiation.plot.agreement"))
        outside_legend(ax)
        self._space = BlitFigure(self.space, [*self._paths.values(), self._deal_marker])
        self._space.redraw_all()
        self.space.image.value = self._placeholder_png

    def _draw_space(self, state: PlayState) -> None:
        if state.outcome is None:
            self.space.image.value = self._placeholder_png
            return
        u, s = self.scenario.domain.utilities, state.session
        for side, line in self._paths.items():
            path = s.result.offers_of(side)
            line.set_data(u[path, SELLER], u[path, BUYER])
        k = state.outcome.deal
        self._deal_marker.set_offsets(np.empty((0, 2)) if k is None else [[u[k, SELLER], u[k, BUYER]]])
        self._space.blit()


def negotiation_play_app(**values: Any) -> NegotiationPlayApp:
    return NegotiationPlayApp(**values)


# -- class debrief ----------------------------------------------------------------------
def sample_class_csv(lang: str | None = None) -> Path:
    """The shipped class sheet, in the session's language when it has its own copy (the
    tables' names and the options as that language writes them)."""
    lang = lang or get_language()
    own = DATA_DIR / f"sample-class-price-sensitive-buyer.{lang}.csv"
    return own if own.is_file() else DATA_DIR / "sample-class-price-sensitive-buyer.csv"


class ClassDebriefApp(App):
    """The trainer loads (or types) each table's agreement; every table is plotted
    against the frontier and ranked."""

    TITLE = "negotiation.class.title"

    def __init__(self, scenario: str | Path = "price-sensitive-buyer",
                 csv: str | Path | None = None, **values: Any) -> None:
        self._scenario_ref = scenario
        self.scenario = load_scenario(scenario)
        default = csv if csv is not None else (
            sample_class_csv() if self.scenario.name == "price-sensitive-buyer" else "")
        self._default_csv = str(default)
        self._typed: str | None = None
        super().__init__(**values)

    def control_specs(self) -> Sequence[Control]:
        return (
            Control("csv", "text", "negotiation.class.csv", default=self._default_csv),
            Control("entry", "textarea", "", default=""),
            Control("use_entered", "action", "negotiation.class.use_entered", None,
                    handler="use_entered"),
            Control("rank_by", "choice", "negotiation.class.rank_by", default="joint",
                    options=[("negotiation.class.rank_joint", "joint"),
                             ("negotiation.class.rank_seller", "seller"),
                             ("negotiation.class.rank_buyer", "buyer")]),
        )

    def build_views(self) -> list[w.Widget]:
        issues = ",".join(i.name for i in self.scenario.domain.issues)
        self.entry = self.controls["entry"]
        self.entry.placeholder = f"table,{issues}"
        self.entry.layout = w.Layout(width="min(100%, 640px)", height="7em")
        self.entry.add_class("salestrain-negotiation-entry")
        # The typed rows sit under their help line, not among the other controls.
        self.controls_box.children = [c for c in self.controls_box.children if c is not self.entry]
        self.use_button = self.actions["use_entered"]
        self.use_button.add_class("salestrain-negotiation-use")
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.table = w.HTML()
        self.plot = FigureView(8.4, 4.2, caption="negotiation.class.plot_caption")
        # Fixed margins, the key in the right quarter: a constrained layout redone per
        # result drifts by a fraction of a pixel with the frames before (the same result
        # must give the same picture).
        self.plot.figure.set_layout_engine("none")
        self.ax = self.plot.figure.add_axes((0.085, 0.135, 0.655, 0.78))
        # The debrief first (the room reads it on the first screen); typing rows by hand,
        # the fallback to a CSV file, comes after the table.
        return [self.summary, self.plot.box, self.table,
                w.HTML(t("negotiation.class.entry_help", columns=f"table,{issues}")), self.entry,
                self.use_button]

    @action
    def use_entered(self) -> None:
        """Debrief the rows typed into the text box instead of the CSV file."""
        self._typed = self.entry.value

    def compute(self, csv: str, rank_by: str, entry: str = "") -> pd.DataFrame:
        # ``entry`` is the text box as it is now; the rows debriefed are those last
        # taken with "use entered" (self._typed), so typing alone changes nothing.
        if self._typed is not None and self._typed.strip():
            source, text = t("negotiation.class.typed_rows"), self._typed
            frame = read_class_sheet(StringIO(text), source)
        else:
            path = Path(csv).expanduser()
            if not path.is_file():
                raise DataError(t("negotiation.class.no_file", path=csv))
            source = str(path)
            frame = read_class_sheet(path, source)
        try:
            return class_debrief(self.scenario.domain, frame, source=source, rank_by=rank_by)
        except DataError as first:
            # A class sheet (like the shipped sample) may name options in English while
            # the app runs in Chinese: the issues and utilities are the same, only the
            # labels differ, so accept English labels before reporting the problem.
            english = load_scenario(self._scenario_ref, lang="en").domain
            try:
                return class_debrief(english, frame, source=source, rank_by=rank_by)
            except DataError:
                raise first from None

    def show(self, result: pd.DataFrame) -> None:
        deals = result[result.agreement]
        self.summary.value = t("negotiation.class.summary", tables=len(result), deals=len(deals),
                               on_frontier=int((deals.pareto_distance < 1e-9).sum()),
                               mean_discount=f"{deals.discount.mean():.0%}" if len(deals) else "-")
        head = "".join(f"<th>{t(f'negotiation.class.col.{c}')}</th>" for c in
                       ("rank", "table", "u_seller", "u_buyer", "discount", "pareto_distance"))
        body = "".join(
            f"<tr><td>{r['rank']}</td><td>{html.escape(r['table'])}</td><td>{_fmt(r.u_seller)}</td>"
            f"<td>{_fmt(r.u_buyer)}</td><td>{'' if pd.isna(r.discount) else f'{r.discount:.0%}'}</td>"
            f"<td>{'' if pd.isna(r.pareto_distance) else _fmt(r.pareto_distance)}</td></tr>"
            for _, r in result.iterrows())
        self.table.value = f"<table class='salestrain-negotiation-ranking'><tr>{head}</tr>{body}</table>"
        ax = self.ax
        ax.clear()
        draw_utility_space(ax, self.scenario, t("negotiation.class.plot_title"))
        ax.scatter(deals.u_seller, deals.u_buyer, s=45, color=PALETTE[2], edgecolor="black", zorder=6,
                   label=t("negotiation.class.tables"))
        # Each dot names its table by the number in its name ("Table 3" -> "3"): at 13 pt
        # the whole names overlap; the ranking under the figure has them in full.
        for _, r in deals.iterrows():
            ax.annotate(_short_table(r["table"]), (r.u_seller, r.u_buyer), xytext=(4, 4),
                        textcoords="offset points")
        outside_legend(ax)
        self.plot.refresh()

    def headlines(self, result: pd.DataFrame) -> list[Headline]:
        """How many tables closed, the class's average discount, and the table on top of
        the ranking (the ranking itself is below the first screen)."""
        deals = result[result.agreement]
        top = str(result.iloc[0]["table"]) if len(result) else ""
        return [
            Headline(t("negotiation.card.class.deals"),
                     t("negotiation.card.class.of", n=len(deals), tables=len(result))),
            Headline(t("negotiation.card.class.discount"),
                     format_percent(deals.discount.mean()) if deals.discount.notna().any()
                     else t("negotiation.card.play.none")),
            # A typed name may be long: the card keeps one short line.
            Headline(t("negotiation.card.class.first"), top if len(top) <= 12 else f"{top[:11]}…"),
        ]


def _short_table(name: str) -> str:
    """A table's label on the plot: its number when its name is a word and a number
    ("Table 3", "第 3 组" -> "3"), else the name itself, cut to eight characters."""
    digits = re.fullmatch(r"\D{0,12}?\s*(\d+)\s*\D{0,2}", name.strip())
    if digits:
        return digits.group(1)
    return name if len(name) <= 8 else name[:7] + "…"


def class_debrief_app(**values: Any) -> ClassDebriefApp:
    return ClassDebriefApp(**values)


# -- tournament -------------------------------------------------------------------------
class TournamentApp(App):
    """Round-robin of the scripted tactics (and learner-written ones) over scenarios."""

    TITLE = "negotiation.tournament.title"
    PROGRESS = "negotiation.tournament.progress"

    def __init__(self, extra: Mapping[str, Callable[[], Tactic]] | None = None, **values: Any) -> None:
        self.tactics = {**standard_tactics(), **dict(extra or {})}
        self.scenarios = load_scenarios()
        super().__init__(**values)

    def control_specs(self) -> Sequence[Control]:
        options = [("negotiation.tournament.all", "all"),
                   *[(s.title, s.name) for s in self.scenarios]]
        return (
            Control("scenario", "choice", "negotiation.tournament.scenario", default="all", options=options),
            Control("rounds", "int", "negotiation.tournament.rounds", default=100, min=10, max=200, step=10),
            Control("opener", "choice", "negotiation.tournament.opener", default="seller",
                    options=[(ROLE_KEYS[r], r) for r in ROLES]),
        )

    def build_views(self) -> list[w.Widget]:
        self.progress.add_class("salestrain-negotiation-progress")
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.table = w.HTML()
        self.plot = FigureView(10.0, 3.9, caption="negotiation.tournament.plot_caption")
        self.ax_bar, self.ax_heat = self.plot.figure.subplots(1, 2, width_ratios=(1.25, 1))
        self._colorbar = None
        return [self.progress, self.summary, self.plot.box, self.table]

    def compute(self, scenario: str, rounds: int, opener: str) -> TournamentResult:
        chosen = self.scenarios if scenario == "all" else [s for s in self.scenarios if s.name == scenario]
        self.report_progress(0, 1)
        return tournament(self.tactics, chosen, rounds=rounds, first=ROLES.index(opener),
                          progress=self.report_progress)

    def show(self, result: TournamentResult) -> None:
        summary = result.summary()
        best = summary.index[0]
        self.summary.value = t("negotiation.tournament.summary", games=len(result.games),
                               best=html.escape(self._label(best)),
                               utility=_fmt(summary.iloc[0].mean_utility))
        head = "".join(f"<th>{t(f'negotiation.tournament.col.{c}')}</th>" for c in
                       ("tactic", "mean_utility", "agreement_rate", "mean_discount"))
        body = "".join(
            f"<tr><td>{html.escape(self._label(name))}</td><td>{_fmt(r.mean_utility)}</td>"
            f"<td>{r.agreement_rate:.0%}</td><td>{r.mean_discount:.1%}</td></tr>"
            for name, r in summary.iterrows())
        self.table.value = f"<table class='salestrain-negotiation-results'><tr>{head}</tr>{body}</table>"
        names = list(summary.index)
        n = len(names)
        # Both panels list the tactics in the same rows, best first; the heat map names them by
        # their number in the bar chart: whole names at 13 pt under five columns overlap.
        ax = self.ax_bar
        ax.clear()
        ax.barh(range(n), summary.mean_utility.values, color=PALETTE[0], height=0.65)
        ax.set_yticks(range(n), [f"{k + 1}. {self._label(name)}" for k, name in enumerate(names)])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.5, 1])
        ax.set_xlabel(t("negotiation.tournament.mean_utility"))
        ax.set_title(t("negotiation.tournament.bar_title"))
        ax = self.ax_heat
        ax.clear()
        grid = result.games.pivot_table(index="seller", columns="buyer", values="u_seller", aggfunc="mean")
        grid = grid.reindex(index=names, columns=names)
        image = ax.imshow(grid.values, vmin=0, vmax=1, cmap="Blues", aspect="auto")
        numbers = [str(k + 1) for k in range(n)]
        ax.set_xticks(range(n), numbers)
        ax.set_yticks(range(n), numbers)
        ax.grid(False)
        # Values in the cells only while they fit at 13 pt; with more tactics the colour and
        # its key carry them.
        if n <= 6:
            for i in range(n):
                for j in range(n):
                    value = grid.values[i, j]
                    if not np.isnan(value):
                        ax.text(j, i, f"{value:.2f}", ha="center", va="center",
                                color="white" if value > 0.6 else "black")
        ax.set_xlabel(t("negotiation.tournament.buyer"))
        ax.set_ylabel(t("negotiation.tournament.seller"))
        ax.set_title(t("negotiation.tournament.heat_title"))
        if self._colorbar is None:
            self._colorbar = self.plot.figure.colorbar(image, ax=ax, shrink=0.9, ticks=[0, 0.5, 1])
        self.plot.refresh()
        # Laid out once (the labels are the same tactics every time): a constrained
        # layout redone per frame, with the colorbar, drifted with the frames before.
        self.plot.figure.set_layout_engine("none")

    def headlines(self, result: TournamentResult) -> list[Headline]:
        """The tactic that pays best, its average utility and how many deals it closed."""
        best = result.summary().iloc[0]
        return [
            Headline(t("negotiation.card.tournament.best"), self._short_label(str(best.name))),
            Headline(t("negotiation.card.tournament.utility"),
                     format_number(best.mean_utility, decimals=2)),
            Headline(t("negotiation.card.tournament.closed"), format_percent(best.agreement_rate)),
        ]

    @staticmethod
    def _label(name: str) -> str:
        return t(TACTIC_KEYS[name]) if name in TACTIC_KEYS else name

    @classmethod
    def _short_label(cls, name: str) -> str:
        """A tactic's name without its explanation in brackets ("Boulware (holds firm)" ->
        "Boulware"): a card's value is a few large characters."""
        return re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", cls._label(name)) or cls._label(name)


def tournament_app(**values: Any) -> TournamentApp:
    return TournamentApp(**values)


__all__ = ["ClassDebriefApp", "NegotiationPlayApp", "TournamentApp", "class_debrief_app",
           "negotiation_play_app", "sample_class_csv", "tournament_app", "load_scenarios"]
