"""The market game on the projector (``market``): plan a quarter, commit, see the market answer.

Widgets only: the game, the bots, the leaderboard and the debrief come from
:mod:`salestrain.core.strategy.game`, the territory from :mod:`salestrain.io.strategy`,
the figures from :mod:`salestrain.plots.strategy`.

A learner (solo) or each team in turn (class mode, ``market_app(teams=[...])``) sets
rep hours and budget per segment, price, service and a stance, then commits the plan
before seeing anything of the quarter: the result is revealed when the quarter plays.
In class mode the quarter plays when every team is in, or when the trainer presses
"play the quarter now" (late teams keep last quarter's plan). After the last quarter
each team's debrief shows what drove its share, what each segment contributed and a
SWOT from its own results.

    app = market_app()
    app.set(hours_manufacturing=200, hours_logistics=200, hours_healthcare=600,
            hours_public_sector=200)
    app.commit()                 # the quarter plays (solo: the only team is in)
    app.result.standings[0].team
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import numpy as np

from salestrain.apps.base import App, Control, FigureView, Headline, action, form
from salestrain.base.formats import format_compact, format_money, format_number, format_percent
from salestrain.base.i18n import get_language, t
from salestrain.core.strategy.game import (
    SOLO_TEAM,
    Debrief,
    Game,
    GameSetup,
    Standing,
    even_plan,
)
from salestrain.core.strategy.market import HOUR_COST, STANCES, Decision, Territory
from salestrain.io.strategy import load_territory
from salestrain.plots.strategy import DriverPlot, SharePlot, TeamStyle, team_label, team_styles
from salestrain.plots.style import ALERT_TEXT

HOUR_STEP = 10
RED = ALERT_TEXT  # a loss or an overrun, in words
SHARE_SIZE = (6.6, 2.65)  # inches of the share trend while the game runs (660 px: the column)
DEBRIEF_SHARE_SCALE = 0.75  # of that size at the debrief, where the segments' table needs room


@dataclass(frozen=True)
class PlanSummary:
    """The plan on the sliders, before it is committed (nothing of the market in it)."""

    hours: float
    budget: float
    cost: float  # the hours at their loaded cost, plus the budget
    over: str | None  # "hours" or "budget" when the plan is beyond the team's capacity


@dataclass(frozen=True)
class Reveal:
    """The team's last quarter, shown once it has been played."""

    quarter: int
    revenue: float
    margin: float
    share: float
    change: float | None  # share points against the quarter before
    satisfaction: float
    rank: int


@dataclass(frozen=True)
class MarketView:
    """Everything the app shows, computed from the game and the sliders."""

    setup: GameSetup
    class_mode: bool
    team: str  # the team at the keyboard
    draft: Decision
    plan: PlanSummary
    played: int
    waiting: tuple[str, ...]
    shares: np.ndarray  # (teams, quarters played), market order
    standings: tuple[Standing, ...]
    reveal: Reveal | None
    debrief: Debrief | None  # after the last quarter

    @property
    def finished(self) -> bool:
        return self.played >= self.setup.quarters


def _split(total: float, weights: Sequence[float], step: float) -> list[float]:
    """``total`` in whole steps spread by ``weights`` (largest remainder): the parts add up
    to ``total`` rounded down to a step, so a plan loaded on the sliders stays within it."""
    units = int(math.floor(total / step + 1e-9))
    w_ = np.asarray(weights, dtype=float)
    w_ = w_ / w_.sum() if w_.sum() > 0 else np.full(len(w_), 1.0 / len(w_))
    raw = w_ * units
    parts = np.floor(raw).astype(int)
    for k in np.argsort(-(raw - parts), kind="stable")[: units - int(parts.sum())]:
        parts[k] += 1
    return [float(p * step) for p in parts]


class MarketApp(App):
    TITLE = "strategy.app.title"

    def __init__(self, teams: Sequence[str] | None = None, territory: Territory | None = None,
                 quarters: int = 6, seed: int = 0, hours: float = 1200.0, budget: float = 60_000.0,
                 **values: Any) -> None:
        territory = load_territory() if territory is None else territory
        self.class_mode = teams is not None
        kwargs = {"quarters": quarters, "seed": seed, "hours": hours, "budget": budget}
        self.setup = (GameSetup(territory, tuple(teams), **kwargs) if teams is not None  # type: ignore[arg-type]
                      else GameSetup.solo(territory, **kwargs))  # type: ignore[arg-type]
        # Budget sliders count in the units a planner of the language writes: thousands
        # of yuan in English, 万 (10,000) in Chinese.
        self.budget_unit = 10_000.0 if get_language().startswith("zh") else 1_000.0
        self.budget_step = 0.1 if self.budget_unit == 10_000.0 else 1.0
        self.game = Game(self.setup)
        self._drawn: dict[str, tuple] = {}
        super().__init__(**values)
        self._place_cards()

    def _place_cards(self) -> None:
        """The headline cards right under the buttons, above the error line and the quarter's
        numbers in words: the machinery puts them right of the controls, and here the
        controls are the whole two-column page. Over the share trend they pushed a class's
        leaderboard (eight teams) below the fold. The error line stays in the left column
        (placed in build_views), not under the page."""
        body: list[w.Widget] = []
        for child in self.widget.children:
            if "salestrain-columns" in child._dom_classes:  # the machinery's [controls | cards]
                body += [c for c in child.children[0].children if c is not self.message]
            elif child is not self.message:
                body.append(child)
        self.widget.children = body
        k = self._left.children.index(self.message)
        self._left.children = [*self._left.children[:k], self.headline_cards, *self._left.children[k:]]

    # -- controls -------------------------------------------------------------------------
    def control_specs(self) -> list[Control]:
        setup, start = self.setup, even_plan(self.setup)
        names = setup.segment_names
        hours = dict(zip(names, _split(setup.hours, [start.hours[n] for n in names], HOUR_STEP), strict=True))
        budget = dict(zip(names, _split(setup.budget / self.budget_unit, [start.budget[n] for n in names],
                                        self.budget_step), strict=True))
        specs = []
        if self.class_mode:
            specs.append(Control("team", "choice", "strategy.app.team", default=setup.teams[0],
                                 options=[(name, name) for name in setup.teams], on_change="switch_team"))
        for name in names:
            specs.append(Control(f"hours_{name}", "int", "", default=int(hours[name]), min=0,
                                 max=int(setup.hours), step=HOUR_STEP))
            specs.append(Control(f"budget_{name}", "float", "", default=round(budget[name], 1), min=0.0,
                                 max=setup.budget / self.budget_unit, step=self.budget_step,
                                 readout_format=".1f" if self.budget_step < 1 else ".0f"))
        specs += [
            Control("price", "float", "strategy.app.price", default=1.0, min=0.8, max=1.2, step=0.01,
                    readout_format=".0%"),
            Control("service", "int", "strategy.app.service", default=3, min=1, max=5),
            Control("key_focus", "float", "strategy.app.key_focus", default=0.0, min=0.0, max=0.8,
                    step=0.05, readout_format=".0%"),
            Control("stance", "choice", "strategy.app.stance", default="follower",
                    options=[(f"strategy.stance.{s}", s) for s in STANCES]),
            Control("commit", "action", "strategy.app.submit" if self.class_mode else "strategy.app.commit",
                    None, handler="commit", button_style="primary"),
        ]
        if self.class_mode:
            specs.append(Control("play_now", "action", "strategy.app.play_now", None, handler="play_now",
                                 button_style="warning"))
        specs.append(Control("restart", "action", "strategy.app.restart", None, handler="restart"))
        return specs

    def build_views(self) -> list[w.Widget]:
        c = self.controls
        self.status = w.HTML()
        self.status.add_class("salestrain-market-status")
        # The plan as a grid: one row per segment, hours and budget side by side.
        head = w.HBox([w.HTML("", layout=w.Layout(width="130px")),
                       w.HTML(f"<b>{html.escape(t('strategy.app.hours'))}</b>", layout=w.Layout(width="215px")),
                       w.HTML(f"<b>{html.escape(t(f'strategy.app.budget_{self._unit_key()}'))}</b>",
                              layout=w.Layout(width="215px"))])
        rows = [head]
        for segment in self.setup.territory.segments:
            # A row label is a control label: the controls' size (16 px on the projector), not
            # the body's 24 px, at which "Manufacturing" ran into its slider (issue 20).
            label = w.HTML(f"<span style='font-size:var(--jp-widgets-font-size)'>"
                           f"{html.escape(_capital(segment.title()))}</span>", layout=w.Layout(width="130px"))
            row = []
            for kind in ("hours", "budget"):
                slider = c[f"{kind}_{segment.name}"]
                slider.description = ""
                slider.layout = w.Layout(width="215px")
                row.append(slider)
            rows.append(w.HBox([label, *row]))
        self.plan_text = w.HTML()
        self.plan_text.add_class("salestrain-market-plan")
        # One aligned form for the rest: side by side in 575 px, price and service
        # squeezed their tracks to a bare handle (issue 20).
        self.decide_box = w.VBox([*rows, form([c["price"], c["service"], c["key_focus"], c["stance"]])])
        # After the last quarter the plan gives way to the debrief.
        self.drivers = FigureView(5.6, 1.85, caption="strategy.plot.drivers_caption")
        self._driver_plot = DriverPlot(self.drivers.figure)
        # Drawn once empty: a page waits for every figure to have a picture, hidden or not.
        self._driver_plot.update({})
        self.drivers.refresh()
        self.debrief_text = w.HTML()
        self.debrief_text.add_class("salestrain-market-debrief")
        self.debrief_box = w.VBox([self.drivers.box, self.debrief_text])
        self.reveal = w.HTML()
        self.reveal.add_class("salestrain-market-reveal")
        buttons = w.HBox([self.actions[n] for n in ("commit", "play_now", "restart") if n in self.actions])
        left = [c["team"]] if self.class_mode else []
        left += [self.status, self.decide_box, self.plan_text, buttons, self.message, self.reveal,
                 self.debrief_box]
        # 660 px: the right column's width at 1280x720, so the figure shows at its own size.
        self.shares = FigureView(*SHARE_SIZE, caption="strategy.plot.share_caption")
        # The leaderboard is the trend's key (each team's line beside its name): a legend
        # in the figure at 13 pt took half its width.
        self._share_plot = SharePlot(self.shares.figure, self.setup.all_teams, self.setup.quarters,
                                     legend=False)
        self._styles = dict(zip(self.setup.all_teams, team_styles(self.setup.all_teams), strict=True))
        self.board = w.HTML()
        self.board.add_class("salestrain-market-board")
        # At the debrief, where the margin came from stands under the leaderboard (the
        # left column holds the drivers, the words and the SWOT): at the projector's
        # 24 px the whole debrief in one 575 px column ran past the screen (issue 20).
        self.contribution = w.HTML()
        self.contribution.add_class("salestrain-market-debrief-segments")
        self._left = w.VBox(left, layout=w.Layout(width="575px", min_width="575px"))
        self.controls_box.children = [w.HBox([
            self._left,
            w.VBox([self.shares.box, self.board, self.contribution], layout=w.Layout(flex="1 1 auto")),
        ])]
        return []

    def _unit_key(self) -> str:
        return "wan" if self.budget_unit == 10_000.0 else "k"

    # -- actions (the buttons; tests call them directly) ---------------------------------
    def _team(self) -> str:
        return self.controls["team"].value if self.class_mode else SOLO_TEAM

    def _decision(self, params: Mapping[str, Any]) -> Decision:
        names = self.setup.segment_names
        return Decision(hours={n: float(params[f"hours_{n}"]) for n in names},
                        budget={n: float(round(params[f"budget_{n}"] * self.budget_unit)) for n in names},
                        price=round(float(params["price"]), 4), service=float(params["service"]),
                        stance=params["stance"], key_focus=round(float(params["key_focus"]), 4))

    def _load(self, decision: Decision) -> None:
        """Put a plan on the sliders (within the team's capacity, in whole steps)."""
        names = self.setup.segment_names
        hours = _split(sum(decision.hours.values()), [decision.hours.get(n, 0.0) for n in names], HOUR_STEP)
        budget = _split(sum(decision.budget.values()) / self.budget_unit,
                        [decision.budget.get(n, 0.0) for n in names], self.budget_step)
        values: dict[str, Any] = {f"hours_{n}": int(h) for n, h in zip(names, hours, strict=True)}
        values |= {f"budget_{n}": round(b, 1) for n, b in zip(names, budget, strict=True)}
        values |= {"price": min(max(decision.price, 0.8), 1.2), "service": int(round(decision.service)),
                   "stance": decision.stance, "key_focus": min(decision.key_focus, 0.8)}
        for name, value in values.items():
            self.controls[name].value = value

    @action
    def commit(self) -> None:
        """Commit the plan on the sliders for the team at the keyboard (solo: play the quarter)."""
        team = self._team()
        self.game.submit(team, self._decision(self.params()))
        if self.class_mode and not self.game.finished:
            # The next team that still has to decide takes the keyboard.
            teams = self.setup.teams
            start = teams.index(team)
            waiting = self.game.waiting_for()
            nxt = next((teams[(start + k) % len(teams)] for k in range(1, len(teams) + 1)
                        if teams[(start + k) % len(teams)] in waiting), teams[0])
            self.controls["team"].value = nxt
            self._load(self.game.default_decision(nxt))

    @action
    def play_now(self) -> None:
        """The trainer plays the quarter now: late teams keep last quarter's plan."""
        self.game.play_quarter()
        self._load(self.game.default_decision(self._team()))

    @action
    def switch_team(self) -> None:
        """Another team takes the keyboard: its last plan (never another team's) on the sliders."""
        self._load(self.game.default_decision(self._team()))

    @action
    def restart(self) -> None:
        self.game = Game(self.setup)
        if self.class_mode:
            self.controls["team"].value = self.setup.teams[0]
        self._load(self.game.default_decision(self._team()))

    # -- compute / show ------------------------------------------------------------------
    def compute(self, price: float, service: int, stance: str, team: str | None = None,
                **plan: float) -> MarketView:
        game, setup = self.game, self.setup
        team = team if self.class_mode and team is not None else SOLO_TEAM
        draft = self._decision({"price": price, "service": service, "stance": stance, **plan})
        hours, budget = sum(draft.hours.values()), sum(draft.budget.values())
        over = "hours" if hours > setup.hours else "budget" if budget > setup.budget else None
        summary = PlanSummary(hours, budget, hours * HOUR_COST + budget, over)
        standings = game.leaderboard()
        reveal = None
        if game.played:
            j = setup.all_teams.index(team)
            shares = game.share_by_quarter()[j]
            last = game.history[-1]
            reveal = Reveal(game.played, float(last.team_revenue[j]), float(last.margin[j]), float(shares[-1]),
                            float(shares[-1] - shares[-2]) if game.played > 1 else None,
                            float(last.satisfaction[j]), next(s.rank for s in standings if s.team == team))
        return MarketView(setup, self.class_mode, team, draft, summary, game.played, game.waiting_for(),
                          game.share_by_quarter(), standings, reveal,
                          game.debrief(team) if game.finished else None)

    def show(self, result: MarketView) -> None:
        self.status.value = self._status_html(result)
        self.plan_text.value = self._plan_html(result)
        self.reveal.value = self._reveal_html(result)
        self.board.value = self._board_html(result)
        finished = result.finished
        self.decide_box.layout.display = "none" if finished else ""
        self.plan_text.layout.display = "none" if finished else ""
        self.reveal.layout.display = "none" if finished else ""  # the leaderboard says it all
        self.debrief_box.layout.display = "" if finished else "none"
        # At the debrief the leaderboard holds the team's final numbers, and the segments'
        # table needs the cards' room above the fold.
        self.headline_cards.layout.display = "none" if finished else ""
        self.contribution.layout.display = "" if finished else "none"
        # The share trend steps back to 3/4 of its size (aspect kept, drawn at that size so
        # its text stays 13 pt) to make room for the segments under the leaderboard; with a
        # class's longer leaderboard (more than five teams) it gives way to them: the
        # leaderboard holds the final shares.
        scale = DEBRIEF_SHARE_SCALE if finished else 1.0
        self._share_plot.resize(SHARE_SIZE[0] * scale, SHARE_SIZE[1] * scale)
        self.shares.image.layout.width = f"{round(SHARE_SIZE[0] * scale * self.shares.figure.dpi)}px"
        self.shares.box.layout.display = "none" if finished and len(result.setup.all_teams) > 5 else ""
        self.actions["commit"].disabled = finished or result.plan.over is not None
        if "play_now" in self.actions:
            self.actions["play_now"].disabled = finished
        # The figures change only when a quarter is played or another team looks at them:
        # a slider move redraws text only.
        key = (result.played, result.team, result.shares.tobytes(), scale)
        if self._drawn.get("shares") != key:
            self._drawn["shares"] = key
            self._share_plot.update(result.shares, result.team)
            self.shares.image.value = self._share_plot.png()
            self.shares.mark_text_size()
        if result.debrief is not None:
            key = (result.played, result.team, tuple(result.debrief.drivers.items()))
            if self._drawn.get("drivers") != key:
                self._drawn["drivers"] = key
                self._driver_plot.update(result.debrief.drivers)
                self.drivers.refresh()
            self.debrief_text.value = self._debrief_html(result)
            self.contribution.value = self._contribution_html(result)
        else:
            self.debrief_text.value = ""
            self.contribution.value = ""

    def headlines(self, result: MarketView) -> list[Headline]:
        """The team's market share last quarter, its margin so far and its rank by margin
        (the leaderboard's order); dashes until the first quarter is played, so nothing
        under the cards jumps when it is."""
        mine = next((s for s in result.standings if s.team == result.team), None)
        if mine is None:
            none = t("strategy.card.none")
            return [Headline(t(f"strategy.card.{key}"), none) for key in ("share", "margin", "rank")]
        teams = len(result.setup.all_teams)
        return [
            Headline(t("strategy.card.share"), format_percent(mine.share)),
            # The currency in the label: "RMB 1.02M" as the value broke the cards' row.
            Headline(t("strategy.card.margin"),
                     format_compact(_three_digits(mine.margin), fraction_digits=2),
                     "bad" if mine.margin < 0 else ""),
            Headline(t("strategy.card.rank"), t("strategy.card.of", rank=mine.rank, teams=teams),
                     "good" if mine.rank == 1 else "bad" if mine.rank == teams else ""),
        ]

    # -- texts ---------------------------------------------------------------------------
    def _status_html(self, r: MarketView) -> str:
        quarters = r.setup.quarters
        if r.finished:
            text = t("strategy.app.over", quarters=quarters)
        elif r.class_mode:
            waiting = t("content.separator").join(team_label(x) for x in r.waiting)
            text = t("strategy.app.status_class", quarter=r.played + 1, quarters=quarters,
                     team=html.escape(team_label(r.team)), waiting=html.escape(waiting))
        else:
            text = t("strategy.app.status_solo", quarter=r.played + 1, quarters=quarters)
        return f"<b>{text}</b>"

    def _plan_html(self, r: MarketView) -> str:
        p, s = r.plan, r.setup
        text = t("strategy.app.plan", hours=format_number(p.hours), capacity=format_number(s.hours),
                 budget=format_money(p.budget), budget_capacity=format_money(s.budget),
                 cost=format_money(p.cost))
        if p.over is not None:
            over = t(f"strategy.app.over_{p.over}")
            text += f'<br><span style="color:{RED}">{html.escape(over)}</span>'
        return text

    def _reveal_html(self, r: MarketView) -> str:
        v = r.reveal
        if v is None:
            return f"<i>{html.escape(t('strategy.app.no_result'))}</i>"
        if v.change is None:
            change = ""
        else:
            points = format_number(round(v.change * 100, 1), decimals=1)
            change = t("strategy.app.change", points=("+" if v.change > 0 else "") + points)
        return t("strategy.app.reveal", quarter=v.quarter, team=html.escape(team_label(r.team)),
                 revenue=format_money(v.revenue), margin=format_money(v.margin),
                 share=format_percent(v.share), change=change,
                 satisfaction=format_number(round(v.satisfaction, 1), decimals=1),
                 rank=v.rank, teams=len(r.setup.all_teams))

    def _board_html(self, r: MarketView) -> str:
        if not r.standings:
            return ""
        # No cell wraps (a two-line row pushed the board past the screen) and the padding is
        # narrow: with each team's line drawn beside its name, the board just fits 660 px.
        head = "".join(f"<th style='padding:1px 5px;text-align:{a}'>{html.escape(t(k))}</th>" for k, a in (
            ("strategy.app.rank", "right"), ("strategy.app.team_column", "left"),
            ("strategy.app.margin", "right"), ("strategy.app.share", "right"),
            ("strategy.app.satisfaction", "right")))
        rows = []
        for s in r.standings:
            style = "font-weight:bold;background:#e8f0f7" if s.team == r.team else (
                "color:#666" if s.is_bot else "")
            name = _swatch(self._styles[s.team], s.team == r.team) + html.escape(team_label(s.team))
            cells = [(str(s.rank), "right"), (name, "left"),
                     (format_money(s.margin), "right"), (format_percent(s.share), "right"),
                     (format_number(round(s.satisfaction, 1), decimals=1), "right")]
            tds = "".join(f"<td style='padding:1px 5px;text-align:{a};white-space:nowrap'>{c}</td>"
                          for c, a in cells)
            rows.append(f"<tr style='{style}'>{tds}</tr>")
        title = t("strategy.app.board_title", quarter=r.played)
        return (f"<b>{html.escape(title)}</b><table class='salestrain-market-leaderboard' "
                f"style='border-collapse:collapse;font-size:85%'><tr>{head}</tr>{''.join(rows)}</table>")

    def _debrief_html(self, r: MarketView) -> str:
        d = r.debrief
        assert d is not None
        segments = {s.name: s for s in r.setup.territory.segments}
        # What drove share: the strongest edge and the heaviest handicap, in words.
        best = max(d.drivers, key=lambda k: d.drivers[k])
        worst = min(d.drivers, key=lambda k: d.drivers[k])
        # Rank and margin stand in the leaderboard beside it: the debrief says why.
        lines = [t("strategy.debrief.head", team=html.escape(team_label(d.team)))]
        if d.drivers[best] > 0:
            lines.append(t("strategy.debrief.edge", driver=t(f"strategy.driver.{best}"),
                           value=format_percent(math.expm1(d.drivers[best]))))
        if d.drivers[worst] < 0:
            lines.append(t("strategy.debrief.handicap", driver=t(f"strategy.driver.{worst}"),
                           value=format_percent(-math.expm1(d.drivers[worst]))))
        items = [self._swot_text(key, values, segments)
                 for quadrant in (d.swot.strengths, d.swot.weaknesses, d.swot.opportunities, d.swot.threats)
                 for key, values in quadrant]
        swot = ("<ul class='salestrain-market-swot' style='margin:2px 0;padding-left:1.2em'>"
                + "".join(f"<li>{html.escape(x)}</li>" for x in items) + "</ul>") if items else \
            f"<p>{html.escape(t('strategy.debrief.no_swot'))}</p>"
        return ("<div style='font-size:85%;line-height:1.35'>" + "<br>".join(lines)
                + f"<br><b>{html.escape(t('strategy.debrief.swot'))}</b>" + swot + "</div>")

    @staticmethod
    def _contribution_html(r: MarketView) -> str:
        """Where the team's margin came from, segment by segment (the debrief's table)."""
        d = r.debrief
        assert d is not None
        segments = {s.name: s for s in r.setup.territory.segments}
        # Headers may wrap ("Margin rate" over two lines): the figures keep one line each.
        head = "".join(f"<th style='padding:0 6px;text-align:{a};vertical-align:bottom'>{html.escape(t(k))}</th>"
                       for k, a in (
            ("strategy.debrief.segment", "left"), ("strategy.debrief.revenue", "right"),
            ("strategy.debrief.margin", "right"), ("strategy.debrief.margin_rate", "right"),
            ("strategy.debrief.share", "right")))
        rows = "".join(
            f"<tr><td style='padding:0 6px;white-space:nowrap'>{html.escape(_capital(segments[c.segment].title()))}</td>"
            f"<td style='padding:0 6px;text-align:right;white-space:nowrap'>{format_money(c.revenue, compact=True)}</td>"
            f"<td style='padding:0 6px;text-align:right;white-space:nowrap;{'color:' + RED if c.margin < 0 else ''}'>"
            f"{format_money(c.margin, compact=True)}</td>"
            f"<td style='padding:0 6px;text-align:right'>{format_percent(c.margin_rate)}</td>"
            f"<td style='padding:0 6px;text-align:right'>{format_percent(c.share)}</td></tr>"
            for c in d.segments)
        # Short amounts (1.21M, 121万) keep each row on one line beside the figure.
        table = (f"<table class='salestrain-market-contribution' style='border-collapse:collapse'>"
                 f"<tr>{head}</tr>{rows}</table>")
        return f"<div style='font-size:85%;line-height:1.35'>{table}</div>"

    @staticmethod
    def _swot_text(key: str, values: Mapping[str, Any], segments: Mapping[str, Any]) -> str:
        shown: dict[str, str] = {}
        for name, value in values.items():
            if name == "segment":
                shown[name] = segments[value].title()
            elif name == "rival":
                shown[name] = team_label(value)
            elif name == "gain":
                shown[name] = format_percent(value, decimals=1)
            else:
                shown[name] = format_percent(value)
        return t(key, **shown)


# The swatch's marker shapes, as SVG drawn in a 14 x 14 box centred on (7, 7).
_SVG_MARKERS = {
    "o": "<circle cx='7' cy='7' r='4.5'/>",
    "s": "<rect x='3' y='3' width='8' height='8'/>",
    "^": "<polygon points='7,2 12,11 2,11'/>",
    "v": "<polygon points='2,3 12,3 7,12'/>",
    "D": "<polygon points='7,1.5 12.5,7 7,12.5 1.5,7'/>",
}


def _swatch(style: TeamStyle, mine: bool) -> str:
    """A team's line as the share trend draws it, for the leaderboard (the trend's key)."""
    width = 4 if mine else 2.5
    dash = " stroke-dasharray='6,4'" if style.dashed else ""
    return (f"<svg width='30' height='14' viewBox='-8 0 30 14' style='vertical-align:middle;"
            f"margin-right:5px' aria-hidden='true'><line x1='-8' y1='7' x2='22' y2='7' "
            f"stroke='{style.colour}' stroke-width='{width}'{dash}/>"
            f"<g fill='{style.colour}'>{_SVG_MARKERS.get(style.marker, _SVG_MARKERS['o'])}</g></svg>")


def _three_digits(amount: float) -> float:
    """An amount to three significant digits, so its compact form is short ("235K", not
    "234.85K"; "23.5万")."""
    if amount == 0 or not math.isfinite(amount):
        return amount
    return round(amount, 2 - math.floor(math.log10(abs(amount))))


def _capital(text: str) -> str:
    """A name that heads a row ("public sector" -> "Public sector"); Chinese is unchanged."""
    return text[:1].upper() + text[1:]


def market_class_app(n_teams: int = 4, **kwargs: Any) -> MarketApp:
    """The class game a trainer projects with one command (``salestrain app market-class``):
    ``n_teams`` teams of the room, named in the room's language, taking turns at one
    keyboard against the four bots."""
    return MarketApp(teams=[t("strategy.app.class_team", number=k) for k in range(1, n_teams + 1)],
                     **kwargs)


def market_app(teams: Sequence[str] | None = None, **kwargs: Any) -> MarketApp:
    """The market game: solo against the four bots, or ``teams=[...]`` for a class that
    takes turns on one machine (other keywords: ``territory``, ``quarters``, ``seed``,
    ``hours``, ``budget``, and control values)."""
    return MarketApp(teams=teams, **kwargs)
